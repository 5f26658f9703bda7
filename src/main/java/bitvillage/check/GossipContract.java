package bitvillage.check;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The contract of B18: B17's, and a village that talks. Check plays a neighbour, its
 * {@link StubNeighbour}, registered with the node: a block the node mines is announced to it,
 * {@code POST /gossip/block} with {@code {"from", "hash", "height"}}; the node serves what it holds
 * at {@code GET /blocks/<hash>} (404 for a block it lacks); a block the neighbour announces, the node
 * fetches from it and adopts; an announcement from an address that is no neighbour is refused (403);
 * and {@code GET /nodes} counts what crossed the link. The block check announces is mined to four
 * zeros, B18's default: a node started with more refuses it.
 *
 * <p>Each wait is bounded ({@link #WAIT_MILLIS}), and the neighbour keeps at most
 * {@link StubNeighbour#MOST_HEARD} announcements, so check ends in time however the node answers.
 * At the end check asks the node to forget its neighbour ({@code POST /nodes/forget}).
 */
final class GossipContract extends CoinsContract {
    static final String ANNOUNCED = "a block the node mines is announced to its registered neighbour: POST /gossip/block with "
            + "from, hash and height, the block's";
    static final String SERVED = "GET /blocks/<hash> answers a block the node holds, and 404 for a hash it holds no block of";
    static final String FETCHED = "a block its neighbour announces (202), the node fetches from that neighbour, GET /blocks/<hash>, "
            + "and adopts: it is the tip of GET /chain";
    static final String STRANGER = "an announcement from an address that is no neighbour answers 403";
    static final String COUNTED = "GET /nodes lists the neighbour with score, blocks_announced, blocks_fetched, transactions_announced "
            + "and transactions_fetched, the block it served counted";

    /** How long check waits for the node to announce or to fetch: a block crosses a link on loopback far sooner. */
    static final long WAIT_MILLIS = 5_000;

    /** Whom the block check announces pays: the address of a key only check's seed makes. */
    static final String MINER = Keys.address(Keys.fromSeed("bitvillage check B18"));

    private StubNeighbour neighbour;
    private Map<String, Object> tip; // the node's last block, once it mined
    private String served; // the hash of the block the neighbour announced and the node adopted

    GossipContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    void checks() {
        super.checks();
        check(ANNOUNCED, () -> {
            neighbour = StubNeighbour.start();
            expect("POST", "/nodes/register", PyJson.dumps(Map.of("nodes", List.of(neighbour.url()))), 200);
            Map<String, Object> mined = mine();
            tip = last();
            need(same(tip.get("index"), mined.get("index")), "GET /chain's last block is " + tip.get("index") + ", not the block mined, "
                    + mined.get("index"));
            String hash = BlockProof.hash(tip);
            Map<String, Object> heard = waitFor(() -> neighbour.heard().stream().filter(message -> hash.equals(message.get("hash")))
                    .findFirst().orElse(null));
            need(heard != null, "in " + WAIT_MILLIS / 1000 + " s the neighbour heard no POST /gossip/block with hash " + hash
                    + (neighbour.heard().isEmpty() ? "" : "; it heard " + PyJson.dumps(neighbour.heard())));
            need(same(heard.get("height"), tip.get("index")), "its height is " + PyJson.dumps(heard.get("height")) + ", not " + tip.get("index"));
            need(heard.get("from") instanceof String from && from.startsWith("http"), "its from is " + PyJson.dumps(heard.get("from"))
                    + ", not the node's address");
            return "block " + tip.get("index") + " from " + heard.get("from");
        });
        check(SERVED, () -> {
            needTip();
            Map<String, Object> block = object(expect("GET", "/blocks/" + BlockProof.hash(tip), null, 200), "the answer");
            need(same(block, tip), "it answers " + PyJson.dumps(block) + ", not the last block of GET /chain");
            return status("GET", "/blocks/" + "0".repeat(64), null, 404);
        });
        check(FETCHED, () -> {
            needTip();
            long index = (long) tip.get("index") + 1;
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", index);
            block.put("timestamp", tip.get("timestamp")); // no earlier than its parent's, and never ahead of the node's clock
            block.put("transactions", List.of(CoinTransaction.withId(CoinTransaction.reward(MINER, 1, index))));
            block.put("nonce", 0L);
            block.put("previous_hash", BlockProof.hash(tip));
            Map<String, Object> mined = ProofRules.mine(block);
            String hash = BlockProof.hash(mined);
            neighbour.hold(hash, mined);
            expect("POST", "/gossip/block", PyJson.dumps(Map.of("from", neighbour.url(), "hash", hash, "height", index)), 202);
            Map<String, Object> adopted = waitFor(() -> {
                Map<String, Object> last = last();
                return hash.equals(BlockProof.hash(last)) ? last : null;
            });
            need(neighbour.fetched().contains(hash), "in " + WAIT_MILLIS / 1000 + " s the node did not fetch GET /blocks/" + hash
                    + " from the neighbour that announced it");
            need(adopted != null, "the node fetched block " + index + " but GET /chain does not end with it");
            served = hash;
            return "block " + index + ", " + hash;
        });
        check(STRANGER, () -> {
            needTip();
            String stranger = "http://127.0.0.1:9"; // the discard port: no neighbour, and nothing a node could fetch from
            return status("POST", "/gossip/block", PyJson.dumps(Map.of("from", stranger, "hash", "f".repeat(64), "height", 2L)), 403);
        });
        check(COUNTED, () -> {
            needTip();
            Map<String, Object> answer = object(expect("GET", "/nodes", null, 200), "the answer");
            Object entry = list(answer, "nodes", "the answer's").stream()
                    .filter(node -> node instanceof Map<?, ?> fields && neighbour.url().equals(fields.get("address"))).findFirst().orElse(null);
            need(entry != null, "it does not list " + neighbour.url());
            @SuppressWarnings("unchecked") // a JSON object's keys are strings
            Map<String, Object> fields = (Map<String, Object>) entry;
            for (String key : List.of("score", "blocks_announced", "blocks_fetched", "transactions_announced", "transactions_fetched")) {
                whole(fields, key, "the neighbour's");
            }
            if (served != null) need((long) fields.get("blocks_fetched") >= 1, "blocks_fetched is " + fields.get("blocks_fetched"));
            return "blocks_announced " + fields.get("blocks_announced") + ", blocks_fetched " + fields.get("blocks_fetched");
        });
    }

    @Override
    void close() {
        if (neighbour == null) return;
        try {
            if (tip != null) node.send("POST", "/nodes/forget", PyJson.dumps(Map.of("nodes", List.of(neighbour.url()))));
        } catch (RuntimeException e) {
            // the node is gone or slow: it keeps a neighbour that no longer answers, which B18 drops in time
        } finally {
            neighbour.close();
        }
    }

    /** The last block of GET /chain. */
    @SuppressWarnings("unchecked") // a JSON object's keys are strings
    private Map<String, Object> last() {
        List<Object> chain = list(object(expect("GET", "/chain", null, 200), "the answer to GET /chain"), "chain", "the answer's");
        need(!chain.isEmpty() && chain.get(chain.size() - 1) instanceof Map<?, ?>, "GET /chain holds no blocks");
        return (Map<String, Object>) chain.get(chain.size() - 1);
    }

    /** Asks until {@code probe} answers something, at most {@link #WAIT_MILLIS}; null when it never did. */
    private static <T> T waitFor(Supplier<T> probe) {
        long until = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (true) {
            T seen = probe.get();
            if (seen != null || System.nanoTime() > until) return seen;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private void needTip() {
        if (tip == null) throw new Skipped("needs: " + ANNOUNCED);
    }
}

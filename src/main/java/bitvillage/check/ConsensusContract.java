package bitvillage.check;

import bitvillage.util.guard.NodeAddress;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The contract of B9 to B11, the book's node with neighbours (B9) and consensus (B10, B11), against
 * a villager that check runs: B7's and B8's, and then these. The later stages' contracts change
 * consensus (B13) and add their own checks right after the node adopts a longer chain and once
 * consensus is done.
 *
 * <p>Every chain check serves is at most two blocks longer than the node's, and check builds it,
 * each block a proof of work of its own: it builds none longer than {@link #MOST_BLOCKS_BUILT}, so
 * against a node whose chain is longer, the consensus checks are not run, and say why.
 */
class ConsensusContract extends MiningContract {
    static final String REGISTER = "POST /nodes/register answers 200 with message, total_nodes";
    static final String KEEPS = "GET /nodes/resolve answers \"chain\" and keeps ours against a shorter chain";
    static final String RESOLVE_405 = "POST /nodes/resolve answers 405";
    static final String BROKEN_LINK = "a longer chain with a broken previous_hash link is refused";
    static final String BAD_NONCE = "a longer chain with a nonce that does not fit is refused";
    static final String LONGER = "a longer valid chain is adopted: \"new_chain\", and GET /chain shows it";
    static final String GOES_ON = "GET /mine goes on from the adopted chain";
    static final String LENGTH_LIE = "--strict: a neighbour's length is counted, not trusted";
    static final String NO_NONCE_BLOCK = "--strict: a longer chain with a block without a nonce is refused, not a 500";
    static final String STRICT_NO_NODES = "--strict: POST /nodes/register without \"nodes\" answers 4xx";
    static final String STRICT_NOT_JSON = "--strict: POST /nodes/register with a body that is not JSON answers 4xx";

    StubNeighbour villager;
    boolean registered;
    private String tooLong; // why no chain is built to serve the node, once its own is too long

    ConsensusContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    final void checks() {
        super.checks();
        neighbours();
        if (stage >= 10) {
            consensus();
            afterConsensus();
        }
    }

    /** What a later stage checks right after the node adopted the villager's longer chain (or failed to). */
    void afterAdopting(boolean adopted) {}

    /** What a later stage checks once consensus is done (with the villager, still registered). */
    void afterConsensus() {}

    @Override
    void close() {
        if (villager != null) villager.close();
    }

    // ---- B9: neighbours

    private void neighbours() {
        check(REGISTER, () -> {
            villager = StubNeighbour.start();
            register(villager.url());
            registered = true;
            return null;
        });
        check("total_nodes lists the neighbour registered", () -> {
            needRegistered();
            List<String> listed = listed(register(villager.url()));
            need(listed.contains(villager.url()), "total_nodes is " + PyJson.dumps(listed));
            return null;
        });
        check("a neighbour registered again is listed once", () -> {
            needRegistered();
            List<String> listed = listed(register(villager.url()));
            long times = listed.stream().filter(villager.url()::equals).count();
            need(times == 1, "total_nodes lists it " + times + " times: " + PyJson.dumps(listed));
            return null;
        });
        check("POST /nodes/register with \"nodes\": null answers 400",
                () -> status("POST", "/nodes/register", "{\"nodes\": null}", 400));
        check("GET /nodes/register answers 405", () -> status("GET", "/nodes/register", null, 405));
    }

    private Map<String, Object> register(String address) {
        Map<String, Object> answer = object(expect("POST", "/nodes/register",
                PyJson.dumps(Map.of("nodes", List.of(address))), 200), "the answer");
        need(answer.containsKey("message"), "the answer has no 'message'");
        listed(answer);
        return answer;
    }

    /** total_nodes, each address written as http://host:port (the book keeps what it was sent). */
    private static List<String> listed(Map<String, Object> answer) {
        need(answer.get("total_nodes") instanceof List<?>, "the answer's total_nodes is not a list");
        List<String> addresses = new ArrayList<>();
        for (Object address : (List<?>) answer.get("total_nodes")) {
            need(address instanceof String, "total_nodes holds " + PyJson.dumps(address) + ", not an address");
            try {
                addresses.add(NodeAddress.normalise((String) address));
            } catch (IllegalArgumentException e) {
                addresses.add((String) address);
            }
        }
        return addresses;
    }

    // ---- B10 and B11: consensus

    /** The book's consensus: the longest valid chain wins, and a tie goes to the earlier last block. */
    void consensus() {
        check(KEEPS, () -> resolve((length, last) -> serve(chain(Math.max(1, length - 1), last - 5000)), false));
        check(RESOLVE_405, () -> status("POST", "/nodes/resolve", null, 405));
        // tag::refused-chains[]
        check(BROKEN_LINK, () -> resolve((length, last) -> {
            List<Map<String, Object>> chain = chain(length + 2, last + 100);
            chain.get(1).put("previous_hash", Sha256.hex("not the genesis block"));
            BookRules.relink(chain, 2); // only the link from block 1 to block 2 is broken; every nonce fits
            return serve(chain);
        }, false));
        check(BAD_NONCE, () -> resolve((length, last) -> {
            List<Map<String, Object>> chain = chain(length + 2, last + 100);
            Map<String, Object> lastBlock = chain.get(chain.size() - 1);
            long before = (long) chain.get(chain.size() - 2).get("nonce");
            long nonce = (long) lastBlock.get("nonce") + 1;
            while (BookRules.fits(before, nonce)) nonce++;
            lastBlock.put("nonce", nonce); // the last block, so no link after it changes
            return serve(chain);
        }, false));
        // end::refused-chains[]
        check("a chain as long as ours whose last block is later is refused",
                () -> resolve((length, last) -> serve(chain(length, last + 1000)), false));
        if (strict) {
            check(LENGTH_LIE, () -> resolve((length, last) -> {
                List<Map<String, Object>> chain = chain(Math.max(1, length - 1), last - 5000);
                villager.serve(chain, (long) length + 10, chain.get(chain.size() - 1).get("timestamp"));
                return chain;
            }, false));
            check("--strict: a neighbour's last_bk_t is read from its chain, not trusted", () -> resolve((length, last) -> {
                List<Map<String, Object>> chain = chain(length, last + 1000);
                villager.serve(chain, (long) length, last - 100_000);
                return chain;
            }, false));
            check(NO_NONCE_BLOCK, () -> resolve((length, last) -> {
                List<Map<String, Object>> chain = chain(length + 2, last + 100);
                chain.get(chain.size() - 1).remove("nonce");
                return serve(chain);
            }, false));
        }
        check("a chain as long as ours whose last block is earlier is adopted",
                () -> resolve((length, last) -> serve(chain(length, Math.floor(last) - 10_000 - length)), true));
        boolean adopted = check(LONGER, () -> resolve((length, last) -> serve(longerChain(length, last)), true));
        afterAdopting(adopted);
        check(GOES_ON, () -> {
            if (!adopted) throw new Skipped("needs: " + LONGER);
            Map<String, Object> last = lastBlock();
            Map<String, Object> mined = mineAfter(last);
            long want = BookRules.firstNonceAfter(whole(last, "nonce", "the last block's"));
            need(Long.valueOf(want).equals(mined.get("nonce")), "its nonce is " + mined.get("nonce") + ", not " + want);
            return "block " + mined.get("index") + ", nonce " + want;
        });
    }

    /** The last block of the node's chain, as GET /chain shows it now. */
    Map<String, Object> lastBlock() {
        List<Map<String, Object>> chain = blocks(chainAnswer());
        return chain.get(chain.size() - 1);
    }

    /** The block GET /mine forges, checked to follow {@code last}: the next index, and last's hash as its previous_hash. */
    Map<String, Object> mineAfter(Map<String, Object> last) {
        Map<String, Object> mined = mine();
        long index = whole(last, "index", "the last block's");
        need(Long.valueOf(index + 1).equals(mined.get("index")), "it forged block " + mined.get("index")
                + " on a chain of " + plural((int) index, "block"));
        need(BookRules.hash(last).equals(mined.get("previous_hash")), "its previous_hash is not the hash of block " + index);
        return mined;
    }

    /** A valid chain of the villager's, its first block forged at {@code first}. */
    private static List<Map<String, Object>> chain(int length, double first) {
        return BookRules.validChain(length, first, StubNeighbour.MINER);
    }

    /** A valid chain two blocks longer than the node's of {@code length} blocks, the last at {@code last}: the villager's only. */
    List<Map<String, Object>> longerChain(int length, double last) {
        return chain(length + 2, Math.floor(last) + 2000);
    }

    final List<Map<String, Object>> serve(List<Map<String, Object>> chain) {
        villager.serve(chain);
        return chain;
    }

    /**
     * Makes the villager serve the chain {@code craft} makes from our chain's length and last block
     * time, asks the node to resolve, and checks that it asked the villager and then kept its chain
     * ("chain") or adopted the villager's ("new_chain"), as {@code adopt} says it must. The chains
     * crafted are at most two blocks longer than the node's: a node whose chain is too long to build
     * one so long (see {@link #MOST_BLOCKS_BUILT}) is not served any.
     */
    final String resolve(BiFunction<Integer, Double, List<Map<String, Object>>> craft, boolean adopt) {
        needRegistered();
        needRoomToBuild(longestSeen);
        List<Map<String, Object>> ours = blocks(chainAnswer());
        needRoomToBuild(ours.size());
        Object lastTime = ours.get(ours.size() - 1).get("timestamp");
        need(lastTime instanceof Number, "the node's last block has no timestamp to compare");
        int asked = villager.asked();
        List<Map<String, Object>> served = craft.apply(ours.size(), ((Number) lastTime).doubleValue());
        Map<String, Object> answer = object(expect("GET", "/nodes/resolve", null, 200), "the answer");
        need(villager.asked() > asked, "the node did not ask the villager for its chain");
        List<Map<String, Object>> now = blocks(chainAnswer());
        if (adopt) {
            need(answer.containsKey("new_chain"), "the node kept its chain: the answer has no \"new_chain\"");
            need(same(answer.get("new_chain"), served), "\"new_chain\" is not the neighbour's chain");
            need(same(now, served), "GET /chain does not show the neighbour's chain");
            return plural(ours.size(), "block") + " replaced by " + served.size();
        }
        need(!answer.containsKey("new_chain"), "the node took the neighbour's chain (\"new_chain\")");
        need(answer.containsKey("chain"), "the answer has neither \"chain\" nor \"new_chain\"");
        need(same(answer.get("chain"), ours), "\"chain\" is not the node's chain");
        need(same(now, ours), "GET /chain changed");
        return plural(ours.size(), "block") + " kept against " + served.size();
    }

    /** Check builds no chain longer than {@link #MOST_BLOCKS_BUILT}: the work is its own, whatever the node holds. */
    private void needRoomToBuild(int blocks) {
        if (tooLong == null && blocks + 2 > MOST_BLOCKS_BUILT) {
            tooLong = "not run: the node holds " + blocks + " blocks, and check builds chains of at most " + MOST_BLOCKS_BUILT
                    + " blocks to serve it (a proof of work for each block): start the node afresh";
        }
        if (tooLong != null) throw new Skipped(tooLong);
    }

    final void needRegistered() {
        if (!registered) throw new Skipped("needs: " + REGISTER);
    }

    // ---- --strict: what our nodes add to the book's

    @Override
    void strictRefusals() {
        check(STRICT_NO_NODES, () -> refused("POST", "/nodes/register", "{\"neighbours\": [\"http://127.0.0.1:5002\"]}"));
        check(STRICT_NOT_JSON, () -> refused("POST", "/nodes/register", "{'nodes': ['http://127.0.0.1:5002']}"));
        check("--strict: POST /nodes/register with an address that is no address answers 4xx",
                () -> refused("POST", "/nodes/register", "{\"nodes\": [\"my neighbour\"]}"));
        super.strictRefusals();
    }
}

package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The contract of B7 to B11, the book's node: mining over HTTP (B7), the chain (B8), neighbours
 * (B9) and consensus (B10, B11) against a villager that check runs. The later stages' contracts
 * grow from this one: they change the checks marked as theirs to change (where the reward goes,
 * the proof, the genesis block, consensus) and add their own after mining and after consensus.
 */
class BookContract extends Contract {
    // The names of the checks that others depend on, or that tests and the page refer to.
    static final String MINE_KEYS = "GET /mine answers 200 with index, message, nonce, previous_hash, transactions";
    static final String MINE_405 = "POST /mine answers 405";
    static final String NONCES = "GET /mine finds the book's nonces (35293 after 100, then 35089)";
    static final String QUEUE = "POST /transactions/new queues a transaction";
    static final String CHAIN_KEYS = "GET /chain answers 200 with chain, length, last_bk_t";
    static final String MINED_CHAIN = "GET /chain ends with the blocks GET /mine forged";
    static final String CHAIN_LENGTH = "length counts the blocks, last_bk_t is the last block's timestamp";
    static final String HASHES = "each previous_hash is SHA-256 of json.dumps(block before, sort_keys=True)";
    static final String FITS = "each nonce fits the nonce before it (its hash starts with 0000)";
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

    /** Beyond this many blocks, following a B7 node's nonces from the genesis block takes too long. */
    private static final int MOST_BLOCKS_FOLLOWED = 200;

    static final Map<String, Object> PAYMENT = transaction("小美", "大華", 699L);
    static final Map<String, Object> HALF_COIN = transaction("大華", "Zoë 🐕", 0.5);

    // What the checks saw, for the checks after them.
    private List<Map<String, Object>> chainBefore;
    Map<String, Object> chainAfter; // GET /chain after mining
    Map<String, Object> firstMined;
    Map<String, Object> secondMined;
    boolean takesTransactions;
    String noTransactions = "needs: " + QUEUE;
    StubNeighbour villager;
    boolean registered;
    private int longestSeen; // the most blocks a GET /chain answered
    private String tooLong; // why no chain is built to serve the node, once its own is too long

    BookContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    final void checks() {
        mining();
        afterMining();
        if (stage >= 9) neighbours();
        if (stage >= 10) {
            consensus();
            afterConsensus();
        }
    }

    /** What a later stage checks once the node has mined (its own requests, its own blocks). */
    void afterMining() {}

    /** What a later stage checks right after the node adopted the villager's longer chain (or failed to). */
    void afterAdopting(boolean adopted) {}

    /** What a later stage checks once consensus is done (with the villager, still registered). */
    void afterConsensus() {}

    @Override
    void close() {
        if (villager != null) villager.close();
    }

    // ---- B7 and B8: mining over HTTP, the chain

    private void mining() {
        unknownPath();
        if (stage >= 8) {
            check(CHAIN_KEYS, () -> {
                Map<String, Object> answer = chainAnswer();
                chainBefore = blocks(answer); // what mining starts from, even when a key below is missing
                for (String key : List.of("length", "last_bk_t")) {
                    need(answer.containsKey(key), "the answer has no '" + key + "'");
                }
                return plural(chainBefore.size(), "block");
            });
            check("POST /chain answers 405", () -> status("POST", "/chain", null, 405));
        }
        check(QUEUE, () -> {
            Exchange first = node.send("POST", "/transactions/new", PyJson.dumps(PAYMENT));
            if (first.status() == 404) {
                noTransactions = "the node has no POST /transactions/new, a route the book names only in prose";
                throw new Skipped(noTransactions);
            }
            need(first.status() / 100 == 2, "it answered " + first.status());
            Exchange second = node.send("POST", "/transactions/new", PyJson.dumps(HALF_COIN));
            need(second.status() / 100 == 2, "the second one answered " + second.status());
            takesTransactions = true;
            return "小美 pays 大華 699, 大華 pays Zoë 🐕 0.5";
        });
        check(MINE_KEYS, () -> {
            firstMined = mine();
            secondMined = mine();
            return null;
        });
        check(MINE_405, () -> status("POST", "/mine", null, 405));
        check("GET /mine forges the next blocks, index after index", () -> {
            needMined();
            long first = whole(firstMined, "index", "the first block's");
            long second = whole(secondMined, "index", "the second block's");
            if (chainBefore != null) {
                need(first == chainBefore.size() + 1, "the chain had " + plural(chainBefore.size(), "block")
                        + ", but the block forged is block " + first);
            } else {
                need(first >= 2, "the first block forged is block " + first + ", but block 1 is the genesis block");
            }
            need(second == first + 1, "block " + first + " was followed by block " + second);
            return "blocks " + first + " and " + second;
        });
        minedProof();
        boolean rewarded = check(rewardRule(), () -> {
            needMined();
            Object miner = null;
            for (Map<String, Object> block : List.of(firstMined, secondMined)) {
                List<Object> transactions = list(block, "transactions", "the mined block's");
                need(!transactions.isEmpty(), "a mined block has no transactions");
                Object reward = transactions.get(rewardFirst() ? 0 : transactions.size() - 1);
                String place = rewardFirst() ? "first" : "last";
                need(reward instanceof Map<?, ?>, "its " + place + " transaction is not a JSON object");
                Map<?, ?> coin = (Map<?, ?>) reward;
                need("0".equals(coin.get("sender")), "its " + place + " transaction's sender is " + PyJson.dumps(coin.get("sender")));
                long due = rewardDue(transactions);
                need(coin.get("amount") instanceof Number amount && amount.doubleValue() == due,
                        "its " + place + " transaction's amount is " + PyJson.dumps(coin.get("amount")) + ", not " + due);
                need(coin.get("recipient") instanceof String id && !id.isEmpty(), "the reward has no recipient");
                need(miner == null || miner.equals(coin.get("recipient")), "the two rewards pay different miners");
                miner = coin.get("recipient");
            }
            return "the " + (rewardFirst() ? "first" : "last") + " transaction of each block";
        });
        boolean rewardFirst = rewardFirst();
        check(rewardFirst ? "the next block holds the reward, then the transactions queued"
                : "the next block holds the transactions queued, then the reward", () -> {
            if (!takesTransactions) throw new Skipped(noTransactions);
            if (!rewarded) throw new Skipped("needs: " + rewardRule());
            List<Object> first = list(firstMined, "transactions", "the first block's");
            List<Object> queued = first.size() == 3 ? first.subList(rewardFirst ? 1 : 0, rewardFirst ? 3 : 2) : List.of();
            need(queued.size() == 2 && sameTransaction(queued.get(0), PAYMENT) && sameTransaction(queued.get(1), HALF_COIN),
                    "the block's transactions are " + PyJson.dumps(first));
            int later = list(secondMined, "transactions", "the second block's").size();
            need(later == 1, "the block after it holds " + plural(later, "transaction") + ", not only the reward");
            return null;
        });
        check("GET /transactions/new answers 405", () -> {
            if (!takesTransactions) throw new Skipped(noTransactions);
            return status("GET", "/transactions/new", null, 405);
        });
        if (stage == 7) {
            check("GET /mine's previous_hash is a SHA-256 hex digest", () -> {
                needMined();
                for (Map<String, Object> block : List.of(firstMined, secondMined)) {
                    Object hash = block.get("previous_hash");
                    need(hash instanceof String text && text.matches("[0-9a-f]{64}"),
                            "previous_hash is " + PyJson.dumps(hash) + ", not 64 hex digits");
                }
                return null;
            });
        } else {
            theChainAfterMining();
        }
    }

    /** The proof of the mined blocks: the book's nonces, each the first that fits the one before. */
    void minedProof() {
        check(NONCES, () -> {
            needMined();
            long index = whole(firstMined, "index", "the first block's");
            long first = whole(firstMined, "nonce", "the first block's");
            long second = whole(secondMined, "nonce", "the second block's");
            long before;
            if (chainBefore != null) {
                before = whole(chainBefore.get(chainBefore.size() - 1), "nonce", "the last block's");
            } else {
                need(index >= 2 && index <= MOST_BLOCKS_FOLLOWED, "the node holds " + (index - 1)
                        + " blocks; start it afresh, so that check can follow its nonces from the genesis block");
                before = BookRules.nonceOfBlock((int) index - 1);
            }
            needTheFirstNonce(index, before, first);
            needTheFirstNonce(index + 1, first, second);
            return "block " + index + ": " + first + " after " + before + "; block " + (index + 1) + ": " + second
                    + " after " + first;
        });
    }

    /** The name of the check of the reward. */
    String rewardRule() {
        return "a mined block pays the miner 1 coin from sender \"0\"";
    }

    /** Does the reward come first in a block? The book's comes last: mine() queues it after the others. */
    boolean rewardFirst() {
        return false;
    }

    /** The coins a block's reward must be, given the block's transactions. */
    long rewardDue(List<Object> transactions) {
        return 1;
    }

    private void theChainAfterMining() {
        check(MINED_CHAIN, () -> {
            needMined();
            if (chainBefore == null) throw new Skipped("needs: " + CHAIN_KEYS);
            if (chainAfter == null) chainAfter = chainAnswer();
            List<Map<String, Object>> chain = blocks(chainAfter);
            need(chain.size() == chainBefore.size() + 2, "the chain holds " + plural(chain.size(), "block")
                    + " after mining twice on " + chainBefore.size());
            for (int back = 2; back >= 1; back--) {
                Map<String, Object> mined = back == 2 ? firstMined : secondMined;
                Map<String, Object> block = chain.get(chain.size() - back);
                for (String key : List.of("index", "nonce", "previous_hash", "transactions")) {
                    need(PyJson.dumps(block.get(key)).equals(PyJson.dumps(mined.get(key))),
                            "block " + (chain.size() - back + 1) + "'s " + key + " differs from what GET /mine answered");
                }
            }
            return plural(chain.size(), "block");
        });
        genesis();
        check(CHAIN_LENGTH, () -> {
            Map<String, Object> fields = answerSeen();
            List<Map<String, Object>> chain = blocks(fields);
            for (String key : List.of("length", "last_bk_t")) {
                if (!fields.containsKey(key)) throw new Skipped("the answer has no '" + key + "' (see " + CHAIN_KEYS + ")");
            }
            need(Long.valueOf(chain.size()).equals(fields.get("length")),
                    "length is " + PyJson.dumps(fields.get("length")) + " for " + plural(chain.size(), "block"));
            Object last = chain.get(chain.size() - 1).get("timestamp");
            need(PyJson.dumps(fields.get("last_bk_t")).equals(PyJson.dumps(last)),
                    "last_bk_t is " + PyJson.dumps(fields.get("last_bk_t")) + ", the last block's timestamp " + PyJson.dumps(last));
            return null;
        });
        check("every block has index, timestamp, transactions, nonce, previous_hash", () -> {
            List<Map<String, Object>> chain = chainSeen();
            for (int i = 0; i < chain.size(); i++) {
                Map<String, Object> block = chain.get(i);
                String which = "block " + (i + 1) + "'s";
                need(Long.valueOf(i + 1).equals(block.get("index")), which + " index is " + PyJson.dumps(block.get("index")));
                need(block.get("timestamp") instanceof Number, which + " timestamp is not a number");
                for (Object transaction : list(block, "transactions", which)) {
                    need(transaction instanceof Map<?, ?>, which + " transactions are not all JSON objects");
                }
                whole(block, "nonce", which);
                need(block.containsKey("previous_hash"), which + " previous_hash is missing");
            }
            return null;
        });
        check(HASHES, () -> {
            List<Map<String, Object>> chain = chainSeen();
            for (int i = 1; i < chain.size(); i++) {
                String expected = BookRules.hash(chain.get(i - 1));
                Object given = chain.get(i).get("previous_hash");
                need(expected.equals(given), "block " + (i + 1) + "'s previous_hash is " + PyJson.dumps(given)
                        + ", but the hash of block " + i + " is " + expected + " (the JSON Python writes: keys sorted, "
                        + "\", \" and \": \" between items, non-ASCII as \\uXXXX)");
            }
            return "blocks 2 to " + chain.size();
        });
        chainProof();
    }

    /** The genesis block, as the book's constructor makes it (at any time). */
    void genesis() {
        check("the genesis block is the book's: index 1, nonce 100, previous_hash 1, no transactions", () -> {
            Map<String, Object> genesis = chainSeen().get(0);
            need(Long.valueOf(1).equals(genesis.get("index")), "its index is " + PyJson.dumps(genesis.get("index")));
            need(Long.valueOf(BookRules.GENESIS_NONCE).equals(genesis.get("nonce")),
                    "its nonce is " + PyJson.dumps(genesis.get("nonce")));
            need(Long.valueOf(1).equals(genesis.get("previous_hash")), "its previous_hash is "
                    + PyJson.dumps(genesis.get("previous_hash")) + ", not the number 1 (the hash of block 1 depends on it)");
            need(List.of().equals(genesis.get("transactions")), "its transactions are " + PyJson.dumps(genesis.get("transactions")));
            return null;
        });
    }

    /** What makes each block of the chain valid beyond its link: the book's nonce, fitting the one before. */
    void chainProof() {
        check(FITS, () -> {
            List<Map<String, Object>> chain = chainSeen();
            for (int i = 1; i < chain.size(); i++) {
                long before = whole(chain.get(i - 1), "nonce", "block " + i + "'s");
                long nonce = whole(chain.get(i), "nonce", "block " + (i + 1) + "'s");
                need(BookRules.fits(before, nonce), "block " + (i + 1) + "'s nonce " + nonce + " after " + before
                        + ": sha256(\"" + before + nonce + "\") is " + BookRules.guessHash(before, nonce));
            }
            return null;
        });
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
            List<Map<String, Object>> chain = blocks(chainAnswer());
            Map<String, Object> last = chain.get(chain.size() - 1);
            Map<String, Object> mined = mine();
            need(Long.valueOf(chain.size() + 1).equals(mined.get("index")), "it forged block " + mined.get("index")
                    + " on a chain of " + plural(chain.size(), "block"));
            need(BookRules.hash(last).equals(mined.get("previous_hash")), "its previous_hash is not the hash of block " + chain.size());
            long want = BookRules.firstNonceAfter(whole(last, "nonce", "the last block's"));
            need(Long.valueOf(want).equals(mined.get("nonce")), "its nonce is " + mined.get("nonce") + ", not " + want);
            return "block " + mined.get("index") + ", nonce " + want;
        });
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

    // ---- --strict: what our nodes add to the book's

    @Override
    void strictRefusals() {
        if (stage >= 9) {
            check(STRICT_NO_NODES, () -> refused("POST", "/nodes/register", "{\"neighbours\": [\"http://127.0.0.1:5002\"]}"));
            check(STRICT_NOT_JSON, () -> refused("POST", "/nodes/register", "{'nodes': ['http://127.0.0.1:5002']}"));
            check("--strict: POST /nodes/register with an address that is no address answers 4xx",
                    () -> refused("POST", "/nodes/register", "{\"nodes\": [\"my neighbour\"]}"));
        }
        check("--strict: POST /transactions/new without an amount answers 4xx", () -> {
            if (!takesTransactions) throw new Skipped(noTransactions);
            return refused("POST", "/transactions/new", "{\"sender\": \"小美\", \"recipient\": \"大華\"}");
        });
        check("--strict: POST /transactions/new from sender \"0\" answers 4xx", () -> {
            if (!takesTransactions) throw new Skipped(noTransactions);
            return refused("POST", "/transactions/new", PyJson.dumps(transaction("0", "小美", 1000L)));
        });
    }

    // ---- requests and what the answers must hold

    /** GETs /chain and answers its JSON object, which must hold a chain of at least one block. */
    final Map<String, Object> chainAnswer() {
        Map<String, Object> answer = object(expect("GET", "/chain", null, 200), "the answer to GET /chain");
        longestSeen = Math.max(longestSeen, blocks(answer).size());
        return answer;
    }

    @SuppressWarnings("unchecked") // each element was checked to be a JSON object
    static List<Map<String, Object>> blocks(Map<String, Object> answer) {
        need(answer.get("chain") instanceof List<?> list && !list.isEmpty(), "the answer's chain is not a list of blocks");
        for (Object block : (List<?>) answer.get("chain")) need(block instanceof Map<?, ?>, "a block is not a JSON object");
        return (List<Map<String, Object>>) answer.get("chain");
    }

    final Map<String, Object> mine() {
        Map<String, Object> block = object(expect("GET", "/mine", null, 200), "the answer to GET /mine");
        for (String key : List.of("index", "message", "nonce", "previous_hash", "transactions")) {
            need(block.containsKey(key), "the answer has no '" + key + "'");
        }
        whole(block, "index", "the block's");
        whole(block, "nonce", "the block's");
        list(block, "transactions", "the block's");
        return block;
    }

    final void needMined() {
        if (firstMined == null || secondMined == null) throw new Skipped("needs: " + MINE_KEYS);
    }

    final void needRegistered() {
        if (!registered) throw new Skipped("needs: " + REGISTER);
    }

    private static void needTheFirstNonce(long index, long before, long nonce) {
        long first = BookRules.firstNonceAfter(before);
        if (nonce == first) return;
        String hash = BookRules.guessHash(before, nonce);
        String why = hash.endsWith("0000") && !hash.startsWith("0000")
                ? "its hash " + hash + " ends with 0000, but the book's must start with 0000"
                : BookRules.fits(before, nonce) ? "it fits, but the book's miner counts up from 0 and takes the first that fits"
                : "sha256(\"" + before + nonce + "\") is " + hash;
        throw new Failed("block " + index + "'s nonce is " + nonce + ", but the first that fits " + before + " is "
                + first + ": " + why);
    }

    /** The answer to GET /chain after mining, which the checks of the chain look at. */
    final Map<String, Object> answerSeen() {
        if (chainAfter == null) throw new Skipped("needs: " + MINED_CHAIN);
        return chainAfter;
    }

    final List<Map<String, Object>> chainSeen() {
        return blocks(answerSeen());
    }
}

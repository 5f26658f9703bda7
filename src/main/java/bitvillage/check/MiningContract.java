package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The contract of B7 and B8, the book's node before it has neighbours: mining over HTTP (B7) and
 * the chain (B8). The later stages' contracts grow from this one: they change the checks marked as
 * theirs to change (the proof, where the reward goes and how much it is, the genesis block) and add
 * their own once the node has mined.
 */
class MiningContract extends Contract {
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
    int longestSeen; // the most blocks a GET /chain answered

    MiningContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    void checks() {
        mining();
        afterMining();
    }

    /** What a later stage checks once the node has mined (its own requests, its own blocks). */
    void afterMining() {}

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

    // ---- --strict: what our nodes add to the book's

    @Override
    void strictRefusals() {
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

    final void needMined() {
        if (firstMined == null || secondMined == null) throw new Skipped("needs: " + MINE_KEYS);
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
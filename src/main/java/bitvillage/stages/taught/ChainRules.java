package bitvillage.stages.taught;

import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.guard.TransactionIds;
import bitvillage.util.guard.Transactions;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Utf8;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What B13's page taught about a valid chain, for B13 and every stage after it: the shared genesis
 * block, blocks linked and proven, a clock that never goes back, one reward and no other new coins,
 * and every id once. How much a reward may be is each stage's own rule (1 coin in B13, 1 plus the
 * fees from B14 on), which it hands in. Util's {@link ChainShape} checked first that the fields
 * read here are there.
 */
public final class ChainRules {
    private ChainRules() {}

    // tag::valid-chain[]
    /**
     * Why the chain is not valid (which block, and what is wrong with it), or null. {@code coins}
     * is the stage's rule for what one block pays: null when the reward and fees are right.
     */
    public static String whyInvalid(List<Map<String, Object>> chain, int zeros, Function<Map<String, Object>, String> coins) {
        // 0. The same first block as every node from B13 on: a chain from elsewhere is another network.
        if (!PyJson.dumps(chain.get(0)).equals(PyJson.dumps(BlockProof.genesis()))) {
            return "invalid chain: block 1 is not the genesis block of B13 (index 1, timestamp 1546678801.6103268,"
                    + " no transactions, nonce 100, previous_hash 1)";
        }
        String invalid = whyBlocksInvalid(chain, zeros, Reward.FROM_SENDER_0, coins);
        return invalid != null ? invalid : whyIdsClash(chain);
    }

    /** Why a block after the first is not valid, or null: linked, proven, in time, paying as {@code coins} says; and room to grow. */
    private static String whyBlocksInvalid(List<Map<String, Object>> chain, int zeros, Reward reward,
            Function<Map<String, Object>, String> coins) {
        Map<String, Object> lastBlock = chain.get(0);
        for (int index = 2; index <= chain.size(); index++) {
            Map<String, Object> block = chain.get(index - 1);
            // 0. Exactly a block's fields, and no larger than a block may be: nothing else rides along.
            String badShape = whyNotABlock(block);
            if (badShape != null) return "invalid chain: block " + index + ": " + badShape;
            // 1. Does the block name the hash of the block before it?
            if (!BlockProof.hash(lastBlock).equals(block.get("previous_hash"))) {
                return "invalid chain: block " + index + ": previous_hash is not the hash of block " + (index - 1);
            }
            // 2. Does its own hash, which covers all it holds, start with the difficulty's zeros?
            if (!BlockProof.validProof(block, zeros)) {
                return "invalid chain: block " + index + ": its hash " + BlockProof.hash(block).substring(0, 12)
                        + "… does not start with " + zeros + " zeros";
            }
            // 3. Time never goes back: a miner writes the later of its clock and the last block's time.
            if (((Number) block.get("timestamp")).doubleValue() < ((Number) lastBlock.get("timestamp")).doubleValue()) {
                return "invalid chain: block " + index + ": its timestamp is earlier than block " + (index - 1) + "'s";
            }
            // 4. One reward, first, and no other new coins; then the stage's rule for how much.
            String badCoins = whyRewardIsMisplaced(block, reward);
            if (badCoins == null) badCoins = coins.apply(block);
            if (badCoins != null) return "invalid chain: block " + index + ": " + badCoins;
            lastBlock = block;
        }
        // 5. A chain we adopt is one we can serve and mine on: else /mine would answer 503 for good.
        String noRoom = ServedChain.whyNoRoomToGrow(chain);
        return noRoom != null ? "invalid chain: " + noRoom : null;
    }

    /** Null when the block's first transaction, and only it, is a reward: new coins, from sender "0" (B17: from no input). */
    private static String whyRewardIsMisplaced(Map<String, Object> block, Reward reward) {
        List<Map<String, Object>> transactions = ChainShape.transactions(block);
        if (transactions.isEmpty()) return "no mining reward";
        if (!reward.is().test(transactions.get(0))) return "the first transaction is not the mining reward (" + reward.from() + ")";
        for (Map<String, Object> transaction : transactions.subList(1, transactions.size())) {
            if (reward.is().test(transaction)) {
                return "a second transaction from " + reward.from() + ": new coins come only as the one reward";
            }
        }
        return null;
    }

    /** What makes a transaction new coins, and where they come from, in words: sender "0" (B13 to B16), or no input (B17's coins). */
    public record Reward(Predicate<Map<String, Object>> is, String from) {
        public static final Reward FROM_SENDER_0 = new Reward(transaction -> "0".equals(transaction.get("sender")), "sender \"0\"");
    }
    // end::valid-chain[]

    // tag::held-once[]
    /** Every transaction has an id, 32 hex digits, and no two share one: a payment held twice is paid twice. */
    private static String whyIdsClash(List<Map<String, Object>> chain) {
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> block : chain) {
            for (Map<String, Object> transaction : ChainShape.transactions(block)) {
                Object id = transaction.get("id");
                if (id == null) return "invalid chain: block " + block.get("index") + ": a transaction has no 'id'";
                if (!TransactionIds.wellFormed(id)) {
                    return "invalid chain: block " + block.get("index") + ": an 'id' is not " + TransactionIds.SHAPE;
                }
                if (!seen.add(id)) return "invalid chain: block " + block.get("index") + ": id " + id + " is held twice";
            }
        }
        return null;
    }
    // end::held-once[]

    /**
     * The same rules for a stage with a genesis block of its own (B16's opens the village with coins),
     * whose {@code coins} rule checks each transaction, and its id, itself.
     */
    public static String whyInvalid(List<Map<String, Object>> chain, Map<String, Object> genesis, int zeros,
            Function<Map<String, Object>, String> coins) {
        return whyInvalid(chain, genesis, zeros, Reward.FROM_SENDER_0, coins);
    }

    /** The same, for a stage whose rewards are marked as {@code reward} says (B17's spend no coin). */
    public static String whyInvalid(List<Map<String, Object>> chain, Map<String, Object> genesis, int zeros, Reward reward,
            Function<Map<String, Object>, String> coins) {
        if (!PyJson.dumps(chain.get(0)).equals(PyJson.dumps(genesis))) {
            return "invalid chain: block 1 is not this village's genesis block";
        }
        return whyBlocksInvalid(chain, zeros, reward, coins);
    }

    /** The fields of a block, exactly: a block holding any other could carry megabytes the proof covers. */
    public static final Set<String> FIELDS = Set.of("index", "timestamp", "transactions", "nonce", "previous_hash");

    /**
     * The most bytes a block takes as JSON: a reward and {@link Transactions#MAX_PENDING} payments of
     * {@link Transactions#MAX_TRANSACTION_BYTES} each, with room for the other fields. B14 on hold
     * blocks to --block-bytes of payments as well ({@link FeeRate}).
     */
    public static final long MAX_BLOCK_BYTES = (Transactions.MAX_PENDING + 1L) * Transactions.MAX_TRANSACTION_BYTES + 1024;

    /** Null when the block has exactly a block's fields and is no larger than {@link #MAX_BLOCK_BYTES} as JSON. */
    private static String whyNotABlock(Map<String, Object> block) {
        if (!block.keySet().equals(FIELDS)) {
            // the field names are not quoted: they are a neighbour's bytes, and could be megabytes
            return "its fields are not exactly index, timestamp, transactions, nonce and previous_hash ("
                    + block.size() + " fields)";
        }
        long bytes = Utf8.length(PyJson.dumps(block));
        if (bytes > MAX_BLOCK_BYTES) return "it takes " + bytes + " bytes as JSON, more than a block may (" + MAX_BLOCK_BYTES + ")";
        return null;
    }

    /** How far past our own clock a block's time may be: Bitcoin's two hours. */
    public static final double MAX_SECONDS_AHEAD = 2 * 60 * 60;

    /**
     * Why a block is stamped more than two hours past {@code now}, our own clock, or else what
     * {@code otherwise} finds: a block from the far future would make every block after it carry that time.
     */
    public static String whyAheadOr(List<Map<String, Object>> chain, double now, Supplier<String> otherwise) {
        for (Map<String, Object> block : chain) {
            if (((Number) block.get("timestamp")).doubleValue() > now + MAX_SECONDS_AHEAD) {
                return "invalid chain: block " + block.get("index") + ": its timestamp is more than two hours past our clock";
            }
        }
        return otherwise.get();
    }
}

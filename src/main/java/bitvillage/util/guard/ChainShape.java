package bitvillage.util.guard;

import java.util.List;
import java.util.Map;

/**
 * The shape of a chain a neighbour sent. It is JSON that anyone could have written, so before the
 * book's two checks (hashes and nonces) look at it, each block must hold the fields our node relies
 * on, and each transaction must be one a neighbour can hold ({@link Transactions}): a missing or odd
 * field makes the chain invalid, with a reason, never an exception.
 */
public final class ChainShape {
    private ChainShape() {}

    /** What is wrong with the chain's shape, or null when every block has the fields a node relies on. */
    public static String whyMisshapen(Object chain) {
        if (!(chain instanceof List<?> blocks)) return "the chain is not a list";
        if (blocks.isEmpty()) return "the chain has no blocks";
        for (int i = 0; i < blocks.size(); i++) {
            String wrong = whyMisshapen(blocks.get(i), i + 1);
            if (wrong != null) return "block " + (i + 1) + ": " + wrong;
        }
        return null;
    }

    /** The block's transactions, in a block whose shape was checked. */
    @SuppressWarnings("unchecked") // whyMisshapen checked that they are a list of JSON objects
    public static List<Map<String, Object>> transactions(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    /** What is wrong with the shape of block number {@code index} (1 for the first), or null. */
    public static String whyMisshapen(Object value, long index) {
        return whyMisshapen(value, index, Transactions.PAYMENTS);
    }

    /** The same, for a stage whose transactions have the {@code shape} of its own. */
    public static String whyMisshapen(Object value, long index, Transactions.Shape shape) {
        if (!(value instanceof Map<?, ?> block)) return "not a JSON object";
        if (!Long.valueOf(index).equals(block.get("index"))) return "'index' should be " + index;
        if (!(block.get("timestamp") instanceof Number time) || !Double.isFinite(time.doubleValue())) {
            return "'timestamp' is not a number";
        }
        if (!(block.get("transactions") instanceof List<?> transactions)) return "'transactions' is not a list";
        for (Object transaction : transactions) {
            String wrong = shape.whyInvalid().apply(transaction);
            if (wrong != null) return wrong;
        }
        if (!(block.get("nonce") instanceof Long)) return "'nonce' is not a whole number";
        if (!block.containsKey("previous_hash")) return "'previous_hash' is missing";
        return null;
    }
}

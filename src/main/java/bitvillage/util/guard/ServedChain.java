package bitvillage.util.guard;

import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code GET /chain} answer's size. A neighbour reads at most {@link #MAX_BYTES} of it, so a node
 * that held a longer chain could share it with nobody, and could never agree with anyone again:
 * it neither mines nor adopts one.
 */
public final class ServedChain {
    private ServedChain() {}

    /** The largest chain answer a node reads from a neighbour: 32 MiB holds some 10,000 blocks with room to spare. */
    public static final int MAX_BYTES = 32 << 20;

    /** What {@code GET /chain} answers for this chain, in bytes: its indented JSON, with 'length' and 'last_bk_t'. */
    public static long bytes(List<Map<String, Object>> chain) {
        long blocks = 0;
        for (Map<String, Object> block : chain) blocks += blockBytes(block);
        return bytes(blocks, chain);
    }

    /**
     * What one block adds to the answer: it stands two levels deep, on a line of its own, with a
     * comma after it (all but the last, which {@link #bytes(long, List)} counts off).
     */
    public static long blockBytes(Map<String, Object> block) {
        return "\n    ".length() + PyJson.prettyBytes(block, 2) + ",".length();
    }

    /** The whole answer, from what its blocks add ({@link #blockBytes}, summed). */
    public static long bytes(long blockBytes, List<Map<String, Object>> chain) {
        // {"chain": [...], "last_bk_t": t, "length": n}, indented by two.
        long total = "{\n  \"chain\": [".length() + "\n  ],\n  \"last_bk_t\": ".length()
                + ",\n  \"length\": ".length() + "\n}\n".length();
        total += blockBytes - ",".length(); // no comma after the last block
        total += PyJson.dumps(chain.get(chain.size() - 1).get("timestamp")).length() + Long.toString(chain.size()).length();
        return total;
    }

    /** Why this chain is too large to serve, or null. */
    public static String whyTooLarge(List<Map<String, Object>> chain) {
        return whyTooLarge(bytes(chain));
    }

    /** Why a chain whose answer takes {@code bytes} is too large to serve, or null. */
    public static String whyTooLarge(long bytes) {
        return whyTooLarge(bytes, "");
    }

    /** Why a chain whose answer takes at least {@code bytes} (it is not all read yet) is too large to serve, or null. */
    public static String whyTooLargeSoFar(long bytes) {
        return whyTooLarge(bytes, "at least ");
    }

    private static String whyTooLarge(long bytes, String atLeast) {
        if (bytes <= MAX_BYTES) return null;
        return "served as we write it, the chain would take " + atLeast + bytes + " bytes, more than the "
                + (MAX_BYTES >> 20) + " MiB a node reads from a neighbour";
    }

    /**
     * Refuses, with a 503, to mine a block of these pending payments, and the miner's reward, when
     * the chain would then be too large to serve, or to hold once read ({@link ChainMemory}). The new block is sized with the longest index,
     * timestamp, nonce and hash it could have, so it never comes out larger than we counted.
     */
    public static void requireRoomToMine(List<Map<String, Object>> chain, List<Map<String, Object>> pending, String nodeId) {
        String tooLarge = whyNoRoom(withLargestNextBlock(chain, pending, nodeId));
        if (tooLarge != null) {
            throw new WebApp.Rejected(503, "Service Unavailable: no block was mined: " + tooLarge
                    + ", so no neighbour could read it");
        }
    }

    /**
     * Why a node holding this chain could not mine on it, not even a block of its reward alone,
     * and still serve it; or null. A chain that fails this is not one to adopt: every /mine would be a 503.
     */
    public static String whyNoRoomToGrow(List<Map<String, Object>> chain) {
        String tooLarge = whyNoRoom(withLargestNextBlock(chain, List.of(), "0".repeat(64)));
        return tooLarge == null ? null : "with one more block of its reward alone, " + tooLarge;
    }

    /** Why a node could not serve this chain, or hold it once read ({@link ChainMemory}); or null. */
    private static String whyNoRoom(List<Map<String, Object>> chain) {
        String tooLarge = whyTooLarge(chain);
        return tooLarge != null ? tooLarge : ChainMemory.whyTooLarge(ChainMemory.bytes(chain));
    }

    private static List<Map<String, Object>> withLargestNextBlock(List<Map<String, Object>> chain, List<Map<String, Object>> pending, String nodeId) {
        List<Map<String, Object>> transactions = new ArrayList<>(pending);
        // Longer than any reward a stage writes: with an id (B12 on; B16's are 64 hex), a large amount (B14's fees),
        // B16's fee and sequence (the block's index), and B17's height, no inputs and one output.
        transactions.add(Map.of("id", "0".repeat(64), "sender", "0", "recipient", nodeId, "amount", Long.MAX_VALUE,
                "fee", 0L, "sequence", Long.MAX_VALUE, "height", Long.MAX_VALUE, "inputs", List.of(),
                "outputs", List.of(Map.of("address", nodeId, "amount", Long.MAX_VALUE))));
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) chain.size() + 1);
        block.put("timestamp", -2.2250738585072014e-308); // as long as a float's repr gets
        block.put("transactions", transactions);
        block.put("nonce", Long.MIN_VALUE);
        block.put("previous_hash", "0".repeat(64));
        List<Map<String, Object>> after = new ArrayList<>(chain);
        after.add(block);
        return after;
    }
}

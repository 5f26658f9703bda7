package bitvillage.stages.taught;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What B13's page taught about the proof of work that covers the whole block, for B13 and every
 * stage after it: a block's fingerprint, the proof (that fingerprint starts with the difficulty's
 * zeros), the plain search for it, and the genesis block all these stages share. They import it
 * rather than copy it, so that {@code diff} shows each later stage's own lesson.
 */
public final class BlockProof {
    private BlockProof() {}

    // tag::genesis[]
    /**
     * The genesis block every node from B13 on starts from: the book's, with the time B-0.py printed.
     * It is fixed so that villagers share a history; a chain that starts elsewhere is another network.
     * Nobody mined it, so its nonce and previous hash are made up, as in the book.
     */
    public static Map<String, Object> genesis() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", 1L);
        block.put("timestamp", 1546678801.6103268);
        block.put("transactions", new ArrayList<>());
        block.put("nonce", 100L);
        block.put("previous_hash", 1L);
        return block;
    }
    // end::genesis[]

    // tag::valid-proof[]
    /** The block's fingerprint: SHA-256 of the block as Python's json.dumps(block, sort_keys=True). */
    public static String hash(Map<String, Object> block) {
        return Sha256.hex(PyJson.dumps(block));
    }

    /** Does the block's own hash, hash(block), nonce and all, start with enough zeros? */
    public static boolean validProof(Map<String, Object> block, int zeros) {
        return hash(block).startsWith("0".repeat(zeros));
    }
    // end::valid-proof[]

    // tag::find-nonce[]
    /**
     * Proof of work over the whole block: a copy of the block whose nonce, counted up from 0, is the
     * first that gives it its proof. Each try writes the whole block as JSON and hashes it.
     */
    public static Map<String, Object> findNonce(Map<String, Object> block, int zeros) {
        Map<String, Object> mined = new LinkedHashMap<>(block);
        for (long nonce = 0; ; nonce++) {
            mined.put("nonce", nonce);
            if (validProof(mined, zeros)) return mined;
        }
    }
    // end::find-nonce[]
}

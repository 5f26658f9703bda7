package bitvillage.exercises;

import bitvillage.stages.taught.BlockProof;
import java.util.Map;

/** Mines the block given in place: the right nonce, but the caller's block is changed under it. */
public final class B13Mine {
    private B13Mine() {}

    public static Map<String, Object> mine(Map<String, Object> block, int zeros) {
        for (long nonce = 0; ; nonce++) {
            block.put("nonce", nonce);
            if (BlockProof.validProof(block, zeros)) return block;
        }
    }
}

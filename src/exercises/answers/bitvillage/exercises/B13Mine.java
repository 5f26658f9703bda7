package bitvillage.exercises;

import bitvillage.stages.B13ProofOfWork.Blockchain;
import java.util.LinkedHashMap;
import java.util.Map;

/** Answer B13.2 (the stage's findNonce, region find-nonce, finds the same nonce, writing the block's JSON only once). */
public final class B13Mine {
    private B13Mine() {}

    public static Map<String, Object> mine(Map<String, Object> block, int zeros) {
        Map<String, Object> mined = new LinkedHashMap<>(block); // the transactions are shared, never changed
        for (long nonce = 0; ; nonce++) {
            mined.put("nonce", nonce);
            if (Blockchain.validProof(mined, zeros)) return mined;
        }
    }
}

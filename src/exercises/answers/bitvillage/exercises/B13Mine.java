package bitvillage.exercises;

import bitvillage.stages.taught.BlockProof;
import java.util.LinkedHashMap;
import java.util.Map;

/** Answer B13.2: the plain loop of B13's page (BlockProof.findNonce); the nodes' BlockMiner finds the same nonce sooner. */
public final class B13Mine {
    private B13Mine() {}

    public static Map<String, Object> mine(Map<String, Object> block, int zeros) {
        Map<String, Object> mined = new LinkedHashMap<>(block); // the transactions are shared, never changed
        for (long nonce = 0; ; nonce++) {
            mined.put("nonce", nonce);
            if (BlockProof.validProof(mined, zeros)) return mined;
        }
    }
}

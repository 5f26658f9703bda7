package bitvillage.exercises;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.Map;

/** Answer B13.1 (the stage's validProof, region valid-proof, is the same line on its hash). */
public final class B13ValidProof {
    private B13ValidProof() {}

    public static boolean validProof(Map<String, Object> block, int zeros) {
        return Sha256.hex(PyJson.dumps(block)).startsWith("0".repeat(zeros));
    }
}

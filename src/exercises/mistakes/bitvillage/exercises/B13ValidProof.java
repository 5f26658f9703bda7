package bitvillage.exercises;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hashes the block with its nonce left out, as if the nonce were an answer beside the block rather than part of it. */
public final class B13ValidProof {
    private B13ValidProof() {}

    public static boolean validProof(Map<String, Object> block, int zeros) {
        Map<String, Object> contents = new LinkedHashMap<>(block);
        contents.remove("nonce");
        return Sha256.hex(PyJson.dumps(contents)).startsWith("0".repeat(zeros));
    }
}

package bitvillage.exercises;

import java.util.Map;

/** Exercise B13.1: B13's proof, which covers the whole block. */
public final class B13ValidProof {
    private B13ValidProof() {}

    /**
     * Does the block carry its proof? Its own hash, SHA-256 of Python's
     * json.dumps(block, sort_keys=True), nonce and all, must start with {@code zeros} hex zeros.
     * bitvillage.util.python.PyJson.dumps writes the block as Python does; bitvillage.util.python.Sha256.hex
     * gives the digest.
     */
    public static boolean validProof(Map<String, Object> block, int zeros) {
        throw new UnsupportedOperationException("exercise B13.1: write B13ValidProof.validProof");
    }
}

package bitvillage.exercises;

import bitvillage.stages.B02Mining.Blockchain;

/** Answer B02.2: the stage's own method (region find-nonce of B02Mining). */
public final class B02FindNonce {
    private B02FindNonce() {}

    public static long findNonce(long lastNonce, int zeros) {
        return new Blockchain(() -> 0.0, zeros).findNonce(lastNonce);
    }
}

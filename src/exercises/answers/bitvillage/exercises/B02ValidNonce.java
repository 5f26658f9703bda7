package bitvillage.exercises;

import bitvillage.stages.B02Mining.Blockchain;

/** Answer B02.1: the stage's own method (region valid-nonce of B02Mining). */
public final class B02ValidNonce {
    private B02ValidNonce() {}

    public static boolean validNonce(long lastNonce, long nonce, int zeros) {
        return Blockchain.validNonce(lastNonce, nonce, zeros);
    }
}

package bitvillage.exercises;

import bitvillage.util.python.Sha256;

/** A slip a public Java port of the book once made: the zeros at the end of the digest, not at its start. */
public final class B02ValidNonce {
    private B02ValidNonce() {}

    public static boolean validNonce(long lastNonce, long nonce, int zeros) {
        return Sha256.hex(Long.toString(lastNonce) + nonce).endsWith("0".repeat(zeros));
    }
}

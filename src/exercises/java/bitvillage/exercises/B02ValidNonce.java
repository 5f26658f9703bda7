package bitvillage.exercises;

/** Exercise B02.1: the book's valid_proof. */
public final class B02ValidNonce {
    private B02ValidNonce() {}

    /**
     * Is the nonce a solution? SHA-256 of the last nonce's digits followed by the nonce's digits
     * must start with {@code zeros} hex zeros. bitvillage.util.python.Sha256.hex gives the digest.
     */
    public static boolean validNonce(long lastNonce, long nonce, int zeros) {
        throw new UnsupportedOperationException("exercise B02.1: write B02ValidNonce.validNonce");
    }
}

package bitvillage.exercises;

/** Exercise B02.2: the book's proof_of_work, the search. */
public final class B02FindNonce {
    private B02FindNonce() {}

    /** The smallest nonce from 0 up that fits {@code lastNonce} with {@code zeros} leading zeros. */
    public static long findNonce(long lastNonce, int zeros) {
        throw new UnsupportedOperationException("exercise B02.2: write B02FindNonce.findNonce");
    }
}

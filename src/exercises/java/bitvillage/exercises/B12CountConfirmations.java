package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** Exercise B12.1: how many confirmations a payment has. */
public final class B12CountConfirmations {
    private B12CountConfirmations() {}

    /**
     * The confirmations of the transaction with this {@code id} in the chain: block K, the block
     * that holds it (a transaction whose "id" is {@code id}), and every block after it. A chain's
     * blocks are numbered from 1 by their "index" (a Long). 0 when no block holds the id; a
     * transaction may have no "id" at all (the book's node and B10 give none).
     */
    public static long confirmations(List<Map<String, Object>> chain, String id) {
        throw new UnsupportedOperationException("exercise B12.1: write B12CountConfirmations.confirmations");
    }
}

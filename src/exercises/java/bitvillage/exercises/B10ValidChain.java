package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** Exercise B10.6: the book's valid_chain, its two checks. */
public final class B10ValidChain {
    private B10ValidChain() {}

    /**
     * Is the chain valid? Block 1 is taken as it is; every later block must carry the hash of the
     * block before it in {@code previous_hash} (B10Consensus.Blockchain.hash), and a nonce that fits
     * the nonce before it with {@code zeros} zeros (B10Consensus.Blockchain.validNonce). The blocks
     * are well formed here: index, timestamp, transactions, nonce (a Long) and previous_hash.
     */
    public static boolean validChain(List<Map<String, Object>> chain, int zeros) {
        throw new UnsupportedOperationException("exercise B10.6: write B10ValidChain.validChain");
    }
}

package bitvillage.exercises;

import bitvillage.stages.B07MineRoute.Blockchain;
import java.util.Map;

/** Exercise B07.1: the heart of the book's GET /mine. */
public final class B07Mine {
    private B07Mine() {}

    /**
     * Finds the nonce that fits the last block's nonce ({@code blockchain.findNonce}), pays the
     * miner one coin (a transaction from sender "0" to {@code nodeId}, amount 1), forges the block
     * with that nonce and answers it.
     */
    public static Map<String, Object> mine(Blockchain blockchain, String nodeId) {
        throw new UnsupportedOperationException("exercise B07.1: write B07Mine.mine");
    }
}

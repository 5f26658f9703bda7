package bitvillage.exercises;

import bitvillage.stages.B08ChainRoute.Blockchain;
import java.util.Map;

/** Exercise B08.1: what GET /chain answers. */
public final class B08CheckChain {
    private B08CheckChain() {}

    /**
     * The book's three keys: {@code chain} (the blocks), {@code length} (how many, a Long) and
     * {@code last_bk_t} (the last block's timestamp), all from one copy of the chain.
     */
    public static Map<String, Object> checkChain(Blockchain blockchain) {
        throw new UnsupportedOperationException("exercise B08.1: write B08CheckChain.checkChain");
    }
}

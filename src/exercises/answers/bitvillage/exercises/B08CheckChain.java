package bitvillage.exercises;

import bitvillage.stages.B08ChainRoute;
import bitvillage.stages.B08ChainRoute.Blockchain;
import java.util.Map;

/** Answer B08.1: the stage's own method (region check-chain of B08ChainRoute). */
public final class B08CheckChain {
    private B08CheckChain() {}

    public static Map<String, Object> checkChain(Blockchain blockchain) {
        return B08ChainRoute.checkChain(blockchain);
    }
}

package bitvillage.exercises;

import bitvillage.stages.B10Consensus;
import java.util.List;
import java.util.Map;

/** Answer B10.6: the stage's own method (region valid-chain of B10Consensus). */
public final class B10ValidChain {
    private B10ValidChain() {}

    public static boolean validChain(List<Map<String, Object>> chain, int zeros) {
        return B10Consensus.validChain(chain, zeros);
    }
}

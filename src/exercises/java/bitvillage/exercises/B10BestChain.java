package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** Exercise B10.7: the choice at the heart of resolve_conflicts. */
public final class B10BestChain {
    private B10BestChain() {}

    /**
     * The chain a node keeps after hearing its neighbours' chains: the longest valid one
     * (B10Consensus.validChain with {@code zeros}); among valid chains as long as the longest, the
     * one whose last block has the earliest timestamp. Ours is kept unless a neighbour's beats it:
     * longer, or as long with an earlier last block. An invalid chain never wins, however long.
     */
    public static List<Map<String, Object>> best(List<Map<String, Object>> ours,
            List<List<Map<String, Object>>> theirs, int zeros) {
        throw new UnsupportedOperationException("exercise B10.7: write B10BestChain.best");
    }
}

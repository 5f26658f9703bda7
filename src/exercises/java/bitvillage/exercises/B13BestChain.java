package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** Exercise B13.3: which chain wins, now that the most work does. */
public final class B13BestChain {
    private B13BestChain() {}

    /**
     * The chain a B13 node keeps after hearing its neighbours' chains: the valid one
     * (B13ProofOfWork.validChain with {@code zeros}) with the most blocks, which at one difficulty
     * is the most work. Ours is kept unless a neighbour's is longer; a chain only as long as ours
     * never replaces it, whatever its timestamps say. Of neighbours' chains as long as each other,
     * the first in the list wins. An invalid chain never wins, however long.
     */
    public static List<Map<String, Object>> best(List<Map<String, Object>> ours,
            List<List<Map<String, Object>>> theirs, int zeros) {
        throw new UnsupportedOperationException("exercise B13.3: write B13BestChain.best");
    }
}

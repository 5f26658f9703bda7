package bitvillage.exercises;

import bitvillage.stages.B10Consensus;
import java.util.List;
import java.util.Map;

/**
 * Answer B10.7 (the stage's resolveConflicts keeps the best offer by its comparator BETTER_FIRST, and
 * its private adoptIfBetter replaces our chain; both also report on every neighbour).
 */
public final class B10BestChain {
    private B10BestChain() {}

    public static List<Map<String, Object>> best(List<Map<String, Object>> ours,
            List<List<Map<String, Object>>> theirs, int zeros) {
        List<Map<String, Object>> best = ours;
        for (List<Map<String, Object>> chain : theirs) {
            if (!B10Consensus.validChain(chain, zeros)) continue;
            boolean longer = chain.size() > best.size();
            boolean earlier = chain.size() == best.size() && lastTime(chain) < lastTime(best);
            if (longer || earlier) best = chain;
        }
        return best;
    }

    private static double lastTime(List<Map<String, Object>> chain) {
        return ((Number) chain.get(chain.size() - 1).get("timestamp")).doubleValue();
    }
}

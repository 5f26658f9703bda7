package bitvillage.exercises;

import bitvillage.stages.B13ProofOfWork;
import java.util.List;
import java.util.Map;

/** Keeps B10's tie-break: a chain as long as the best so far wins if its last block is earlier. */
public final class B13BestChain {
    private B13BestChain() {}

    public static List<Map<String, Object>> best(List<Map<String, Object>> ours,
            List<List<Map<String, Object>>> theirs, int zeros) {
        List<Map<String, Object>> best = ours;
        for (List<Map<String, Object>> chain : theirs) {
            if (!B13ProofOfWork.validChain(chain, zeros)) continue;
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

package bitvillage.exercises;

import bitvillage.stages.B13ProofOfWork;
import java.util.List;
import java.util.Map;

/** Answer B13.3 (the stage's adoptIfBetter, region resolve-conflicts, is private, and breaks ties between neighbours by address). */
public final class B13BestChain {
    private B13BestChain() {}

    public static List<Map<String, Object>> best(List<Map<String, Object>> ours,
            List<List<Map<String, Object>>> theirs, int zeros) {
        List<Map<String, Object>> best = ours;
        for (List<Map<String, Object>> chain : theirs) {
            if (chain.size() > best.size() && B13ProofOfWork.validChain(chain, zeros)) best = chain; // as long: the first seen stands
        }
        return best;
    }
}

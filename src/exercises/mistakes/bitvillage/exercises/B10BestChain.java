package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** The longest chain, valid or not: "longest" without "valid". */
public final class B10BestChain {
    private B10BestChain() {}

    public static List<Map<String, Object>> best(List<Map<String, Object>> ours,
            List<List<Map<String, Object>>> theirs, int zeros) {
        List<Map<String, Object>> best = ours;
        for (List<Map<String, Object>> chain : theirs) {
            if (chain.size() > best.size()) best = chain;
        }
        return best;
    }
}

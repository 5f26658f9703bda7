package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** Answer B12.1 (the stage's find, region find-transaction, counts the same on its own chain, under its lock). */
public final class B12CountConfirmations {
    private B12CountConfirmations() {}

    public static long confirmations(List<Map<String, Object>> chain, String id) {
        for (Map<String, Object> block : chain) {
            for (Object transaction : (List<?>) block.get("transactions")) {
                if (id.equals(((Map<?, ?>) transaction).get("id"))) {
                    return chain.size() - (long) block.get("index") + 1; // block K counts too
                }
            }
        }
        return 0;
    }
}

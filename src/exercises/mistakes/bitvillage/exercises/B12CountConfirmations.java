package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** Counts the blocks after block K, and forgets block K itself. */
public final class B12CountConfirmations {
    private B12CountConfirmations() {}

    public static long confirmations(List<Map<String, Object>> chain, String id) {
        for (Map<String, Object> block : chain) {
            for (Object transaction : (List<?>) block.get("transactions")) {
                if (id.equals(((Map<?, ?>) transaction).get("id"))) return chain.size() - (long) block.get("index");
            }
        }
        return 0;
    }
}

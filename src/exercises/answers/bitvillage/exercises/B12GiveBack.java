package bitvillage.exercises;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Answer B12.3 (the stage's replaceChain is private, and also tells apart transactions without an id by counting them). */
public final class B12GiveBack {
    private B12GiveBack() {}

    public static List<Map<String, Object>> stillPending(List<Map<String, Object>> ours,
            List<Map<String, Object>> pending, List<Map<String, Object>> newChain) {
        Set<Object> held = new HashSet<>();
        for (Map<String, Object> transaction : transactions(newChain)) held.add(transaction.get("id"));
        List<Map<String, Object>> stillPending = new ArrayList<>();
        for (Map<String, Object> transaction : transactions(ours)) {
            if (!"0".equals(transaction.get("sender")) && !held.contains(transaction.get("id"))) stillPending.add(transaction);
        }
        for (Map<String, Object> transaction : pending) {
            if (!held.contains(transaction.get("id"))) stillPending.add(transaction);
        }
        return stillPending;
    }

    /** Every transaction of the chain, block after block. */
    private static List<Map<String, Object>> transactions(List<Map<String, Object>> chain) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> block : chain) {
            for (Object transaction : (List<?>) block.get("transactions")) {
                @SuppressWarnings("unchecked") // a chain's transactions are JSON objects
                Map<String, Object> object = (Map<String, Object>) transaction;
                all.add(object);
            }
        }
        return all;
    }
}

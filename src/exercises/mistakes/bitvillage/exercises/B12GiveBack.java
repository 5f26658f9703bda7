package bitvillage.exercises;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Looks for each transaction by what it says, as B10 did, and not by its id. */
public final class B12GiveBack {
    private B12GiveBack() {}

    public static List<Map<String, Object>> stillPending(List<Map<String, Object>> ours,
            List<Map<String, Object>> pending, List<Map<String, Object>> newChain) {
        List<Map<Object, Object>> arriving = new ArrayList<>();
        for (Map<String, Object> block : newChain) {
            for (Object transaction : (List<?>) block.get("transactions")) arriving.add(withoutId((Map<?, ?>) transaction));
        }
        List<Map<String, Object>> stillPending = new ArrayList<>();
        for (Map<String, Object> block : ours) {
            for (Object item : (List<?>) block.get("transactions")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> transaction = (Map<String, Object>) item;
                if (!"0".equals(transaction.get("sender")) && !arriving.remove(withoutId(transaction))) stillPending.add(transaction);
            }
        }
        for (Map<String, Object> transaction : pending) {
            if (!arriving.remove(withoutId(transaction))) stillPending.add(transaction);
        }
        return stillPending;
    }

    private static Map<Object, Object> withoutId(Map<?, ?> transaction) {
        Map<Object, Object> content = new HashMap<>(transaction);
        content.remove("id");
        return content;
    }
}

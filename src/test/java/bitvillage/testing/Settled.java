package bitvillage.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Waits until B18's gossip has settled in a village: each villager's {@code GET /nodes} says
 * {@code "gossip_in_flight": 0}, twice in a row, with nothing else changed in between. One look is not
 * enough: a villager may say 0 just before a neighbour's last announcement reaches it. But every piece
 * of gossip work that could start another (an announcement that arrived, a fetch) moves a counter or a
 * score in {@code GET /nodes}, or is in flight when asked; so two equal looks, all 0, mean nothing is
 * left. The wait goes on while the answers change, and fails only once they have not changed for 20 s.
 */
public final class Settled {
    private static final long STALLED_NANOS = 20_000_000_000L;

    private Settled() {}

    /** Waits for the villagers at these base URLs ({@code http://127.0.0.1:PORT}); answers how many requests it sent. */
    public static int await(List<String> villagers) throws Exception {
        if (villagers.isEmpty()) return 0;
        List<Map<String, Object>> last = look(villagers);
        int looks = 1;
        long stalledSince = System.nanoTime();
        while (true) {
            Thread.sleep(10);
            List<Map<String, Object>> now = look(villagers);
            looks++;
            boolean quiet = now.stream().allMatch(answer -> Long.valueOf(0).equals(answer.get("gossip_in_flight")));
            if (quiet && now.equals(last)) return looks * villagers.size();
            if (!now.equals(last)) stalledSince = System.nanoTime();
            if (System.nanoTime() - stalledSince > STALLED_NANOS) throw new AssertionError("gossip did not settle in 20 s: " + now);
            last = now;
        }
    }

    /** Waits for these nodes. */
    public static void awaitNodes(List<WebNode> villagers) throws Exception {
        await(villagers.stream().map(node -> node.app.url()).toList());
    }

    private static List<Map<String, Object>> look(List<String> villagers) throws Exception {
        List<Map<String, Object>> answers = new ArrayList<>();
        for (String villager : villagers) answers.add(Http.json(Http.get(villager + "/nodes"), 200));
        return answers;
    }
}

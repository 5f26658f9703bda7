package bitvillage.util.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each neighbour earned by misbehaving, as Bitcoin's "misbehavior score": points for an
 * announcement it could not serve, for a block that broke a rule, for announcing faster than
 * {@link #ANNOUNCEMENTS_PER_SECOND}. Past {@link #THRESHOLD} it is dropped, with the reason, and stays
 * dropped: registering it again does not lift it. Honest neighbours earn nothing, so a score never
 * decays. Memory is bounded: at most {@link #MAX_REMEMBERED} addresses, the oldest forgotten first.
 */
public final class NeighbourScores {
    public static final int THRESHOLD = 100;
    /** An invalid block costs the sender a proof of work: one is enough to be dropped, as in Bitcoin. */
    public static final int INVALID = 100;
    /** An announcement it could not serve (no answer, not found, not what was announced): five and it is dropped. */
    public static final int CANNOT_SERVE = 20;
    /** Each announcement past the rate. */
    public static final int FLOOD = 1;
    /** A neighbour's steady rate of announcements, and the burst it may send at once. */
    public static final double ANNOUNCEMENTS_PER_SECOND = 20;
    public static final double BURST = 100;
    public static final int MAX_REMEMBERED = 1_000;

    /** One neighbour's record: its score, the announcements it may still send now, and why it was dropped. */
    private static final class Record {
        int score;
        double allowance = BURST;
        double refilledAt;
        String droppedBecause;
    }

    private final Map<String, Record> records = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /** Real time, whatever world a stage runs in: a flood is measured in true seconds. */
    private static double now() {
        return System.nanoTime() / 1e9;
    }

    /** True if the neighbour may announce one more now; false, with {@link #FLOOD} points, if it announces too fast. */
    public synchronized boolean allowAnnouncement(String neighbour) {
        Record record = record(neighbour);
        double now = now();
        record.allowance = Math.min(BURST, record.allowance + (now - record.refilledAt) * ANNOUNCEMENTS_PER_SECOND);
        record.refilledAt = now;
        if (record.allowance >= 1) {
            record.allowance -= 1;
            return true;
        }
        blame(neighbour, FLOOD, "announced faster than " + (int) ANNOUNCEMENTS_PER_SECOND + " a second");
        return false;
    }

    /** Adds points for what the neighbour did; true when this drops it (the first time its score passes the threshold). */
    public synchronized boolean blame(String neighbour, int points, String why) {
        Record record = record(neighbour);
        record.score += points;
        if (record.droppedBecause != null || record.score < THRESHOLD) return false;
        record.droppedBecause = why;
        return true;
    }

    public synchronized boolean dropped(String neighbour) {
        Record record = records.get(neighbour);
        return record != null && record.droppedBecause != null;
    }

    public synchronized int score(String neighbour) {
        Record record = records.get(neighbour);
        return record == null ? 0 : record.score;
    }

    /** The neighbours dropped, each as {"address", "score", "reason"}. */
    public synchronized List<Map<String, Object>> droppedList() {
        return records.entrySet().stream().filter(entry -> entry.getValue().droppedBecause != null)
                .map(entry -> Map.<String, Object>of("address", entry.getKey(), "score", (long) entry.getValue().score,
                        "reason", entry.getValue().droppedBecause)).toList();
    }

    private Record record(String neighbour) {
        return records.computeIfAbsent(neighbour, address -> {
            Record record = new Record();
            record.refilledAt = now();
            return record;
        });
    }
}

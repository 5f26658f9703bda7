package bitvillage.util.guard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payments a mempool evicted, remembered so that a payer who asks about one hears "evicted"
 * rather than "unknown". What guards the node: the memory holds at most a budget of bytes (the
 * payments' JSON), and forgets the oldest first, so a flood of evictions cannot grow it without end.
 */
public final class RecentlyEvicted {
    private record Gone(Map<String, Object> transaction, int bytes) {}

    private final LinkedHashMap<String, Gone> gone = new LinkedHashMap<>(); // oldest first
    private final long budget;
    private long bytes;

    public RecentlyEvicted(long budget) {
        this.budget = budget;
    }

    /** Remembers an evicted payment, forgetting the oldest ones while the budget is exceeded. */
    public synchronized void add(String id, Map<String, Object> transaction, int size) {
        forget(id);
        gone.put(id, new Gone(transaction, size));
        bytes += size;
        var oldest = gone.entrySet().iterator();
        while (bytes > budget && oldest.hasNext()) {
            bytes -= oldest.next().getValue().bytes();
            oldest.remove();
        }
    }

    /** The evicted payment with this id, or null when none is remembered. */
    public synchronized Map<String, Object> get(String id) {
        Gone payment = gone.get(id);
        return payment == null ? null : payment.transaction();
    }

    /** Forgets a payment, which came back to the mempool or into a block. */
    public synchronized void forget(String id) {
        Gone payment = gone.remove(id);
        if (payment != null) bytes -= payment.bytes();
    }
}

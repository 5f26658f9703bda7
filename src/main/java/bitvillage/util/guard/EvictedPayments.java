package bitvillage.util.guard;

import bitvillage.util.web.WebApp;
import java.util.HashMap;
import java.util.Map;

/**
 * The payments a mempool evicted, remembered so that a payer who asks about one hears "evicted", and
 * why, rather than "unknown": a node never forgets a payment it took. What guards the node is the
 * budget of bytes (the payments' JSON): the memory never forgets one by itself, so once it holds the
 * budget, the mempool evicts no more ({@link #requireRoom}), and refuses new payments that would need it.
 * A payment leaves the memory only when it comes back into the pool or a block holds it.
 */
public final class EvictedPayments {
    /** An evicted payment, its bytes, and why it lost its place. */
    public record Evicted(Map<String, Object> transaction, int bytes, String why) {}

    private final Map<String, Evicted> evicted = new HashMap<>();
    private final long budget;
    private long bytes;

    public EvictedPayments(long budget) {
        this.budget = budget;
    }

    /** Remembers an evicted payment, whatever the budget: a caller that may refuse to evict asks {@link #requireRoom} first. */
    public synchronized void add(String id, Map<String, Object> transaction, int size, String why) {
        forget(id);
        evicted.put(id, new Evicted(transaction, size, why));
        bytes += size;
    }

    /** Refuses (503) a payment that would evict another once the memory holds its budget: a flood may not make it forget. */
    public synchronized void requireRoom() {
        if (bytes >= budget) {
            throw new WebApp.Rejected(503, "Service Unavailable: the mempool is full, and so is its memory of evicted payments ("
                    + budget + " bytes), which forgets none: no payment may take another's place until blocks make room; nothing was queued");
        }
    }

    /** The evicted payment with this id, or null when none was. */
    public synchronized Evicted get(String id) {
        return evicted.get(id);
    }

    /** Forgets a payment, which came back to the mempool or into a block. */
    public synchronized void forget(String id) {
        Evicted payment = evicted.remove(id);
        if (payment != null) bytes -= payment.bytes();
    }
}

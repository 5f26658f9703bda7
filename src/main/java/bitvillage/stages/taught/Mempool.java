package bitvillage.stages.taught;

import bitvillage.stages.taught.FeeRate.Pending;
import bitvillage.util.guard.EvictedPayments;
import bitvillage.util.web.WebApp;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * What B15's page taught, for B15 and every stage after it: the full pool. The payments wait in the
 * miner's order of B14's page ({@link FeeRate}), up to a limit of bytes; when the pool is full, a
 * better-paying payment evicts the cheapest, and a worse-paying one is refused with the fee it must
 * pay. The pool remembers what it evicted, and why, and projects the blocks to come. It is not thread-safe:
 * the blockchain that holds it calls it under the blockchain's own lock.
 */
public final class Mempool extends AbstractCollection<Pending> {
    private static final int MOST_DIGITS = 20; // a higher fee may have more digits, a larger payment: a long has 19 at most

    private final TreeSet<Pending> inOrder = new TreeSet<>(FeeRate.MINERS_ORDER);
    private final Map<String, Pending> byId = new HashMap<>();
    private final EvictedPayments evicted; // payments that lost their place, to say so when asked
    private final int blockBytes; // the most bytes of payments one block holds
    public final long limitBytes; // the most bytes of payments the pool holds
    private long bytes; // the bytes of all its payments together
    private long arrivals; // counts payments in, so that equal fee rates go by arrival
    private Set<String> sealed; // the payments of the block being mined; null while none is
    private final Lineage lineage; // which payments need which mined first (B16 on)
    private final ToLongFunction<Map<String, Object>> feeOf; // its field "fee" (B14 to B16), or what its coins leave over (B17)

    public Mempool(int blockBytes, long limitBytes) {
        this(blockBytes, limitBytes, Lineage.none());
    }

    public Mempool(int blockBytes, long limitBytes, Lineage lineage) {
        this(blockBytes, limitBytes, lineage, transaction -> (long) transaction.get("fee"));
    }

    public Mempool(int blockBytes, long limitBytes, Lineage lineage, ToLongFunction<Map<String, Object>> feeOf) {
        this.lineage = lineage;
        this.feeOf = feeOf;
        if (limitBytes < 2L * blockBytes) throw new IllegalArgumentException("the mempool must hold at least two blocks");
        this.blockBytes = blockBytes;
        this.limitBytes = limitBytes;
        this.evicted = new EvictedPayments(10 * limitBytes); // ten pools' worth; when it is full, the pool evicts no more
    }

    // tag::make-room[]
    /**
     * Takes a payment in. A full pool makes room as Bitcoin Core does: the cheapest go, if each pays less than the
     * newcomer; if not, it is refused with the rate to beat (Core's mempool minimum fee). A block being mined keeps its own.
     */
    public void admit(Map<String, Object> transaction) {
        Pending payment = pending(transaction);
        List<Pending> cheapest = new ArrayList<>();
        Set<String> ancestors = lineage.ancestors(transaction, byId.keySet()); // what it needs stays
        long room = limitBytes - bytes;
        for (Pending other : inOrder.descendingSet()) { // lowest rate first
            if (room >= payment.bytes()) break;
            if (sealed != null && sealed.contains(other.id()) || ancestors.contains(other.id())) continue;
            cheapest.add(other);
            room += other.bytes();
        }
        if (room < payment.bytes()) { // what is left is the block being mined and what this payment needs: it waits
            throw new WebApp.Rejected(503, "Service Unavailable: the mempool is full of the block being mined and of the"
                    + " payments this one needs; nothing was queued: send it again once a block makes room");
        }
        Pending toBeat = cheapest.isEmpty() ? null : cheapest.get(cheapest.size() - 1);
        if (toBeat != null) evicted.requireRoom(); // the evicted are never forgotten: with no room to remember, none is evicted
        if (toBeat != null && FeeRate.MINERS_ORDER.compare(payment, toBeat) > 0) throw new Full(toBeat); // pays less, or as much but later
        cheapest.forEach(other -> evict(other, "outbid: a payment paying a higher fee rate took its place"));
        put(payment);
        evicted.forget(payment.id());
    }

    /** The pool is full of payments that pay at least the fee rate of {@code toBeat}. */
    public static final class Full extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final transient Pending toBeat;

        Full(Pending toBeat) {
            super("the mempool is full; a payment must pay more than " + toBeat.feeRate() + " coins a byte to enter");
            this.toBeat = toBeat;
        }

        /** The smallest whole fee that beats the rate for this payment (its size grows with the fee's digits); null above the most a fee may be. */
        public Long feeToPay(Map<String, Object> transaction) {
            Map<String, Object> withFee = new LinkedHashMap<>(transaction);
            for (int digits = 0; digits < MOST_DIGITS; digits++) {
                withFee.put("fee", toBeat.fee() * FeeRate.bytes(withFee) / toBeat.bytes() + 1);
            }
            return (long) withFee.get("fee") <= FeeRate.MAX_FEE ? (Long) withFee.get("fee") : null; // never one we refuse
        }
    }
    // end::make-room[]

    // tag::projection[]
    /**
     * Each payment, in the miner's order, with the block it would go into if no other came and the miner filled
     * block {@code next} and those after with {@link FeeRate#chooseBlock}: each into the first block with room.
     */
    public LinkedHashMap<Pending, Long> projection(long next) {
        Map<Pending, Long> blockOf = placeInBlocks(null, next);
        LinkedHashMap<Pending, Long> projected = new LinkedHashMap<>();
        for (Pending payment : inOrder) projected.put(payment, blockOf.get(payment));
        return projected;
    }

    /** The projected block of one payment: the first fit stops once it is placed. */
    public long projectedBlock(Pending payment, long next) {
        return placeInBlocks(payment, next).get(payment);
    }

    /** First fit down the miner's order, each payment after its parents into the first block with room from theirs; up to {@code last}, or all. */
    private Map<Pending, Long> placeInBlocks(Pending last, long next) {
        int smallest = Integer.MAX_VALUE;
        for (Pending payment : inOrder) smallest = Math.min(smallest, payment.bytes());
        Map<Pending, Long> blockOf = new IdentityHashMap<>();
        List<Integer> room = new ArrayList<>(); // what is left in each projected block
        int full = 0; // the blocks before this one have no room for any payment
        long first = sealed == null ? next : next + 1;
        for (Pending payment : lineage.parentsFirst(inOrder, byId)) { // B15: the miner's order
            if (sealed != null && sealed.contains(payment.id())) {
                blockOf.put(payment, next);
            } else {
                int block = full;
                for (String parent : lineage.parents(payment.id())) { // a block holds a child no earlier than its parents
                    Long parentsBlock = blockOf.get(byId.get(parent));
                    if (parentsBlock != null) block = (int) Math.max(block, parentsBlock - first);
                }
                while (block < room.size() && room.get(block) < payment.bytes()) block++;
                if (block == room.size()) room.add(blockBytes); // none is larger than a block
                room.set(block, room.get(block) - payment.bytes());
                blockOf.put(payment, first + block);
                while (full < room.size() && room.get(full) < smallest) full++;
            }
            if (payment == last) break;
        }
        return blockOf;
    }
    // end::projection[]

    // tag::seal[]
    /** Chooses the next block's payments ({@link FeeRate#chooseBlock}), and keeps them for it while it is mined. */
    public List<Pending> seal() {
        List<Pending> chosen = lineage.chooseBlock(inOrder, blockBytes, byId);
        sealed = new HashSet<>();
        chosen.forEach(payment -> sealed.add(payment.id()));
        return chosen;
    }

    /** The block was mined, or given up: no payment is kept for it any more. */
    public void unseal() {
        sealed = null;
    }

    /** After a replaced chain: the payments it gives back, the older first, instead of those here; the cheapest evicted if they overflow. */
    public void refill(List<Map<String, Object>> transactions, Set<String> heldOrBack) {
        heldOrBack.forEach(evicted::forget); // the new chain holds them, or they come back: evicted no more
        new ArrayList<>(inOrder).forEach(this::takeOut);
        for (Map<String, Object> transaction : transactions) put(pending(transaction));
        while (bytes > limitBytes) evict(inOrder.last(), "the pool overflowed when a replaced chain gave payments back"); // past the budget too
    }
    // end::seal[]

    private Pending pending(Map<String, Object> transaction) {
        return new Pending(transaction, feeOf.applyAsLong(transaction), FeeRate.bytes(transaction), arrivals++);
    }

    private void put(Pending payment) {
        inOrder.add(payment);
        byId.put(payment.id(), payment);
        bytes += payment.bytes();
        lineage.link(payment, byId.keySet());
    }

    private void takeOut(Pending payment) {
        inOrder.remove(payment);
        byId.remove(payment.id());
        bytes -= payment.bytes();
        lineage.unlink(payment.id());
    }

    /** Evicts the payment, and the payments that need it: they could not be mined without it. */
    private void evict(Pending payment, String why) {
        for (Pending gone : lineage.withDescendants(payment, byId)) {
            takeOut(gone);
            evicted.add(gone.id(), gone.transaction(), gone.bytes(), why);
        }
    }

    /** Remembers a payment that a replaced chain gave back but that may not come back (B16: no longer valid), and why. */
    public void evictGivenBack(Map<String, Object> transaction, String why) {
        evicted.add((String) transaction.get("id"), transaction, FeeRate.bytes(transaction), why);
    }

    /** Takes out the payments that {@code filter} names: a block holds them now. */
    @Override
    public boolean removeIf(Predicate<? super Pending> filter) {
        List<Pending> held = inOrder.stream().filter(filter).toList();
        held.forEach(this::takeOut);
        return !held.isEmpty();
    }

    /** The payment with this id if it waits here, else null. */
    public Pending get(String id) {
        return byId.get(id);
    }

    /** The payment with this id if it was evicted (and neither came back nor is in a block), else null. */
    public EvictedPayments.Evicted evicted(String id) {
        return evicted.get(id);
    }

    /** The payments, in the miner's order. */
    @Override
    public Iterator<Pending> iterator() {
        return Collections.unmodifiableSet(inOrder).iterator();
    }

    @Override
    public int size() {
        return inOrder.size();
    }
}

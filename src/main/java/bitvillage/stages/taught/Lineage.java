package bitvillage.stages.taught;

import bitvillage.stages.taught.FeeRate.Pending;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * What B16's page taught about payments that need others mined first, for B16 and every stage after
 * it: a pending payment's parents (B16: the sender's payment before it). A block holds the parents
 * first, and evicting a payment evicts its descendants, which no block could hold without it. The
 * stage names a payment's parents, by id; the pool ({@link Mempool}) keeps the links, under its lock.
 */
public final class Lineage {
    private final Function<Map<String, Object>, Collection<String>> parentsOf; // the ids a payment needs, pending or mined
    private final Map<String, Set<String>> parents = new HashMap<>(); // those that were pending when it came
    private final Map<String, Set<String>> children = new HashMap<>(); // the pending payments that need it

    public Lineage(Function<Map<String, Object>, Collection<String>> parentsOf) {
        this.parentsOf = parentsOf;
    }

    /** No payment needs another (B15). */
    public static Lineage none() {
        return new Lineage(payment -> List.of());
    }

    /** A payment came into the pool, after its parents that are pending ({@code pending}, by id). */
    void link(Pending payment, Set<String> pending) {
        Set<String> pendingParents = new HashSet<>(parentsOf.apply(payment.transaction()));
        pendingParents.retainAll(pending);
        parents.put(payment.id(), pendingParents);
        for (String parent : pendingParents) children.computeIfAbsent(parent, none -> new HashSet<>()).add(payment.id());
    }

    /** A payment left the pool: mined, or evicted with its descendants. */
    void unlink(String id) {
        parents.remove(id);
        children.remove(id);
    }

    /** The pending payments a transaction needs mined first, what they need, and so on. */
    Set<String> ancestors(Map<String, Object> transaction, Set<String> pending) {
        Set<String> ancestors = new HashSet<>();
        List<String> toVisit = new ArrayList<>(parentsOf.apply(transaction));
        while (!toVisit.isEmpty()) {
            String id = toVisit.remove(toVisit.size() - 1);
            if (pending.contains(id) && ancestors.add(id)) toVisit.addAll(parents.get(id));
        }
        return ancestors;
    }

    /** The pending parents a payment had when it came (some may have left since, mined). */
    Set<String> parents(String id) {
        return parents.getOrDefault(id, Set.of());
    }

    /** The payments in the miner's order, each after its pending parents: the order a miner with endless room takes them. */
    List<Pending> parentsFirst(Collection<Pending> minersOrder, Map<String, Pending> pending) {
        if (children.isEmpty()) return List.copyOf(minersOrder); // none needs another
        Map<String, Integer> parentsLeft = new HashMap<>();
        PriorityQueue<Pending> candidates = new PriorityQueue<>(FeeRate.MINERS_ORDER);
        for (Pending payment : minersOrder) {
            int left = (int) parents(payment.id()).stream().filter(pending::containsKey).count();
            parentsLeft.put(payment.id(), left);
            if (left == 0) candidates.add(payment);
        }
        List<Pending> ordered = new ArrayList<>();
        while (!candidates.isEmpty()) {
            Pending payment = candidates.poll();
            ordered.add(payment);
            for (String child : children.getOrDefault(payment.id(), Set.of())) {
                if (parentsLeft.merge(child, -1, Integer::sum) == 0) candidates.add(pending.get(child));
            }
        }
        return ordered;
    }

    /** The payment and its descendants in the pool ({@code pending}), each after its parent; none if it left with a parent. */
    List<Pending> withDescendants(Pending payment, Map<String, Pending> pending) {
        List<Pending> family = new ArrayList<>();
        if (pending.get(payment.id()) == payment) family.add(payment);
        Set<String> seen = new HashSet<>(Set.of(payment.id()));
        for (int i = 0; i < family.size(); i++) {
            for (String child : children.getOrDefault(family.get(i).id(), Set.of())) {
                if (pending.containsKey(child) && seen.add(child)) family.add(pending.get(child));
            }
        }
        return family;
    }

    // tag::parents-first[]
    /**
     * B14's fill ({@link FeeRate#chooseBlock}), parents first: a payment is a candidate once its
     * pending parents are chosen, and the best-paying candidate goes next. One that does not fit keeps
     * its descendants out of this block too.
     */
    List<Pending> chooseBlock(Collection<Pending> minersOrder, int blockBytes, Map<String, Pending> pending) {
        if (children.isEmpty()) return FeeRate.chooseBlock(minersOrder, blockBytes); // none needs another
        Map<String, Integer> parentsLeft = new HashMap<>(); // a payment's parents not chosen yet
        PriorityQueue<Pending> candidates = new PriorityQueue<>(FeeRate.MINERS_ORDER);
        int smallest = Integer.MAX_VALUE;
        for (Pending payment : minersOrder) {
            smallest = Math.min(smallest, payment.bytes());
            int left = (int) parents.get(payment.id()).stream().filter(pending::containsKey).count();
            parentsLeft.put(payment.id(), left);
            if (left == 0) candidates.add(payment);
        }
        List<Pending> chosen = new ArrayList<>();
        int room = blockBytes;
        while (!candidates.isEmpty() && room >= smallest) {
            Pending payment = candidates.poll();
            if (payment.bytes() > room) continue;
            chosen.add(payment);
            room -= payment.bytes();
            for (String child : children.getOrDefault(payment.id(), Set.of())) {
                if (parentsLeft.merge(child, -1, Integer::sum) == 0) candidates.add(pending.get(child));
            }
        }
        return chosen;
    }
    // end::parents-first[]
}

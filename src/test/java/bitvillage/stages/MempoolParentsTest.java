package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import bitvillage.stages.taught.FeeRate.Pending;
import bitvillage.stages.taught.FeeRate;
import bitvillage.stages.taught.Lineage;
import bitvillage.stages.taught.Mempool;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pool's {@link Lineage} (B16 on): a block holds a payment's parents first, and evicting a payment evicts its descendants. */
class MempoolParentsTest {
    private final Map<String, String> parentOf = new HashMap<>(); // each payment's one parent, by id
    private final Mempool mempool = new Mempool(200, 400, new Lineage(payment -> parentOf.containsKey((String) payment.get("id"))
            ? List.of(parentOf.get((String) payment.get("id"))) : List.of()));

    private static Map<String, Object> payment(String id, long fee) {
        return FeeRate.transaction(id, "s".repeat(34), "r", 1L, fee); // 100 bytes: the pool holds 4
    }

    private void admit(String id, long fee, String parent) {
        if (parent != null) parentOf.put(id, parent);
        mempool.admit(payment(id, fee));
    }

    @Test
    void aPaymentEvictedWithItsParentIsNotEvictedTwice() {
        admit("a", 1, null);
        admit("b", 2, "a"); // the cheapest two: a goes first, and b with it
        admit("c", 5, null);
        admit("d", 5, null);
        mempool.admit(FeeRate.transaction("n", "s".repeat(134), "r", 1L, 9L)); // 200 bytes
        assertEquals(List.of("c", "d", "n"), ids(List.copyOf(mempool)));
        admit("e", 9, null); // the pool holds 400 bytes: one more of 100 evicts one
        assertEquals(3, mempool.size(), ids(List.copyOf(mempool)).toString());
    }

    private static List<String> ids(List<Pending> payments) {
        return payments.stream().map(Pending::id).toList();
    }

    @Test
    void aBlockHoldsAPaymentsParentFirstAndLeavesOutAChildWhoseParentDoesNotFit() {
        admit("a", 0, null);
        admit("b", 9, "a"); // pays best, but only after a
        admit("c", 5, null);
        assertEquals(List.of("c", "a"), ids(mempool.seal()), "a block holds two: b waits for a");
        mempool.unseal();
        mempool.removeIf(payment -> !payment.id().equals("b")); // a block holds c and a now
        assertEquals(List.of("b"), ids(mempool.seal()));
    }

    @Test
    void theProjectionPutsAChildNoEarlierThanItsParentAsTheMinerWill() {
        admit("a", 0, null);
        admit("b", 9, "a"); // pays best, but only after a
        admit("c", 5, null);
        admit("d", 5, null);
        assertEquals(Map.of("c", 2L, "d", 2L, "a", 3L, "b", 3L), projectedIds(2), "b waits for a, which pays least");
        assertEquals(3L, mempool.projectedBlock(mempool.get("b"), 2));
        assertEquals(List.of("c", "d"), ids(mempool.seal()), "the miner agrees: block 2 holds c and d");
        assertEquals(Map.of("c", 2L, "d", 2L, "a", 3L, "b", 3L), projectedIds(2), "sealed, they stay in block 2");
        mempool.unseal();
        mempool.removeIf(payment -> payment.id().equals("c") || payment.id().equals("d")); // block 2 holds them now
        assertEquals(Map.of("a", 3L, "b", 3L), projectedIds(3), "a and b both fit block 3, b after a");
    }

    /** Each pending payment's projected block, by id, if the next block is {@code next}. */
    private Map<String, Long> projectedIds(long next) {
        Map<String, Long> projected = new HashMap<>();
        mempool.projection(next).forEach((payment, block) -> projected.put(payment.id(), block));
        return projected;
    }

    @Test
    void evictingAPaymentEvictsItsDescendantsButNeverANewcomersAncestor() {
        admit("a", 1, null);
        admit("b", 2, "a");
        admit("c", 3, "b");
        admit("d", 2, null);
        admit("e", 9, "a"); // the pool is full: the cheapest goes, but not a, which e depends on
        assertEquals(List.of("e", "c", "b", "a"), ids(List.copyOf(mempool)));
        assertNotNull(mempool.evicted("d"));
        admit("f", 9, null); // now a is the cheapest: with it go b, c and e, which depend on it
        assertEquals(List.of("f"), ids(List.copyOf(mempool)));
        for (String id : List.of("a", "b", "c", "e")) assertNotNull(mempool.evicted(id), id);
    }
}

package bitvillage.stages.taught;

import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.util.guard.ChainShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * B17's reorganisation: when a chain replaces ours, no payment is lost. What our blocks and our pool
 * held that the new chain does not comes back to the pool, but for our rewards (no input), whose blocks
 * are gone; one that can no longer be valid, because the new chain spent a coin of its own or of a
 * parent's otherwise, is conflicted for good; one invalid for another reason is given up, with why.
 */
public final class Reorganisation {
    private Reorganisation() {}

    /**
     * What a new chain gives back: the ids of the payments it holds; those that come back, each after its
     * parents; those conflicted, with the new chain's transaction that won the coin; and those invalid, with why.
     */
    public record GivenBack(Set<String> held, List<Map<String, Object>> valid, Map<Map<String, Object>, String> conflictedBy,
            Map<Map<String, Object>, String> invalid) {}

    // tag::given-back[]
    /**
     * A payment is known by its id: one whose id the new chain holds is held, whatever the new chain says it
     * pays. {@code ours}: the payments in our blocks, then the pending ones, each after its parents; {@code coins}:
     * the new chain's; {@code next}: the height of the block to come.
     */
    public static GivenBack givenBack(List<Map<String, Object>> ours, List<Map<String, Object>> newChain, UnspentCoins coins, long next,
            int maturity, VerifiedSignatures verified) {
        Map<String, Integer> arriving = new HashMap<>(); // the new chain's payments, by id, counted
        for (Map<String, Object> block : newChain) {
            ChainShape.transactions(block).forEach(payment -> arriving.merge(id(payment), 1, Integer::sum));
        }
        GivenBack back = new GivenBack(arriving.keySet(), new ArrayList<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        UnspentCoins ledger = coins.copy(); // the new chain's coins, after the payments given back so far
        Map<String, String> conflictedBy = new HashMap<>(); // by id: those conflicted now, and the transaction that won the coin
        for (Map<String, Object> payment : ours) { // count off those the new chain holds: below 0, no (more) such one
            if (CoinTransaction.inputs(payment).isEmpty() || arriving.merge(id(payment), -1, Integer::sum) >= 0) continue;
            String winner = CoinTransaction.inputs(payment).stream().map(Outpoint::of) // a parent's winner, or the coin's spender
                    .map(coin -> conflictedBy.getOrDefault(coin.txid(), coins.spender(coin))).filter(Objects::nonNull).findFirst().orElse(null);
            String whyNot = winner != null ? null : ledger.whyNot(payment, next, maturity, verified);
            if (winner != null) {
                conflictedBy.put(id(payment), winner);
                back.conflictedBy().put(payment, winner);
            } else if (whyNot != null) {
                back.invalid().put(payment, "no longer valid on the chain we adopted: " + whyNot);
            } else {
                ledger.apply(payment, next);
                back.valid().add(payment);
            }
        }
        return back;
    }
    // end::given-back[]

    private static String id(Map<String, Object> payment) {
        return (String) payment.get("id");
    }
}

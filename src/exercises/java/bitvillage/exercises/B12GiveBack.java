package bitvillage.exercises;

import java.util.List;
import java.util.Map;

/** Exercise B12.3: what a replacement gives back to pending, now that a payment is known by its id. */
public final class B12GiveBack {
    private B12GiveBack() {}

    /**
     * The transactions pending after {@code newChain} replaces {@code ours}: first every
     * villager's transaction (sender not "0") in the blocks of ours that newChain does not hold,
     * in the order of our blocks, then each of our {@code pending} ones that newChain does not
     * hold. newChain holds a transaction when one of its blocks has a transaction with the same
     * "id", whatever that transaction says. Every transaction here has an id. Our mining rewards
     * (sender "0") never come back: the blocks they paid for are gone.
     */
    public static List<Map<String, Object>> stillPending(List<Map<String, Object>> ours,
            List<Map<String, Object>> pending, List<Map<String, Object>> newChain) {
        throw new UnsupportedOperationException("exercise B12.3: write B12GiveBack.stillPending");
    }
}

package bitvillage.stages.taught;

import bitvillage.util.guard.ChainShape;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.nio.charset.StandardCharsets;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What B14's page taught about fees, for B14 and every stage after it: a payment's fee and size,
 * the miner's order (the highest fee rate first), how a miner fills a block of so many bytes, and
 * what a block may pay its miner (1 new coin plus its fees).
 */
public final class FeeRate {
    private FeeRate() {}

    /** The largest fee: with at most some 100,000 payments in a block, the sum of fees fits a long. */
    public static final long MAX_FEE = 1_000_000_000_000L;

    // tag::fee[]
    /** The optional fee: a whole number of coins, 0 when left out. Whole numbers keep every node's sums exact. */
    public static long fee(Map<String, Object> values) {
        if (!values.containsKey("fee")) return 0;
        if (!(values.get("fee") instanceof Long fee) || fee < 0 || fee > MAX_FEE) {
            throw new WebApp.Rejected(400, "'fee' must be a whole number of coins from 0 to " + MAX_FEE
                    + " (no fractions: fees must add up exactly on every node)");
        }
        return fee;
    }

    /** A payment as it is hashed and sent on: the fee is one of its fields, so the block's proof covers it. */
    public static Map<String, Object> transaction(String id, String sender, String recipient, Object amount, long fee) {
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("id", id);
        transaction.put("sender", sender);
        transaction.put("recipient", recipient);
        transaction.put("amount", amount);
        transaction.put("fee", fee);
        return transaction;
    }

    /** A transaction's size: the bytes of its JSON as the block's hash reads it. */
    public static int bytes(Map<String, Object> transaction) {
        return PyJson.dumps(transaction).getBytes(StandardCharsets.UTF_8).length;
    }
    // end::fee[]

    // tag::miners-order[]
    /** A payment waiting in the mempool: its fee, its size, and when it arrived (a count of arrivals). */
    public record Pending(Map<String, Object> transaction, long fee, int bytes, long arrival) {
        private static final double SHOWN = 10_000.0; // a fee rate is shown to four decimals, as 0.0496

        /** The payment that arrived as number {@code arrival}, with the fee it carries and its size. */
        public static Pending of(Map<String, Object> transaction, long arrival) {
            return new Pending(transaction, (long) transaction.get("fee"), FeeRate.bytes(transaction), arrival);
        }

        public String id() {
            return (String) transaction.get("id");
        }

        /** Coins per byte, rounded for reading; the order below compares the exact fractions. */
        public double feeRate() {
            return Math.round(fee * SHOWN / bytes) / SHOWN;
        }
    }

    /** The miner's order: the highest fee rate first (fee × other's bytes against other's fee × bytes), then arrival. */
    public static final Comparator<Pending> MINERS_ORDER = (one, other) -> {
        int byRate = Long.compare(other.fee() * one.bytes(), one.fee() * other.bytes());
        return byRate != 0 ? byRate : Long.compare(one.arrival(), other.arrival());
    };
    // end::miners-order[]

    /**
     * The payments alone, in the order of {@code pending}: a view, not a copy, from which payments
     * may also be taken out ({@code removeIf}). So a stage reads its pending payments as before.
     */
    public static Collection<Map<String, Object>> transactionsOf(Collection<Pending> pending) {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Map<String, Object>> iterator() {
                return pending.stream().map(Pending::transaction).iterator();
            }

            @Override
            public int size() {
                return pending.size();
            }

            @Override
            public boolean removeIf(Predicate<? super Map<String, Object>> filter) {
                return pending.removeIf(payment -> filter.test(payment.transaction()));
            }
        };
    }

    // tag::choose-block[]
    /**
     * Fills one block with the payments in the miner's order while they fit, and past one that no
     * longer fits, with smaller ones that do. A miner earns per byte of the block: one big payment
     * with the top fee can pay less than the small ones its bytes would hold.
     */
    public static List<Pending> chooseBlock(Iterable<Pending> minersOrder, int blockBytes) {
        List<Pending> chosen = new ArrayList<>();
        int room = blockBytes;
        int smallest = Integer.MAX_VALUE;
        for (Pending payment : minersOrder) smallest = Math.min(smallest, payment.bytes());
        for (Pending payment : minersOrder) {
            if (room < smallest) break; // nothing fits any more
            if (payment.bytes() <= room) {
                chosen.add(payment);
                room -= payment.bytes();
            }
        }
        return chosen;
    }
    // end::choose-block[]

    // tag::fees-add-up[]
    /**
     * Null when a block pays its miner what it may: each payment a whole fee from 0 to {@link #MAX_FEE},
     * at most {@code blockBytes} of payments, and a reward of whole coins, at most 1 plus their fees.
     * A miner may take less, as in Bitcoin; more would be coins from nowhere.
     */
    public static String whyFeesAreWrong(Map<String, Object> block, int blockBytes) {
        List<Map<String, Object>> transactions = ChainShape.transactions(block);
        if (!(transactions.get(0).get("amount") instanceof Long reward) || reward < 0) {
            return "the mining reward is not a whole number of coins";
        }
        long fees = 0;
        long bytes = 0;
        for (Map<String, Object> payment : transactions.subList(1, transactions.size())) {
            if (!(payment.get("fee") instanceof Long fee) || fee < 0 || fee > MAX_FEE) {
                return "a payment has no 'fee' that is a whole number of coins from 0 to " + MAX_FEE;
            }
            fees += fee;
            bytes += bytes(payment);
        }
        if (bytes > blockBytes) return "its payments hold " + bytes + " bytes, more than a block's " + blockBytes;
        if (reward > 1 + fees) return "the mining reward is " + reward + " coins, more than 1 plus the fees (" + (1 + fees) + ")";
        return null;
    }
    // end::fees-add-up[]
}

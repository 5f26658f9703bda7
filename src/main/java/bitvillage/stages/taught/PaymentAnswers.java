package bitvillage.stages.taught;

import bitvillage.stages.taught.FeeRate.Pending;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.EvictedPayments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the routes about payments answer, as B12 to B18 taught them: where a transaction is,
 * {@code GET /transactions/<id>} (confirmations, B12; pending and projected, B14 and B15; evicted, B15;
 * conflicted, B17), and the mempool, {@code GET /transactions/pending} (B14, B15). B19 takes them from
 * here, unchanged, to make room in the stage for its notebook.
 */
public final class PaymentAnswers {
    private PaymentAnswers() {}

    /**
     * Where a transaction is.
     *
     * @param block the block that holds it, or null while pending
     * @param confirmations that block and every block after it
     * @param projected the block it is projected for, if pending
     * @param evictedBecause why the full mempool let it go, if it did
     * @param conflictedBy the id of the transaction on our chain that spent its coin first, if one did
     */
    public record Whereabouts(Map<String, Object> transaction, Long block, Long confirmations, Long projected, String evictedBecause,
            String conflictedBy) {
        public boolean pending() {
            return block == null;
        }

        public boolean evicted() { // pending no more: the mempool let it go, and remembers it
            return evictedBecause != null;
        }

        // tag::transaction-route[]
        /**
         * The answer of {@code GET /transactions/<id>}: where the transaction is and what it says. Confirmed:
         * the block it is in, and its confirmations. Pending: not in a block yet, the block it is projected for.
         */
        public Map<String, Object> answer(String id) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("id", id);
            response.put("status", conflictedBy != null ? "conflicted" : evicted() ? "evicted" : pending() ? "pending" : "confirmed");
            if (projected != null) response.put("projected_block", projected); // evicted: none, but why
            if (evicted()) response.put("reason", evictedBecause);
            if (conflictedBy != null) response.put("conflicted_by", conflictedBy); // it spent the same coin
            if (block != null) {
                response.put("block", block);
                response.put("confirmations", confirmations);
            }
            response.put("transaction", transaction);
            return response;
        }
        // end::transaction-route[]
    }

    // tag::find-transaction[]
    /**
     * Looks for the transaction with this id in the chain, then among the pending ones; the caller
     * holds its lock, so the answer describes one moment. Null when no one here holds it.
     */
    public static Whereabouts find(String id, List<Map<String, Object>> chain, Mempool mempool, EvictedPayments conflicted) {
        for (Map<String, Object> block : chain) {
            for (Map<String, Object> transaction : ChainShape.transactions(block)) {
                if (id.equals(transaction.get("id"))) {
                    long index = (long) block.get("index");
                    // block K counts, and so does every block after it: the book's "6" is K and five more
                    return new Whereabouts(transaction, index, chain.size() - index + 1, null, null, null);
                }
            }
        }
        Pending payment = mempool.get(id);
        long next = chain.size() + 1L;
        if (payment != null) return new Whereabouts(payment.transaction(), null, null, mempool.projectedBlock(payment, next), null, null);
        var gone = mempool.evicted(id); // remembered until it comes back or a block holds it
        if (gone != null) return new Whereabouts(gone.transaction(), null, null, null, gone.why(), null);
        var lost = conflicted.get(id); // remembered for good, unless it comes back valid
        return lost == null ? null : new Whereabouts(lost.transaction(), null, null, null, null, lost.why());
    }
    // end::find-transaction[]

    // tag::pending-route[]
    /**
     * The answer of {@code GET /transactions/pending}: the mempool in the miner's order (its projection), each
     * payment with its fee, its bytes and its fee rate; then the bytes they hold together, and a block's limit.
     */
    public static Map<String, Object> pool(Map<Pending, Long> projection, long blockBytes, long limitBytes) {
        List<Map<String, Object>> pending = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<Pending, Long> projected : projection.entrySet()) {
            Pending payment = projected.getKey();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", payment.id());
            entry.put("fee", payment.fee());
            entry.put("bytes", (long) payment.bytes());
            entry.put("fee_rate", payment.feeRate());
            entry.put("projected_block", projected.getValue());
            pending.add(entry);
            bytes += payment.bytes();
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("block_bytes", blockBytes);
        response.put("limit_bytes", limitBytes); // the bytes it may hold, beside the bytes it holds
        response.put("pending", pending);
        response.put("bytes", bytes);
        return response;
    }
    // end::pending-route[]
}

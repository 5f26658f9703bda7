package bitvillage.stages.taught;

import bitvillage.util.guard.ChainShape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What B16's page taught about balances, for B16 and every stage after it: the ledger a chain
 * adds up to, each address's balance and each sender's last sequence, and whether a payment may
 * come next. Payments come in already shaped ({@link SignedPayment#whyMisshapen}). Not
 * thread-safe: its blockchain holds it under its own lock.
 */
public final class Accounts {
    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, Long> lastSequences = new HashMap<>();

    public long balance(String address) {
        return balances.getOrDefault(address, 0L);
    }

    /** The sequence the sender's next payment must carry: 1 for its first. */
    public long nextSequence(String sender) {
        return lastSequences.getOrDefault(sender, 0L) + 1;
    }

    // tag::ledger[]
    /** Null when the payment may come next: the sender's next sequence, and coins enough for amount and fee. */
    public String whyNot(Map<String, Object> payment) {
        String sender = (String) payment.get("sender");
        long sequence = (long) payment.get("sequence");
        if (sequence != nextSequence(sender)) return "sequence " + nextSequence(sender) + " expected, " + sequence + " given";
        // Each is at most 10^15, so the sum cannot wrap round. Bitcoin's did in August 2010: two outputs
        // of 92 billion coins each summed to a negative number, which passed as "no more than the input".
        long needs = (long) payment.get("amount") + (long) payment.get("fee");
        if (balance(sender) < needs) return "balance " + balance(sender) + ", payment needs " + needs;
        return null;
    }

    /** Adds the payment to the ledger: the sender pays amount and fee (but sender "0", new coins), the recipient gets the amount. */
    public void apply(Map<String, Object> payment) {
        String sender = (String) payment.get("sender");
        long amount = (long) payment.get("amount");
        if (!sender.equals("0")) {
            balances.merge(sender, -(amount + (long) payment.get("fee")), Long::sum);
            lastSequences.put(sender, (long) payment.get("sequence"));
        }
        balances.merge((String) payment.get("recipient"), amount, Long::sum);
    }
    // end::ledger[]

    /** The ledger these blocks add up to, a chain whose every block is valid. */
    public static Accounts of(List<Map<String, Object>> blocks) {
        Accounts ledger = new Accounts();
        for (Map<String, Object> block : blocks) ChainShape.transactions(block).forEach(ledger::apply);
        return ledger;
    }

    /** A copy to try payments on, leaving this ledger as it is. */
    public Accounts copy() {
        Accounts copy = new Accounts();
        copy.balances.putAll(balances);
        copy.lastSequences.putAll(lastSequences);
        return copy;
    }
}

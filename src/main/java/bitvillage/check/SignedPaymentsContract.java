package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.keys.Keys;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract of B16: a payment is signed by its sender, whose address is an x-only public key,
 * and the node holds balances and sequences. A payment signed by its sender is taken (201) under
 * its id, SHA-256 of the payment without its signature; one signed with another key, or changed
 * after signing, is refused (400); the same payment again is a safe retry (200); another payment
 * with the same sender and sequence is a double spend (409, naming the first's id); a payment of
 * more than the balance is refused; and a block's reward has its block's index for its sequence.
 *
 * <p>It does not grow from B15's contract, as the others grow from the one before: every payment
 * those send is unsigned, which B16 refuses. It spends the coins B16's genesis block gives the
 * pages' brain wallets 小美 and 大華, a few at a time, so it can run again and again on one node.
 */
final class SignedPaymentsContract extends Contract {
    static final String BALANCE = "GET /balance/<address> answers address, confirmed, pending and next_sequence, "
            + "and 400 for what is no address";
    static final String SIGNED = "a payment signed by its sender answers 201 with its id, SHA-256 of the payment without its signature";
    static final String NEXT = "the sender's next_sequence and pending balance move on with the payment";
    static final String FORGED = "a payment signed with another key than the sender's answers 400";
    static final String ALTERED = "a signed payment whose amount was changed after signing answers 400";
    static final String UNSIGNED = "a payment without a signature, or with a field more, answers 400";
    static final String REPLAY = "the same signed payment sent again answers 200 with its id, and is pending once";
    static final String SAME_SEQUENCE = "another payment with the same sender and sequence answers 409 and names the first's id";
    static final String OVERDRAFT = "a payment of more than the sender's balance answers 400";
    static final String MINED = "a mined block holds the payment under its id, and its reward, first, has sequence = the block's index";
    static final String CONFIRMED = "GET /balance/<address> counts the mined payment as confirmed, for sender and recipient";

    static final long AMOUNT = 3;
    static final long FEE = 1;

    private final byte[] payerKey = Keys.fromSeed("小美");
    private final byte[] sellerKey = Keys.fromSeed("大華");
    private final String payer = Keys.address(payerKey);
    private final String seller = Keys.address(sellerKey);
    private Map<String, Object> before; // 小美's balance before the payment
    private Map<String, Object> sellerBefore;
    private Map<String, Object> paid; // the signed payment the node took

    SignedPaymentsContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    void checks() {
        check(BALANCE, () -> {
            before = balance(payer);
            sellerBefore = balance(seller);
            refused("GET", "/balance/小美", null);
            return "小美 " + before.get("confirmed") + " confirmed, next_sequence " + before.get("next_sequence");
        });
        check(SIGNED, () -> {
            needBalance();
            Map<String, Object> payment = signed(payerKey, payer, seller, AMOUNT, (long) before.get("next_sequence"));
            Exchange answer = expect("POST", "/transactions/new", PyJson.dumps(payment), 201);
            String id = SignedPayment.id(payment);
            need(id.equals(object(answer, "the answer").get("id")), "its id is " + PyJson.dumps(object(answer, "the answer").get("id"))
                    + ", not " + id + ", the SHA-256 of json.dumps(payment without its signature, sort_keys=True)");
            paid = payment;
            return "id " + id;
        });
        check(NEXT, () -> {
            needPaid();
            Map<String, Object> after = balance(payer);
            long sequence = (long) paid.get("sequence");
            need(Long.valueOf(sequence + 1).equals(after.get("next_sequence")), "next_sequence is " + after.get("next_sequence")
                    + ", not " + (sequence + 1));
            long spent = (long) before.get("pending") - (long) after.get("pending");
            need(spent == AMOUNT + FEE, "the pending balance fell by " + spent + ", not amount + fee, " + (AMOUNT + FEE));
            return null;
        });
        check(FORGED, () -> status("POST", "/transactions/new",
                PyJson.dumps(signed(sellerKey, payer, seller, AMOUNT, nextSequence())), 400));
        check(ALTERED, () -> {
            needPaid();
            Map<String, Object> altered = new LinkedHashMap<>(paid);
            altered.put("amount", AMOUNT + 1);
            return status("POST", "/transactions/new", PyJson.dumps(altered), 400);
        });
        check(UNSIGNED, () -> {
            Map<String, Object> unsigned = SignedPayment.unsigned(payer, seller, AMOUNT, FEE, nextSequence());
            status("POST", "/transactions/new", PyJson.dumps(unsigned), 400);
            Map<String, Object> more = signed(payerKey, payer, seller, AMOUNT, nextSequence());
            more.put("memo", "jeans");
            return status("POST", "/transactions/new", PyJson.dumps(more), 400);
        });
        check(REPLAY, () -> {
            needPaid();
            Exchange answer = expect("POST", "/transactions/new", PyJson.dumps(paid), 200);
            String id = SignedPayment.id(paid);
            need(id.equals(object(answer, "the answer").get("id")), "its id is " + PyJson.dumps(object(answer, "the answer").get("id")));
            long times = list(object(expect("GET", "/transactions/pending", null, 200), "the pending list"), "pending", "the answer's")
                    .stream().filter(entry -> entry instanceof Map<?, ?> fields && id.equals(fields.get("id"))).count();
            need(times == 1, "GET /transactions/pending lists it " + plural(times, "time"));
            return null;
        });
        check(SAME_SEQUENCE, () -> {
            needPaid();
            Map<String, Object> other = signed(payerKey, payer, payer, AMOUNT, (long) paid.get("sequence"));
            Exchange answer = expect("POST", "/transactions/new", PyJson.dumps(other), 409);
            need(answer.body().contains(SignedPayment.id(paid)), "the answer does not name the first's id, " + SignedPayment.id(paid));
            return null;
        });
        check(OVERDRAFT, () -> {
            Map<String, Object> now = balance(payer);
            long tooMuch = (long) now.get("confirmed") + 1;
            status("POST", "/transactions/new", PyJson.dumps(signed(payerKey, payer, seller, tooMuch, (long) now.get("next_sequence"))), 400);
            return "an amount of " + tooMuch + ", fee " + FEE;
        });
        check(MINED, () -> {
            needPaid();
            Map<String, Object> block = mine();
            List<Object> transactions = list(block, "transactions", "the block's");
            need(!transactions.isEmpty() && transactions.get(0) instanceof Map<?, ?>, "the block holds no reward");
            @SuppressWarnings("unchecked") // a JSON object's keys are strings
            Map<String, Object> reward = (Map<String, Object>) transactions.get(0);
            need("0".equals(reward.get("sender")), "its first transaction is from " + PyJson.dumps(reward.get("sender")) + ", not \"0\"");
            need(same(reward.get("sequence"), block.get("index")), "the reward's sequence is " + PyJson.dumps(reward.get("sequence"))
                    + ", not the block's index " + block.get("index"));
            need(same(reward.get("id"), SignedPayment.id(reward)), "the reward's id is " + PyJson.dumps(reward.get("id"))
                    + ", not " + SignedPayment.id(reward) + ", computed as a payment's");
            Map<String, Object> stored = SignedPayment.withId(paid);
            need(transactions.stream().anyMatch(transaction -> same(transaction, stored)), "the block does not hold " + PyJson.dumps(stored));
            return "block " + block.get("index") + ", the reward's id " + reward.get("id");
        });
        check(CONFIRMED, () -> {
            needPaid();
            Map<String, Object> payerNow = balance(payer);
            Map<String, Object> sellerNow = balance(seller);
            long spent = (long) before.get("confirmed") - (long) payerNow.get("confirmed");
            long received = (long) sellerNow.get("confirmed") - (long) sellerBefore.get("confirmed");
            need(spent == AMOUNT + FEE, "小美's confirmed balance fell by " + spent + ", not " + (AMOUNT + FEE));
            need(received == AMOUNT, "大華's confirmed balance grew by " + received + ", not " + AMOUNT);
            return null;
        });
        unknownPath();
    }

    /** The payment from {@code sender}, signed with {@code key}: the sender's own, or another's for a forgery. */
    private static Map<String, Object> signed(byte[] key, String sender, String recipient, long amount, long sequence) {
        return SignedPayment.signed(key, SignedPayment.unsigned(sender, recipient, amount, FEE, sequence));
    }

    /** GET /balance/<address>: its four fields, the numbers whole. */
    private Map<String, Object> balance(String address) {
        Map<String, Object> answer = object(expect("GET", "/balance/" + address, null, 200), "the answer");
        need(address.equals(answer.get("address")), "its address is " + PyJson.dumps(answer.get("address")));
        for (String key : List.of("confirmed", "pending", "next_sequence")) whole(answer, key, "the answer's");
        return answer;
    }

    private long nextSequence() {
        return (long) balance(payer).get("next_sequence");
    }

    private void needBalance() {
        if (before == null) throw new Skipped("needs: " + BALANCE);
    }

    private void needPaid() {
        if (paid == null) throw new Skipped("needs: " + SIGNED);
    }
}

package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract of B12: the book's node (B10's), and every transaction gets an id when the node
 * takes it, so that {@code GET /transactions/<id>} can say where it is: pending, or confirmed in
 * block K with N confirmations (block K and every block after it). A payment in a block the node
 * loses to a longer chain is pending again.
 */
class IdsContract extends ConsensusContract {
    static final String IDS = "POST /transactions/new answers each payment's id, 32 hex digits; two payments alike get two";
    static final String PENDING = "GET /transactions/<id> answers a queued payment as pending";
    static final String CONFIRMED = "GET /transactions/<id> answers a mined payment as confirmed in its block, with 1 confirmation";
    static final String CONFIRMATIONS = "each block mined after it adds a confirmation";
    static final String EVERY_ID = "every transaction in a block has an id, the rewards too, and no two share one";
    static final String UNKNOWN_ID = "GET /transactions/<id> answers 404 for an id the node does not hold";
    static final String PENDING_AGAIN = "a payment in a block the node loses to a longer chain is pending again";

    private static final String ID_SHAPE = "[0-9a-f]{32}";
    private static final Map<String, Object> SMALL_PAYMENT = transaction("阿明", "小美", 3L);

    private String id; // the first small payment's
    private Long confirmedIn; // the block GET /mine forged the payment into

    IdsContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    void afterMining() {
        check(IDS, () -> {
            id = pay(SMALL_PAYMENT);
            String again = pay(SMALL_PAYMENT);
            need(!again.equals(id), "the same payment sent twice got the same id " + id + ": two payments alike are two payments");
            return "阿明 pays 小美 3, twice: two ids";
        });
        check(PENDING, () -> {
            Map<String, Object> answer = whereabouts(needId());
            need("pending".equals(answer.get("status")), "its status is " + PyJson.dumps(answer.get("status")) + ", not \"pending\"");
            need(!answer.containsKey("block"), "a pending payment names block " + PyJson.dumps(answer.get("block")));
            need(sameTransaction(answer.get("transaction"), SMALL_PAYMENT), "its transaction is " + PyJson.dumps(answer.get("transaction")));
            return null;
        });
        check(CONFIRMED, () -> {
            needId();
            Map<String, Object> block = mine();
            long index = whole(block, "index", "the block's");
            Map<String, Object> answer = whereabouts(id);
            need("confirmed".equals(answer.get("status")), "after GET /mine its status is " + PyJson.dumps(answer.get("status")));
            need(Long.valueOf(index).equals(answer.get("block")), "it names block " + PyJson.dumps(answer.get("block"))
                    + ", but GET /mine forged it into block " + index);
            need(Long.valueOf(1).equals(answer.get("confirmations")),
                    "it has " + PyJson.dumps(answer.get("confirmations")) + " confirmations in the last block, not 1");
            confirmedIn = index;
            return "block " + index;
        });
        check(CONFIRMATIONS, () -> {
            if (confirmedIn == null) throw new Skipped("needs: " + CONFIRMED);
            Object block = whereabouts(id).get("block");
            mine();
            Map<String, Object> answer = whereabouts(id);
            need(same(block, answer.get("block")), "it moved from block " + PyJson.dumps(block) + " to " + PyJson.dumps(answer.get("block")));
            need(Long.valueOf(2).equals(answer.get("confirmations")),
                    "one block later it has " + PyJson.dumps(answer.get("confirmations")) + " confirmations, not 2");
            return "2 confirmations one block later";
        });
        check(EVERY_ID, () -> {
            if (confirmedIn == null) throw new Skipped("needs: " + CONFIRMED);
            Set<Object> seen = new HashSet<>();
            List<Map<String, Object>> chain = blocks(chainAnswer());
            for (int i = 1; i < chain.size(); i++) {
                for (Object transaction : list(chain.get(i), "transactions", "block " + (i + 1) + "'s")) {
                    Object given = transaction instanceof Map<?, ?> fields ? fields.get("id") : null;
                    need(given instanceof String text && text.matches(ID_SHAPE),
                            "block " + (i + 1) + " holds a transaction whose id is " + PyJson.dumps(given));
                    need(seen.add(given), "id " + given + " is held twice");
                }
            }
            return plural(seen.size(), "id") + " in blocks 2 to " + chain.size();
        });
        check(UNKNOWN_ID, () -> status("GET", "/transactions/" + Sha256.hex("no one's payment").substring(0, 32), null, 404));
    }

    /** Right after the node adopted a longer chain, which holds none of its payments. */
    @Override
    void afterAdopting(boolean adopted) {
        check(pendingAgain(), () -> {
            if (!adopted) throw new Skipped("needs: " + LONGER);
            if (confirmedIn == null) throw new Skipped("needs: " + CONFIRMED);
            Map<String, Object> answer = whereabouts(id);
            if (!"pending".equals(answer.get("status"))) {
                need(whyNotPending(answer) == null, "阿明's payment, confirmed in block " + confirmedIn + ", is "
                        + PyJson.dumps(answer.get("status")) + " on the new chain, which does not hold it" + whyNotPending(answer));
                return "阿明's payment of block " + confirmedIn + ": " + answer.get("status") + ", its place taken by payments that pay more";
            }
            return "阿明's payment of block " + confirmedIn;
        });
    }

    /** The name of the check of {@link #afterAdopting}: a stage whose pool may evict says so. */
    String pendingAgain() {
        return PENDING_AGAIN;
    }

    /**
     * Null when a payment the node lost with its block may rightly not be pending again (B15: a full
     * pool evicted it), or why not: "" when no stage allows it.
     */
    String whyNotPending(Map<String, Object> answer) {
        return "";
    }

    @Override
    void strictRefusals() {
        super.strictRefusals();
        check("--strict: GET /transactions/<id> answers 400 for a path that is no id", () -> {
            needId();
            return status("GET", "/transactions/jeans", null, 400);
        });
    }

    /** Queues a payment and answers its id, which the answer must hold. */
    final String pay(Map<String, Object> payment) {
        if (!takesTransactions) throw new Skipped(noTransactions);
        Exchange answer = node.send("POST", "/transactions/new", PyJson.dumps(payment));
        need(answer.status() / 100 == 2, "POST /transactions/new answered " + answer.status());
        Object given = object(answer, "the answer").get("id");
        need(given instanceof String text && text.matches(ID_SHAPE), "the answer's id is " + PyJson.dumps(given) + ", not 32 hex digits");
        return (String) given;
    }

    /** GET /transactions/<id>: the answer, which must name the id and hold the transaction with it. */
    final Map<String, Object> whereabouts(String id) {
        Map<String, Object> answer = object(expect("GET", "/transactions/" + id, null, 200), "the answer");
        need(id.equals(answer.get("id")), "the answer's id is " + PyJson.dumps(answer.get("id")));
        need(answer.get("transaction") instanceof Map<?, ?> held && id.equals(held.get("id")),
                "the answer's transaction is " + PyJson.dumps(answer.get("transaction")) + ", without the id");
        return answer;
    }

    private String needId() {
        if (id == null) throw new Skipped("needs: " + IDS);
        return id;
    }
}

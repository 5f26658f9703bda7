package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract of B14: B13's, and a payment carries a fee, a whole number of coins (0 when left
 * out); the pending payments are listed by fee rate, fee ÷ bytes, highest first
 * ({@code GET /transactions/pending}); a block holds at most 1,000 bytes of payments, the best
 * rates first; its reward is 1 coin plus its payments' fees; and a neighbour's block that pays
 * itself more, or holds more, is refused. A payment's bytes are its JSON as the block's hash reads
 * it. Checked on a node started with its defaults.
 */
class FeesContract extends ProofContract {
    static final String FEE = "POST /transactions/new takes a fee, 0 when left out, as GET /transactions/<id> shows";
    static final String WHOLE_FEE = "a fee that is not a whole number of coins from 0 up answers 400";
    static final String BY_RATE = "GET /transactions/pending lists the payments by fee rate (fee ÷ bytes), highest first";
    static final String FULL_BLOCK = "GET /mine fills 1,000 bytes of payments by fee rate, and pays 1 coin plus their fees";
    static final String WAITS = "the payments that did not fit go into the next block";
    static final String GREEDY_CHAIN = "a longer chain whose last block pays its miner more than 1 coin plus its fees is refused";
    static final String FULL_CHAIN = "a longer chain whose last block holds more than 1,000 bytes of payments is refused";
    static final String FEE_CHAIN = "a longer chain whose last block pays its miner 1 coin plus its fees is adopted";

    /** The bytes of payments a block holds, B14's default --block-bytes. */
    static final int BLOCK_BYTES = 1000;

    /** A payment this check sent, as the node holds it: its fee, its bytes, and when it was sent. */
    private record Sent(String id, long fee, int bytes, int order) {}

    /** The miner's order: the higher fee rate first, compared exactly (fee × other's bytes); equal rates as they came. */
    private static final Comparator<Sent> BY_FEE_RATE = (one, other) -> {
        int byRate = BigInteger.valueOf(other.fee()).multiply(BigInteger.valueOf(one.bytes()))
                .compareTo(BigInteger.valueOf(one.fee()).multiply(BigInteger.valueOf(other.bytes())));
        return byRate != 0 ? byRate : Integer.compare(one.order(), other.order());
    };

    private final List<Sent> pending = new ArrayList<>(); // what this check queued and the node has not mined
    private int sentSoFar;
    private boolean feesKept;

    FeesContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    String rewardRule() {
        return "a mined block pays the miner 1 coin plus its payments' fees from sender \"0\", first";
    }

    /** 1 coin, and every fee of the block's payments (those after the reward). */
    @Override
    long rewardDue(List<Object> transactions) {
        long due = 1;
        for (Object payment : transactions.subList(1, transactions.size())) {
            if (payment instanceof Map<?, ?> fields && fields.get("fee") instanceof Long fee) due += fee;
        }
        return due;
    }

    @Override
    void afterMining() {
        super.afterMining();
        check(FEE, () -> {
            Sent none = send(payment("阿嬤", "大華", 1, null), 0);
            Sent large = send(payment("村長", "比特村冬季柴火共同採購基金", 300, 8L), 8);
            Sent small = send(payment("小美", "大華", 20, 6L), 6);
            feesKept = true;
            return "阿嬤 pays no fee (" + none.bytes() + " bytes), 村長 8 (" + large.bytes() + " bytes), 小美 6 ("
                    + small.bytes() + " bytes)";
        });
        check(WHOLE_FEE, () -> {
            needFees();
            for (Object fee : List.of(1.5, -1L)) {
                Exchange answer = node.send("POST", "/transactions/new", PyJson.dumps(payment("阿明", "大華", 1, fee)));
                need(answer.status() == 400, "a fee of " + fee + " answered " + answer.status());
            }
            return "1.5 and -1";
        });
        check(BY_RATE, () -> {
            needFees();
            Map<String, Object> answer = object(expect("GET", "/transactions/pending", null, 200), "the answer");
            List<Object> listed = list(answer, "pending", "the answer's");
            List<String> ours = new ArrayList<>();
            for (Object entry : listed) {
                need(entry instanceof Map<?, ?> fields && fields.get("id") instanceof String, "an entry has no id: " + PyJson.dumps(entry));
                Map<?, ?> fields = (Map<?, ?>) entry;
                Sent sent = pending.stream().filter(payment -> payment.id().equals(fields.get("id"))).findFirst().orElse(null);
                if (sent == null) continue;
                need(Long.valueOf(sent.fee()).equals(fields.get("fee")), "the entry of " + sent.id() + " says its fee is "
                        + PyJson.dumps(fields.get("fee")) + ", not " + sent.fee());
                ours.add(sent.id());
            }
            List<String> wanted = pending.stream().sorted(BY_FEE_RATE).map(Sent::id).toList();
            need(ours.equals(wanted), "it lists " + ours + ", but by fee rate they are " + wanted
                    + " (小美's 6 coins on fewer bytes pay more a byte than 村長's 8)");
            return "小美, 村長, 阿嬤: by fee rate, not by fee";
        });
        check(FULL_BLOCK, () -> {
            needFees();
            for (int villager = 1; villager <= 6; villager++) send(payment("村民" + villager, "大華", 20, 5L), 5);
            List<Sent> chosen = chooseBlock(pending);
            return mined(chosen, "more than " + BLOCK_BYTES + " bytes waited");
        });
        check(WAITS, () -> {
            needFees();
            List<Sent> left = List.copyOf(pending);
            need(!left.isEmpty(), "nothing was left to wait");
            return mined(left, "the rest");
        });
    }

    /** Mines a block and checks it holds exactly {@code chosen} of ours, and the reward 1 plus their fees. */
    private String mined(List<Sent> chosen, String what) {
        Map<String, Object> block = mine();
        List<Object> transactions = list(block, "transactions", "the block's");
        Set<Object> held = new HashSet<>();
        for (Object transaction : transactions) if (transaction instanceof Map<?, ?> fields) held.add(fields.get("id"));
        Set<String> wanted = new HashSet<>();
        long fees = 0;
        for (Sent payment : chosen) {
            wanted.add(payment.id());
            fees += payment.fee();
        }
        List<String> missing = chosen.stream().map(Sent::id).filter(id -> !held.contains(id)).toList();
        List<String> early = pending.stream().map(Sent::id).filter(id -> held.contains(id) && !wanted.contains(id)).toList();
        need(missing.isEmpty() && early.isEmpty(), "of " + what + ", block " + block.get("index") + " should hold "
                + plural(chosen.size(), "payment") + (missing.isEmpty() ? "" : ", but not " + missing)
                + (early.isEmpty() ? "" : ", and it holds " + early + ", which have lower fee rates or did not fit"));
        Object reward = transactions.isEmpty() ? null : transactions.get(0);
        Object coins = reward instanceof Map<?, ?> fields ? fields.get("amount") : null;
        need(Long.valueOf(1 + fees).equals(coins), "its reward is " + PyJson.dumps(coins) + ", not 1 + " + fees + " in fees");
        pending.removeAll(chosen);
        return "block " + block.get("index") + ": " + plural(chosen.size(), "payment") + ", the reward " + (1 + fees)
                + " = 1 + " + fees + " in fees";
    }

    /** B14's miner: down the fee rates, every payment that still fits, until no payment of ours would. */
    private static List<Sent> chooseBlock(List<Sent> payments) {
        List<Sent> chosen = new ArrayList<>();
        int room = BLOCK_BYTES;
        for (Sent payment : payments.stream().sorted(BY_FEE_RATE).toList()) {
            if (payment.bytes() <= room) {
                chosen.add(payment);
                room -= payment.bytes();
            }
        }
        return chosen;
    }

    /** B14's consensus adds the fees: a block's reward is at most 1 plus its fees, and it holds at most 1,000 bytes. */
    @Override
    void afterConsensus() {
        check(GREEDY_CHAIN, () -> resolve((length, last) -> villagersBlock(length, 7, List.of(villagerPayment(length, 1, 5))), false));
        check(FULL_CHAIN, () -> resolve((length, last) -> {
            List<Map<String, Object>> payments = new ArrayList<>();
            for (int i = 1; i <= 9; i++) payments.add(villagerPayment(length, i, 0)); // 9 payments of over 111 bytes
            return villagersBlock(length, 1, payments);
        }, false));
        check(FEE_CHAIN, () -> resolve((length, last) -> villagersBlock(length, 6, List.of(villagerPayment(length, 1, 5))), true));
    }

    /** The village's chain as long as the node's, and a block of the villager's after it: its reward, then the payments. */
    private List<Map<String, Object>> villagersBlock(int length, long reward, List<Map<String, Object>> payments) {
        List<Map<String, Object>> chain = village(length);
        List<Map<String, Object>> transactions = new ArrayList<>();
        transactions.add(ProofRules.reward("fees reward " + (length + 1) + " of " + reward + " for " + payments.size(), reward));
        transactions.addAll(payments);
        chain.add(ProofRules.next(chain, transactions));
        return serve(chain);
    }

    private static Map<String, Object> villagerPayment(int length, int which, long fee) {
        Map<String, Object> payment = payment("村民" + which, "大華", 20, fee);
        payment.put("id", ProofRules.id("fees payment " + (length + 1) + " " + which + " of " + fee));
        return payment;
    }

    private static Map<String, Object> payment(String sender, String recipient, long amount, Object fee) {
        Map<String, Object> payment = transaction(sender, recipient, amount);
        if (fee != null) payment.put("fee", fee);
        return payment;
    }

    /** Queues a payment, and reads back what the node holds: the fee it must show, and the payment's bytes. */
    private Sent send(Map<String, Object> payment, long fee) {
        String id = pay(payment);
        Object held = whereabouts(id).get("transaction");
        need(held instanceof Map<?, ?> fields && Long.valueOf(fee).equals(fields.get("fee")), "the node holds "
                + PyJson.dumps(held) + " for " + PyJson.dumps(payment) + ": its 'fee' must be " + fee);
        Sent sent = new Sent(id, fee, PyJson.dumps(held).getBytes(StandardCharsets.UTF_8).length, sentSoFar++);
        pending.add(sent);
        return sent;
    }

    private void needFees() {
        if (!feesKept) throw new Skipped("needs: " + FEE);
    }
}

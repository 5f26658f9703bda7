package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The contract of B15: B14's, and the pool is full at a limit of bytes. {@code GET /transactions/pending}
 * names the block each payment is projected for (first fit down the miner's order, each block 1,000
 * bytes), and the pool's {@code bytes} and {@code limit_bytes}; the next {@code /mine} takes exactly
 * the payments projected for it. A payer may name its payment's id: a retry is a 200 and queued once,
 * another payment under a known id a 409, an id that is no id a 400. A full pool refuses a payment that
 * pays too little with a 503 that names {@code fee_to_pay}; paying it gets the payment in, and the
 * cheapest payments go, each then answered as {@code evicted}, never a 404. A replaced chain gives its
 * payments back with their fees. Check fills the pool to its {@code limit_bytes}: start the node with
 * {@code --mempool-bytes 2000}, or its default 100000, which takes a few hundred payments.
 */
final class PoolContract extends FeesContract {
    static final String PROJECTED = "GET /transactions/pending names each payment's projected_block (first fit by fee rate), "
            + "and the pool's bytes and limit_bytes";
    static final String PROJECTED_ONE = "GET /transactions/<id> of a pending payment names the same projected_block";
    static final String MINES_PROJECTED = "GET /mine takes exactly the payments projected for its block";
    static final String OWN_ID = "a payment with the payer's own id answers 201 with that id";
    static final String RETRY = "the same payment sent again under its id answers 200 and is queued once";
    static final String OTHER_PAYMENT = "another payment under a known id answers 409";
    static final String BAD_ID = "an 'id' that is not 32 hex digits answers 400";
    static final String RETURNED = "a payment in a block the node loses comes back pending with its fee";
    static final String FULL = "a full pool refuses a payment that pays too little with a 503 that names fee_to_pay";
    static final String PAYS_IN = "the same payment paying fee_to_pay answers 201 and evicts the cheapest";
    static final String EVICTED = "an evicted payment answers GET /transactions/<id> as evicted, not 404";

    /** The most bytes of pool check fills: the default --mempool-bytes is 100000. */
    static final long MOST_POOL_BYTES = 200_000;

    private final Map<String, Long> minedWithFees = new LinkedHashMap<>(); // the payments of MINES_PROJECTED's block
    private List<Map<String, Object>> listed; // the pending list PROJECTED read
    private String ownId;
    private Map<String, Object> refused; // the payment the full pool refused
    private long feeToPay = -1;
    private List<Map<String, Object>> beforePaying;
    private Set<String> evicted = Set.of();

    PoolContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    void afterMining() {
        super.afterMining();
        check(PROJECTED, () -> {
            for (long fee : List.of(9L, 5L, 3L, 1L)) pay(padded("村長", "wood " + fee, fee));
            long next = blocks(chainAnswer()).size() + 1L;
            Map<String, Object> answer = pendingAnswer();
            listed = entries(answer);
            long total = 0;
            List<Long> room = new ArrayList<>();
            for (Map<String, Object> entry : listed) {
                long bytes = whole(entry, "bytes", "an entry's");
                long projected = whole(entry, "projected_block", "the entry of " + entry.get("id") + "'s");
                total += bytes;
                int block = 0;
                while (block < room.size() && room.get(block) < bytes) block++;
                if (block == room.size()) room.add((long) BLOCK_BYTES);
                room.set(block, room.get(block) - bytes);
                need(projected == next + block, "the entry of " + entry.get("id") + " (" + bytes + " bytes) is projected for block "
                        + projected + ", but down the miner's order it first fits block " + (next + block));
            }
            need(whole(answer, "bytes", "the answer's") == total, "its bytes is " + answer.get("bytes") + ", not the entries' " + total);
            long limit = whole(answer, "limit_bytes", "the answer's");
            need(limit >= total, "it holds " + total + " bytes, more than its limit_bytes " + limit);
            return plural(listed.size(), "payment") + " in blocks " + next + " to " + (next + room.size() - 1) + "; "
                    + total + " of " + limit + " bytes";
        });
        check(PROJECTED_ONE, () -> {
            needListed();
            for (Map<String, Object> entry : listed) {
                Map<String, Object> answer = whereabouts((String) entry.get("id"));
                need(same(answer.get("projected_block"), entry.get("projected_block")), "payment " + entry.get("id") + " is projected for "
                        + PyJson.dumps(answer.get("projected_block")) + ", but the pending list says " + entry.get("projected_block"));
            }
            return null;
        });
        check(MINES_PROJECTED, () -> {
            needListed();
            List<Map<String, Object>> now = entries(pendingAnswer());
            long next = blocks(chainAnswer()).size() + 1L;
            Set<Object> projected = new HashSet<>();
            for (Map<String, Object> entry : now) {
                if (Long.valueOf(next).equals(entry.get("projected_block"))) {
                    projected.add(entry.get("id"));
                    minedWithFees.put((String) entry.get("id"), (Long) entry.get("fee"));
                }
            }
            Map<String, Object> block = mine();
            List<Object> transactions = list(block, "transactions", "the block's");
            Set<Object> held = new HashSet<>();
            for (Object payment : transactions.subList(Math.min(1, transactions.size()), transactions.size())) {
                if (payment instanceof Map<?, ?> fields) held.add(fields.get("id"));
            }
            need(held.equals(projected), "block " + block.get("index") + " holds " + held + ", but " + projected + " were projected for it");
            return "block " + next + ": " + plural(held.size(), "payment");
        });
        check(OWN_ID, () -> {
            ownId = UUID.randomUUID().toString().replace("-", "");
            Exchange answer = expect("POST", "/transactions/new", PyJson.dumps(ownPayment(20)), 201);
            need(ownId.equals(object(answer, "the answer").get("id")), "its id is " + object(answer, "the answer").get("id") + ", not " + ownId);
            return null;
        });
        check(RETRY, () -> {
            if (ownId == null) throw new Skipped("needs: " + OWN_ID);
            Exchange answer = expect("POST", "/transactions/new", PyJson.dumps(ownPayment(20)), 200);
            need(ownId.equals(object(answer, "the answer").get("id")), "its id is " + object(answer, "the answer").get("id"));
            long times = entries(pendingAnswer()).stream().filter(entry -> ownId.equals(entry.get("id"))).count();
            need(times == 1, "GET /transactions/pending lists it " + plural(times, "time"));
            return null;
        });
        check(OTHER_PAYMENT, () -> {
            if (ownId == null) throw new Skipped("needs: " + OWN_ID);
            return status("POST", "/transactions/new", PyJson.dumps(ownPayment(21)), 409);
        });
        check(BAD_ID, () -> {
            Map<String, Object> payment = ownPayment(20);
            payment.put("id", "jeans");
            return status("POST", "/transactions/new", PyJson.dumps(payment), 400);
        });
    }

    /** Right after the node adopted a longer chain, which holds none of its payments. */
    @Override
    void afterAdopting(boolean adopted) {
        super.afterAdopting(adopted);
        check(RETURNED, () -> {
            if (!adopted) throw new Skipped("needs: " + LONGER);
            if (minedWithFees.isEmpty()) throw new Skipped("needs: " + MINES_PROJECTED);
            for (Map.Entry<String, Long> mined : minedWithFees.entrySet()) {
                Map<String, Object> answer = whereabouts(mined.getKey());
                need("pending".equals(answer.get("status")), "payment " + mined.getKey() + " is " + PyJson.dumps(answer.get("status")));
                Object fee = ((Map<?, ?>) answer.get("transaction")).get("fee");
                need(Long.valueOf(mined.getValue()).equals(fee), "payment " + mined.getKey() + " paid " + mined.getValue()
                        + " and comes back with a fee of " + PyJson.dumps(fee));
                need(answer.get("projected_block") instanceof Long, "payment " + mined.getKey() + " names no projected_block");
            }
            return plural(minedWithFees.size(), "payment") + ", with fees " + minedWithFees.values();
        });
    }

    /**
     * 阿明's payment of no fee, lost with its block, may come back evicted: the payments a replaced chain gives
     * back may overflow the pool, which then lets the cheapest go. If so, none that stays pays less a byte.
     */
    @Override
    String pendingAgain() {
        return PENDING_AGAIN + ", or evicted by payments that pay more";
    }

    @Override
    String whyNotPending(Map<String, Object> answer) {
        if (!"evicted".equals(answer.get("status"))) return "";
        Object fee = ((Map<?, ?>) answer.get("transaction")).get("fee");
        Map<String, Object> evictedOne = new LinkedHashMap<>();
        evictedOne.put("fee", fee instanceof Long coins ? coins : 0L);
        evictedOne.put("bytes", (long) PyJson.dumps(answer.get("transaction")).getBytes(StandardCharsets.UTF_8).length);
        for (Map<String, Object> entry : entries(pendingAnswer())) {
            if (cheaper(entry, evictedOne) < 0) return ", though payment " + entry.get("id") + " pays less a byte, and is pending";
        }
        return null;
    }

    /** Last, since it leaves the pool full: fills it, then pays what a 503 asks. */
    @Override
    void afterConsensus() {
        super.afterConsensus();
        check(FULL, () -> {
            long limit = whole(pendingAnswer(), "limit_bytes", "the pending list's");
            if (limit > MOST_POOL_BYTES) throw new Skipped("a pool of " + limit + " bytes is more than check fills; start the node with "
                    + "--mempool-bytes 2000");
            for (long sent = 0; sent <= limit / 300 + 100; sent++) {
                Map<String, Object> filler = padded("村民" + String.format("%05d", sent), "fill", 1);
                Exchange answer = node.send("POST", "/transactions/new", PyJson.dumps(filler));
                if (answer.status() == 503) {
                    Map<String, Object> full = object(answer, "the 503");
                    feeToPay = whole(full, "fee_to_pay", "the 503's");
                    need(feeToPay >= 0, "its fee_to_pay is " + feeToPay);
                    refused = filler;
                    beforePaying = entries(pendingAnswer());
                    return "payment " + (sent + 1) + " of fee 1, to a pool of " + limit + " bytes: fee_to_pay " + feeToPay;
                }
                need(answer.status() == 201, "a payment of fee 1 answered " + answer.status() + " before the pool was full");
            }
            throw new Failed("the pool of " + limit + " bytes took " + (limit / 300 + 100) + " payments of over 400 bytes, with no 503");
        });
        check(PAYS_IN, () -> {
            if (refused == null) throw new Skipped("needs: " + FULL);
            refused.put("fee", feeToPay);
            Exchange answer = node.send("POST", "/transactions/new", PyJson.dumps(refused));
            need(answer.status() == 201, "paying fee_to_pay " + feeToPay + " answered " + answer.status());
            String id = (String) object(answer, "the answer").get("id");
            Map<String, Object> after = pendingAnswer();
            List<Map<String, Object>> now = entries(after);
            need(now.stream().anyMatch(entry -> same(entry.get("id"), id)), "it is not in the pending list");
            Set<Object> stay = new HashSet<>();
            for (Map<String, Object> entry : now) stay.add(entry.get("id"));
            List<Map<String, Object>> gone = beforePaying.stream().filter(entry -> !stay.contains(entry.get("id"))).toList();
            need(!gone.isEmpty(), "no payment was evicted, though the pool was full");
            for (Map<String, Object> out : gone) {
                for (Map<String, Object> kept : beforePaying) {
                    if (stay.contains(kept.get("id"))) {
                        need(cheaper(out, kept) <= 0, "it evicted " + out.get("id") + " (fee " + out.get("fee") + ", " + out.get("bytes")
                                + " bytes), but kept the cheaper " + kept.get("id") + " (fee " + kept.get("fee") + ", " + kept.get("bytes") + " bytes)");
                    }
                }
            }
            long bytes = whole(after, "bytes", "the answer's");
            long limit = whole(after, "limit_bytes", "the answer's");
            need(bytes <= limit, "the pool holds " + bytes + " bytes, more than its limit_bytes " + limit);
            Set<String> ids = new HashSet<>();
            gone.forEach(entry -> ids.add((String) entry.get("id")));
            evicted = ids;
            return plural(gone.size(), "payment") + " evicted; " + bytes + " of " + limit + " bytes";
        });
        check(EVICTED, () -> {
            if (evicted.isEmpty()) throw new Skipped("needs: " + PAYS_IN);
            for (String id : evicted) {
                Map<String, Object> answer = whereabouts(id);
                need("evicted".equals(answer.get("status")), "payment " + id + " is " + PyJson.dumps(answer.get("status")));
            }
            return null;
        });
    }

    /** Below 0 when {@code one} pays a lower fee rate than {@code other}, compared exactly. */
    private static int cheaper(Map<String, Object> one, Map<String, Object> other) {
        return BigInteger.valueOf((Long) one.get("fee")).multiply(BigInteger.valueOf((Long) other.get("bytes")))
                .compareTo(BigInteger.valueOf((Long) other.get("fee")).multiply(BigInteger.valueOf((Long) one.get("bytes"))));
    }

    private Map<String, Object> ownPayment(long amount) {
        Map<String, Object> payment = transaction("阿明", "小美", amount);
        payment.put("id", ownId);
        return payment;
    }

    /** A payment of over 300 bytes, its recipient's name padded. */
    private static Map<String, Object> padded(String sender, String what, long fee) {
        Map<String, Object> payment = transaction(sender, what + " " + ".".repeat(240), 1L);
        payment.put("fee", fee);
        return payment;
    }

    private Map<String, Object> pendingAnswer() {
        return object(expect("GET", "/transactions/pending", null, 200), "the answer");
    }

    /** The entries of the pending list, each with its id, fee and bytes. */
    @SuppressWarnings("unchecked") // each was checked to be a JSON object
    private static List<Map<String, Object>> entries(Map<String, Object> answer) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Object entry : list(answer, "pending", "the answer's")) {
            need(entry instanceof Map<?, ?> fields && fields.get("id") instanceof String, "an entry has no id: " + PyJson.dumps(entry));
            Map<String, Object> fields = (Map<String, Object>) entry;
            whole(fields, "fee", "the entry of " + fields.get("id") + "'s");
            whole(fields, "bytes", "the entry of " + fields.get("id") + "'s");
            entries.add(fields);
        }
        return entries;
    }

    private void needListed() {
        if (listed == null) throw new Skipped("needs: " + PROJECTED);
    }
}

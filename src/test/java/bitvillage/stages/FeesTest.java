package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B14Fees.Blockchain.Pending;
import bitvillage.stages.B14Fees.Blockchain;
import bitvillage.util.cli.Options;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * B14: fees and the mempool. The miner's choice (byte limit, fee rate, ties, a smaller payment
 * filling a gap), the reward rule both ways, eviction and the 503 minimum, replacement that keeps
 * fees and never holds an id twice, retried and conflicting ids, bad fees, and B14 against B13.
 */
class FeesTest {
    private static final int ZEROS = 2;

    private final Village village = new Village();
    private final List<WebApp> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(WebApp::close);
        village.close();
    }

    private WebApp b14(String... more) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--zeros", "" + ZEROS));
        args.addAll(List.of(more));
        WebApp node = B14Fees.start(Options.parse(args.toArray(String[]::new), B14Fees.OPTIONS), village.world());
        nodes.add(node);
        return node;
    }

    private static String id(int n) {
        return String.format("%032x", n);
    }

    record Answer(int status, Map<String, Object> json) {}

    private static Answer send(String method, WebApp node, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(PyJson.dumps(body), StandardCharsets.UTF_8));
        HttpResponse<String> response = Village.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), Village.object(response.body()));
    }

    private static Answer pay(WebApp node, String id, String sender, long amount, Object fee) throws Exception {
        Map<String, Object> payment = new LinkedHashMap<>();
        if (id != null) payment.put("id", id);
        payment.put("sender", sender);
        payment.put("recipient", "大華");
        payment.put("amount", amount);
        if (fee != null) payment.put("fee", fee);
        return send("POST", node, "/transactions/new", payment);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> pending(WebApp node) throws Exception {
        return (List<Map<String, Object>>) Village.get(node, "/transactions/pending").get("pending");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> transactions(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    private static Pending pending(int n, long fee, int bytes) {
        return new Pending(Map.of("id", id(n)), fee, bytes, n);
    }

    private static List<String> ids(List<Pending> payments) {
        return payments.stream().map(Pending::id).toList();
    }

    @Test
    void theMinerTakesTheHighestRateFirstEqualRatesByArrivalAndASmallerPaymentFillsTheGap() {
        TreeSet<Pending> mempool = new TreeSet<>(Blockchain.MINERS_ORDER);
        mempool.add(pending(1, 10, 500)); // 0.02 a byte
        mempool.add(pending(2, 9, 300)); // 0.03
        mempool.add(pending(3, 6, 200)); // 0.03, later than 2
        mempool.add(pending(4, 4, 400)); // 0.01: does not fit after 2, 3, 1
        mempool.add(pending(5, 1, 100)); // 0.01 but small: fills the gap
        assertEquals(List.of(id(2), id(3), id(1), id(4), id(5)), ids(List.copyOf(mempool)));
        List<Pending> block = Blockchain.chooseBlock(mempool, 1_100);
        assertEquals(List.of(id(2), id(3), id(1), id(5)), ids(block));
        assertEquals(1_100, block.stream().mapToInt(Pending::bytes).sum());
        assertEquals(List.of(id(2), id(3)), ids(Blockchain.chooseBlock(mempool, 500)), "1 does not fit after 2 and 3");
        assertEquals(List.of(), ids(Blockchain.chooseBlock(List.of(), 1_000)));
    }

    @Test
    void theProjectedBlocksAreChooseBlockAgainAndAgainOnWhatIsLeft() {
        Blockchain blockchain = new Blockchain(() -> 1_800_000_000.0, ZEROS, 600, 1_000_000);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < 300; i++) {
            String name = "v".repeat(1 + random.nextInt(300)); // sizes from about 90 to 390 bytes
            blockchain.newTransaction(Blockchain.transaction(id(i + 1), name, "m", 1L, random.nextInt(20)));
        }
        Map<Pending, Long> projection = blockchain.projection();
        List<Pending> left = new ArrayList<>(projection.keySet());
        left.sort(Blockchain.MINERS_ORDER);
        List<Pending> expected = new ArrayList<>();
        long block = 1;
        while (!left.isEmpty()) {
            List<Pending> chosen = Blockchain.chooseBlock(left, 600);
            for (Pending payment : chosen) assertEquals(block, projection.get(payment), payment.id());
            expected.addAll(chosen);
            left.removeAll(chosen);
            block++;
        }
        assertEquals(ids(expected), ids(List.copyOf(projection.keySet())), "listed block by block, in the miner's order");
        assertTrue(block > 40, "many blocks: " + block);
    }

    @Test
    void pendingShowsTheMinersOrderAndProjectedBlocksAndTheMinedBlockHoldsExactlyBlock1() throws Exception {
        WebApp node = b14("--block-bytes", "400");
        for (int i = 0; i < 6; i++) assertEquals(201, pay(node, id(100 + i), "v" + i, 5, (long) i).status());
        List<Map<String, Object>> pending = pending(node);
        assertEquals(6, pending.size());
        List<Object> fees = pending.stream().map(entry -> entry.get("fee")).toList();
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L, 0L), fees, "all the same size: the highest fee first");
        int bytes = Blockchain.bytes(Blockchain.transaction(id(100), "v0", "大華", 5L, 0));
        assertEquals((long) bytes, pending.get(5).get("bytes"));
        long perBlock = 400 / bytes;
        for (int i = 0; i < 6; i++) assertEquals(1 + i / perBlock, pending.get(i).get("projected"), "payment " + i);
        Map<String, Object> whereabouts = Village.get(node, "/transactions/" + pending.get(5).get("id"));
        assertEquals("pending", whereabouts.get("status"));
        assertEquals(1 + 1 + 5 / perBlock, whereabouts.get("projected_block"));

        Map<String, Object> mined = Village.get(node, "/mine");
        List<Map<String, Object>> held = transactions(mined);
        List<Object> projected1 = pending.stream().filter(entry -> entry.get("projected").equals(1L)).map(entry -> entry.get("id")).toList();
        assertEquals(projected1, held.subList(1, held.size()).stream().map(entry -> entry.get("id")).toList());
        long fees1 = held.subList(1, held.size()).stream().mapToLong(entry -> (long) entry.get("fee")).sum();
        assertEquals(1 + fees1, held.get(0).get("amount"), "the reward is 1 plus the fees");
        assertTrue(fees1 > 0);
        assertEquals(6 - projected1.size(), pending(node).size());
        assertEquals(1L, pending(node).get(0).get("projected"));
        assertNull(B14Fees.whyInvalid(Village.chain(node), ZEROS, 400));
    }

    @Test
    void aPaymentLargerThanABlockAndBadFeesAreRefusedAndLeaveNoTrace() throws Exception {
        WebApp node = b14("--block-bytes", "200");
        for (Object fee : List.of(1.5, -1L, "3", true, 1.0, 2_000_000_000_000L, new java.math.BigInteger("99999999999999999999"))) {
            Answer answer = pay(node, null, "小美", 5, fee);
            assertEquals(400, answer.status(), "fee " + fee);
            assertTrue(((String) answer.json().get("error")).startsWith("'fee' must be a whole number of coins"), answer.json().toString());
        }
        Answer big = pay(node, null, "小美".repeat(30), 5, 1L);
        assertEquals(400, big.status());
        assertTrue(((String) big.json().get("error")).contains("more than a block holds (200)"), big.json().toString());
        assertEquals(400, pay(node, "NOT-AN-ID", "小美", 5, 1L).status());
        assertEquals(List.of(), pending(node));
        assertEquals(201, pay(node, null, "小美", 5, null).status(), "no fee is a fee of 0");
        assertEquals(0L, pending(node).get(0).get("fee"));
    }

    @Test
    void aRetryIsNotQueuedTwiceAndAnotherPaymentUnderAKnownIdIs409() throws Exception {
        WebApp node = b14();
        Answer first = pay(node, id(7), "小美", 699, 3L);
        assertEquals(201, first.status());
        assertEquals(id(7), first.json().get("id"));
        assertEquals("Transaction will be added to Block 2", first.json().get("message"));
        Answer again = pay(node, id(7), "小美", 699, 3L);
        assertEquals(200, again.status());
        assertEquals("Transaction is already pending, for Block 2", again.json().get("message"));
        assertEquals(409, pay(node, id(7), "小美", 700, 3L).status());
        assertEquals(409, pay(node, id(7), "小美", 699, 4L).status());
        assertEquals(1, pending(node).size());
        Village.mine(node, 1);
        Answer afterMining = pay(node, id(7), "小美", 699, 3L);
        assertEquals(200, afterMining.status());
        assertEquals("Transaction is already in Block 2", afterMining.json().get("message"));
        assertEquals(List.of(), pending(node));
        String rewardId = (String) transactions(Village.chain(node).get(1)).get(0).get("id");
        assertEquals(409, pay(node, rewardId, "小美", 1, 0L).status(), "a reward's id is taken too");
        assertEquals(2, transactions(Village.chain(node).get(1)).size());
    }

    @Test
    void aFullMempoolEvictsTheCheapestForABetterRateAndRefusesALowerOneWithTheRateToBeat() throws Exception {
        WebApp node = b14("--block-bytes", "300", "--mempool-bytes", "600");
        int bytes = Blockchain.bytes(Blockchain.transaction(id(1), "v1", "大華", 5L, 1));
        int fit = 600 / bytes;
        for (int i = 1; i <= fit; i++) assertEquals(201, pay(node, id(i), "v" + i, 5, (long) i).status());
        Answer low = pay(node, id(50), "v9", 5, 1L); // the same rate as the cheapest, which came first
        assertEquals(503, low.status());
        assertEquals(Math.round(10_000.0 / bytes) / 10_000.0, low.json().get("fee_rate_to_beat"));
        assertEquals(2L, low.json().get("fee_to_pay"));
        assertTrue(((String) low.json().get("error")).startsWith("the mempool is full"), low.json().toString());
        assertEquals(404, send("GET", node, "/transactions/" + id(50), null).status());

        assertEquals(201, pay(node, id(51), "v9", 5, 2L).status(), "the fee it was told to pay");
        Map<String, Object> gone = Village.get(node, "/transactions/" + id(1));
        assertEquals("evicted", gone.get("status"));
        assertEquals(1L, ((Map<?, ?>) gone.get("transaction")).get("fee"));
        assertEquals(fit, pending(node).size());
        assertTrue(pending(node).stream().noneMatch(entry -> entry.get("id").equals(id(1))));
        assertEquals(201, pay(node, id(1), "v1", 5, 9L).status(), "an evicted payment may come back with a higher fee");
        assertEquals("pending", Village.get(node, "/transactions/" + id(1)).get("status"));
    }

    /** A block of these payments, mined by hand on the chain, with the reward given. */
    private static Map<String, Object> block(List<Map<String, Object>> chain, long reward, List<Map<String, Object>> payments) {
        List<Map<String, Object>> transactions = new ArrayList<>();
        transactions.add(Blockchain.reward(id(9_000 + chain.size()), "miner", reward));
        transactions.addAll(payments);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) chain.size() + 1);
        block.put("timestamp", 1_800_000_000.0 + chain.size());
        block.put("transactions", transactions);
        block.put("nonce", 0L);
        block.put("previous_hash", Blockchain.hash(chain.get(chain.size() - 1)));
        return Blockchain.findNonce(block, ZEROS);
    }

    private static List<Map<String, Object>> chainPaying(long reward, long... fees) {
        List<Map<String, Object>> chain = new ArrayList<>(List.of(Blockchain.genesis()));
        List<Map<String, Object>> payments = new ArrayList<>();
        for (int i = 0; i < fees.length; i++) payments.add(Blockchain.transaction(id(500 + i), "小美", "大華", 1L, fees[i]));
        chain.add(block(chain, reward, payments));
        return chain;
    }

    @Test
    void theRewardIsAtMostOnePlusTheFeesAndABlockHoldsAtMostItsBytes() {
        assertNull(B14Fees.whyInvalid(chainPaying(6, 2, 3), ZEROS, 1_000));
        assertNull(B14Fees.whyInvalid(chainPaying(1, 2, 3), ZEROS, 1_000), "a miner may take less, as in Bitcoin");
        assertEquals("invalid chain: block 2: the mining reward is 7 coins, more than 1 plus the fees (6)",
                B14Fees.whyInvalid(chainPaying(7, 2, 3), ZEROS, 1_000));
        int bytes = Blockchain.bytes(Blockchain.transaction(id(500), "小美", "大華", 1L, 2));
        assertEquals("invalid chain: block 2: its payments hold " + 2 * bytes + " bytes, more than a block's " + (2 * bytes - 1),
                B14Fees.whyInvalid(chainPaying(6, 2, 3), ZEROS, 2 * bytes - 1));
        List<Map<String, Object>> fractional = chainPaying(1, 0);
        fractional = new ArrayList<>(List.of(fractional.get(0)));
        Map<String, Object> payment = Blockchain.transaction(id(600), "小美", "大華", 1L, 0);
        payment.put("fee", 0.5);
        fractional.add(block(fractional, 1, List.of(payment)));
        assertEquals("invalid chain: block 2: a payment has no 'fee' that is a whole number of coins from 0 to 1000000000000",
                B14Fees.whyInvalid(fractional, ZEROS, 1_000));
    }

    @Test
    void b14AndB13RefuseEachOthersChainsEachWithItsReason() throws Exception {
        WebApp b14 = b14();
        assertEquals(201, pay(b14, id(3), "小美", 699, 5L).status());
        Village.mine(b14, 1);
        WebApp b13 = B13ProofOfWork.start(Options.parse(new String[] {"--port", "0", "--zeros", "" + ZEROS},
                B13ProofOfWork.OPTIONS), village.world());
        nodes.add(b13);
        Village.register(b13, b14.url());
        Map<String, Object> atB13 = Village.resolve(b13);
        assertEquals("invalid chain: block 2: the mining reward is not 1 coin", Village.outcome(atB13, b14.url()).get("reason"));

        WebApp other = b14();
        Village.post(b13, "/transactions/new", Map.of("sender", "小美", "recipient", "大華", "amount", 1L));
        Village.mine(b13, 2);
        Village.register(other, b13.url());
        Map<String, Object> atB14 = Village.resolve(other);
        assertEquals("invalid chain: block 2: a payment has no 'fee' that is a whole number of coins from 0 to 1000000000000",
                Village.outcome(atB14, b13.url()).get("reason"));
    }

    @Test
    void whileABlockIsMinedItsPaymentsAreBlock1AndStayAndNewcomersWaitForBlock2() {
        Blockchain blockchain = new Blockchain(() -> 1_800_000_000.0, ZEROS, 200, 400);
        blockchain.newTransaction(Blockchain.transaction(id(1), "a", "b", 1L, 0));
        Map<String, Object> sealed = blockchain.nextBlock(id(99), "miner");
        assertEquals(2, transactions(sealed).size());
        int bytes = Blockchain.bytes(Blockchain.transaction(id(1), "a", "b", 1L, 0));
        for (int i = 2; i <= 400 / bytes; i++) {
            assertEquals("Transaction will be added to Block " + (2 + (i - 2) / (200 / bytes) + 1),
                    blockchain.newTransaction(Blockchain.transaction(id(i), "a", "b", 1L, 5)).message(), "payment " + i);
        }
        // The mempool is full; a better payment evicts a fee-5 one, never the sealed payment of fee 0.
        blockchain.newTransaction(Blockchain.transaction(id(50), "a", "b", 1L, 9));
        assertEquals(1L, blockchain.projection().get(blockchain.projection().keySet().stream()
                .filter(payment -> payment.id().equals(id(1))).findFirst().orElseThrow()));
        assertTrue(blockchain.find(id(400 / bytes)).evicted(), "the last fee-5 payment made room");
        assertTrue(blockchain.addBlock(B14Fees.Blockchain.findNonce(sealed, ZEROS)));
        assertEquals(2L, blockchain.find(id(1)).block());
        assertEquals(1L, blockchain.projection().values().iterator().next(), "the rest move up to the next block");
    }

    @Test
    void paymentsThatComeBackIntoAFullMempoolEvictTheCheapestAndSaySo() throws Exception {
        WebApp a = b14("--block-bytes", "200", "--mempool-bytes", "400");
        WebApp b = b14("--block-bytes", "200", "--mempool-bytes", "400");
        assertEquals(201, pay(a, id(1), "v1", 5, 9L).status());
        Village.mine(a, 1); // block 2 holds it
        int bytes = Blockchain.bytes(Blockchain.transaction(id(2), "v2", "大華", 5L, 1));
        for (int i = 2; i < 2 + 400 / bytes; i++) assertEquals(201, pay(a, id(i), "v" + i, 5, 1L).status());
        Village.mine(b, 2);
        Village.register(a, b.url());
        assertEquals("Our chain was replaced", Village.resolve(a).get("message"));
        assertEquals("pending", Village.get(a, "/transactions/" + id(1)).get("status"), "back, with its fee of 9");
        int evicted = 0;
        for (int i = 2; i < 2 + 400 / bytes; i++) {
            if ("evicted".equals(Village.get(a, "/transactions/" + id(i)).get("status"))) evicted++;
        }
        assertEquals(1, evicted, "one fee-1 payment made room for it, and says so");
        assertEquals(400 / bytes, pending(a).size());
    }

    @Test
    void aReplacedChainGivesPaymentsBackWithTheirFeesEachOnce() throws Exception {
        WebApp a = b14();
        WebApp b = b14();
        assertEquals(201, pay(a, id(1), "v1", 5, 4L).status());
        assertEquals(201, pay(a, id(2), "v2", 5, 7L).status());
        Village.mine(a, 1); // both in A's block 2
        assertEquals(201, pay(a, id(3), "v3", 5, 1L).status()); // pending at A
        assertEquals(201, pay(b, id(2), "v2", 5, 7L).status()); // B holds one of them
        Village.mine(b, 2);
        Village.register(a, b.url());
        assertEquals("Our chain was replaced", Village.resolve(a).get("message"));
        List<Map<String, Object>> back = pending(a);
        assertEquals(List.of(id(1), id(3)), back.stream().map(entry -> entry.get("id")).toList());
        assertEquals(List.of(4L, 1L), back.stream().map(entry -> entry.get("fee")).toList());
        Village.mine(a, 1);
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> block : Village.chain(a)) {
            for (Map<String, Object> transaction : transactions(block)) assertTrue(seen.add(transaction.get("id")), "twice: " + transaction);
        }
        Map<String, Object> last = Village.chain(a).get(3);
        assertEquals(1L + 4 + 1, transactions(last).get(0).get("amount"));
        assertTrue(seen.containsAll(List.of(id(1), id(2), id(3))));
    }
}

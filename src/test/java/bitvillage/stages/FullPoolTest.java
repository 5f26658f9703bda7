package bitvillage.stages;

import static bitvillage.stages.FeesTest.ZEROS;
import static bitvillage.stages.FeesTest.id;
import static bitvillage.stages.FeesTest.ids;
import static bitvillage.stages.FeesTest.pay;
import static bitvillage.stages.FeesTest.pending;
import static bitvillage.stages.FeesTest.send;
import static bitvillage.stages.FeesTest.transactions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.FeesTest.Answer;
import bitvillage.stages.taught.FeeRate.Pending;
import bitvillage.stages.taught.FeeRate;
import bitvillage.stages.taught.Mempool;
import bitvillage.util.web.WebApp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * B15: the full pool. The projected blocks (choosing block after block, in one walk), the pending
 * list and a payment's answers naming the same block, eviction and the 503 with the fee to pay, the
 * payer's own id (a retry is 200, another payment under it 409), the payments of the block being
 * mined, and a replaced chain giving payments back into a full mempool.
 */
class FullPoolTest {
    private final FeesTest.Nodes nodes = new FeesTest.Nodes();

    @AfterEach
    void close() {
        nodes.close();
    }

    private WebApp b15(String... more) {
        return nodes.start(B15FullPool::start, B15FullPool.OPTIONS, more);
    }

    @Test
    void theProjectedBlocksAreChooseBlockAgainAndAgainOnWhatIsLeft() {
        Mempool mempool = new Mempool(600, 1_000_000);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < 300; i++) {
            String name = "v".repeat(1 + random.nextInt(300)); // sizes from about 90 to 390 bytes
            mempool.admit(FeeRate.transaction(id(i + 1), name, "m", 1L, random.nextInt(20)));
        }
        Map<Pending, Long> projection = mempool.projection(2);
        List<Pending> left = mempool.stream().toList();
        List<Pending> expected = new ArrayList<>();
        long block = 2;
        while (!left.isEmpty()) {
            List<Pending> chosen = FeeRate.chooseBlock(left, 600);
            for (Pending payment : chosen) {
                assertEquals(block, projection.get(payment), payment.id());
                assertEquals(block, mempool.projectedBlock(payment, 2), payment.id());
            }
            expected.addAll(chosen);
            left = new ArrayList<>(left);
            left.removeAll(chosen);
            block++;
        }
        assertEquals(ids(mempool.stream().toList()), ids(List.copyOf(projection.keySet())), "listed in the miner's order");
        assertEquals(300, expected.size());
        assertTrue(block > 40, "many blocks: " + block);
    }

    @Test
    void pendingAndAPaymentsAnswersNameTheBlockItIsProjectedForAndTheMinedBlockHoldsIt() throws Exception {
        WebApp node = b15("--block-bytes", "400");
        int bytes = FeeRate.bytes(FeeRate.transaction(id(100), "v0", "大華", 5L, 0));
        long perBlock = 400 / bytes;
        for (int i = 0; i < 6; i++) {
            Answer paid = pay(node, id(100 + i), "v" + i, 5, (long) i);
            assertEquals(201, paid.status());
            assertEquals("Transaction will be added to Block 2", paid.json().get("message"),
                    "payment " + i + ": it pays the most so far, and is as large as the others");
        }
        List<Map<String, Object>> pending = pending(node);
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L, 0L), pending.stream().map(entry -> entry.get("fee")).toList());
        for (int i = 0; i < 6; i++) assertEquals(2 + i / perBlock, pending.get(i).get("projected_block"), "payment " + i);
        Map<String, Object> answer = Village.get(node, "/transactions/pending");
        assertEquals(List.of("block_bytes", "bytes", "limit_bytes", "pending"), List.copyOf(new java.util.TreeSet<>(answer.keySet())));
        assertEquals(100_000L, answer.get("limit_bytes"));
        assertEquals(6L * bytes, answer.get("bytes"));
        Map<String, Object> whereabouts = Village.get(node, "/transactions/" + pending.get(5).get("id"));
        assertEquals("pending", whereabouts.get("status"));
        assertEquals(pending.get(5).get("projected_block"), whereabouts.get("projected_block"), "one idea, one name, one number");

        List<Map<String, Object>> held = transactions(Village.get(node, "/mine"));
        List<Object> block2 = pending.stream().filter(entry -> entry.get("projected_block").equals(2L)).map(entry -> entry.get("id")).toList();
        assertEquals(block2, held.subList(1, held.size()).stream().map(entry -> entry.get("id")).toList());
        assertEquals(3L, pending(node).get(0).get("projected_block"), "the rest move up: block 3 is the next now");
        assertNull(B15FullPool.whyInvalid(Village.chain(node), ZEROS, 400));
    }

    @Test
    void aRetryIsNotQueuedTwiceAndAnotherPaymentUnderAKnownIdIs409() throws Exception {
        WebApp node = b15();
        assertEquals(400, pay(node, "NOT-AN-ID", "小美", 5, 1L).status());
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
        WebApp node = b15("--block-bytes", "300", "--mempool-bytes", "600");
        int bytes = FeeRate.bytes(FeeRate.transaction(id(1), "v1", "大華", 5L, 1));
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

    @Test
    void whileABlockIsMinedItsPaymentsStayProjectedForItAndNewcomersWaitForTheNext() {
        B15FullPool.Blockchain blockchain = new B15FullPool.Blockchain(() -> 1_800_000_000.0, ZEROS, 200, 400);
        blockchain.newTransaction(FeeRate.transaction(id(1), "a", "b", 1L, 0));
        Map<String, Object> sealed = blockchain.nextBlock(id(99), "miner");
        assertEquals(2, transactions(sealed).size());
        int bytes = FeeRate.bytes(FeeRate.transaction(id(1), "a", "b", 1L, 0));
        for (int i = 2; i <= 400 / bytes; i++) {
            assertEquals("Transaction will be added to Block " + (3 + (i - 2) / (200 / bytes)),
                    blockchain.newTransaction(FeeRate.transaction(id(i), "a", "b", 1L, 5)).message(), "payment " + i);
        }
        // The mempool is full; a better payment evicts a fee-5 one, never the sealed payment of fee 0.
        blockchain.newTransaction(FeeRate.transaction(id(50), "a", "b", 1L, 9));
        assertEquals(2L, blockchain.find(id(1)).projected());
        assertTrue(blockchain.find(id(400 / bytes)).evicted(), "the last fee-5 payment made room");
        assertTrue(blockchain.addBlock(bitvillage.util.mining.BlockMiner.findNonce(sealed, ZEROS)));
        assertEquals(2L, blockchain.find(id(1)).block());
        assertEquals(3L, blockchain.mempool().values().iterator().next(), "the rest move up to the next block, 3");
    }

    @Test
    void paymentsThatComeBackIntoAFullMempoolEvictTheCheapestAndSaySo() throws Exception {
        WebApp a = b15("--block-bytes", "200", "--mempool-bytes", "400");
        WebApp b = b15("--block-bytes", "200", "--mempool-bytes", "400");
        assertEquals(201, pay(a, id(1), "v1", 5, 9L).status());
        Village.mine(a, 1); // block 2 holds it
        int bytes = FeeRate.bytes(FeeRate.transaction(id(2), "v2", "大華", 5L, 1));
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
    void aReplacedChainGivesBackOnlyWhatTheNewChainLacksEachIdOnce() throws Exception {
        WebApp a = b15();
        WebApp b = b15();
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
        assertEquals(1L + 4 + 1, transactions(Village.chain(a).get(3)).get(0).get("amount"));
        assertTrue(seen.containsAll(List.of(id(1), id(2), id(3))));
    }
}

package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.FeeRate.Pending;
import bitvillage.stages.taught.FeeRate;
import bitvillage.testing.Http;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * B14: fees. The miner's choice (byte limit, fee rate, ties, a smaller payment filling a gap), the
 * pending list in the miner's order, the reward rule both ways, bad fees, a replaced chain that gives
 * payments back with their fees and never holds an id twice, and B14 against B13. B15's full pool
 * is {@link FullPoolTest}'s, which uses the requests of this class.
 */
class FeesTest {
    static final int ZEROS = 2;

    private final Nodes nodes = new Nodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    private WebApp b14(String... more) {
        return nodes.start(B14Fees::start, B14Fees.OPTIONS, more);
    }

    /** Nodes of a stage on free ports, at {@link #ZEROS} zeros in a village's world, stopped after the test. */
    static final class Nodes implements AutoCloseable {
        final Village village = new Village();
        private final List<WebApp> started = new ArrayList<>();

        WebApp start(BiFunction<Options, World, WebApp> stage, List<Options.Option> options, String... more) {
            List<String> args = new ArrayList<>(List.of("--port", "0", "--zeros", "" + ZEROS));
            args.addAll(List.of(more));
            WebApp node = stage.apply(Options.parse(args.toArray(String[]::new), options), village.world());
            started.add(node);
            return node;
        }

        @Override
        public void close() {
            started.forEach(WebApp::close);
            village.close();
        }
    }

    static String id(int n) {
        return String.format("%032x", n);
    }

    record Answer(int status, Map<String, Object> json) {}

    static Answer send(String method, WebApp node, String path, Object body) throws Exception {
        HttpResponse<String> response = Http.call(method, node.url() + path, body == null ? null : PyJson.dumps(body));
        return new Answer(response.statusCode(), Http.json(response));
    }

    /** A payment to 大華, under the payer's own id if {@code id} is not null (B15 on), with a fee if {@code fee} is not null. */
    static Answer pay(WebApp node, String id, String sender, long amount, Object fee) throws Exception {
        Map<String, Object> payment = new LinkedHashMap<>();
        if (id != null) payment.put("id", id);
        payment.put("sender", sender);
        payment.put("recipient", "大華");
        payment.put("amount", amount);
        if (fee != null) payment.put("fee", fee);
        return send("POST", node, "/transactions/new", payment);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> pending(WebApp node) throws Exception {
        return (List<Map<String, Object>>) Village.get(node, "/transactions/pending").get("pending");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> transactions(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    private static Pending pending(int n, long fee, int bytes) {
        return new Pending(Map.of("id", id(n)), fee, bytes, n);
    }

    static List<String> ids(List<Pending> payments) {
        return payments.stream().map(Pending::id).toList();
    }

    @Test
    void theMinerTakesTheHighestRateFirstEqualRatesByArrivalAndASmallerPaymentFillsTheGap() {
        TreeSet<Pending> mempool = new TreeSet<>(FeeRate.MINERS_ORDER);
        mempool.add(pending(1, 10, 500)); // 0.02 a byte
        mempool.add(pending(2, 9, 300)); // 0.03
        mempool.add(pending(3, 6, 200)); // 0.03, later than 2
        mempool.add(pending(4, 4, 400)); // 0.01: does not fit after 2, 3, 1
        mempool.add(pending(5, 1, 100)); // 0.01 but small: fills the gap
        assertEquals(List.of(id(2), id(3), id(1), id(4), id(5)), ids(List.copyOf(mempool)));
        List<Pending> block = FeeRate.chooseBlock(mempool, 1_100);
        assertEquals(List.of(id(2), id(3), id(1), id(5)), ids(block));
        assertEquals(1_100, block.stream().mapToInt(Pending::bytes).sum());
        assertEquals(List.of(id(2), id(3)), ids(FeeRate.chooseBlock(mempool, 500)), "1 does not fit after 2 and 3");
        assertEquals(List.of(), ids(FeeRate.chooseBlock(List.of(), 1_000)));
    }

    @Test
    void pendingIsInTheMinersOrderAndTheMinedBlockHoldsWhatChooseBlockTakes() throws Exception {
        WebApp node = b14("--block-bytes", "400");
        for (int i = 0; i < 6; i++) {
            Answer paid = pay(node, null, "v" + i, 5, (long) i);
            assertEquals(201, paid.status());
            assertEquals("Transaction is in the mempool: blocks take the highest fee rates first", paid.json().get("message"));
        }
        List<Map<String, Object>> pending = pending(node);
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L, 0L), pending.stream().map(entry -> entry.get("fee")).toList(),
                "all the same size: the highest fee first");
        assertEquals(Set.of("id", "fee", "bytes", "fee_rate"), pending.get(0).keySet(), "no projection before B15");
        int bytes = FeeRate.bytes(FeeRate.transaction(id(100), "v0", "大華", 5L, 0));
        assertEquals((long) bytes, pending.get(5).get("bytes"));
        Map<String, Object> whereabouts = Village.get(node, "/transactions/" + pending.get(5).get("id"));
        assertEquals(List.of("id", "status", "transaction"), List.copyOf(whereabouts.keySet()));
        assertEquals("pending", whereabouts.get("status"));

        List<Map<String, Object>> held = transactions(Village.get(node, "/mine"));
        int perBlock = 400 / bytes;
        assertEquals(pending.subList(0, perBlock).stream().map(entry -> entry.get("id")).toList(),
                held.subList(1, held.size()).stream().map(entry -> entry.get("id")).toList(), "the first that fit");
        long fees = held.subList(1, held.size()).stream().mapToLong(entry -> (long) entry.get("fee")).sum();
        assertEquals(1 + fees, held.get(0).get("amount"), "the reward is 1 plus the fees");
        assertEquals(6 - perBlock, pending(node).size());
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
        assertEquals(List.of(), pending(node));
        assertEquals(201, pay(node, null, "小美", 5, null).status(), "no fee is a fee of 0");
        assertEquals(0L, pending(node).get(0).get("fee"));
    }

    /** A block of these payments, mined by hand on the chain, with the reward given. */
    static Map<String, Object> block(List<Map<String, Object>> chain, long reward, List<Map<String, Object>> payments) {
        List<Map<String, Object>> transactions = new ArrayList<>();
        transactions.add(B14Fees.Blockchain.transaction(id(9_000 + chain.size()), "0", "miner", reward));
        transactions.addAll(payments);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) chain.size() + 1);
        block.put("timestamp", 1_800_000_000.0 + chain.size());
        block.put("transactions", transactions);
        block.put("nonce", 0L);
        block.put("previous_hash", BlockProof.hash(chain.get(chain.size() - 1)));
        return BlockMiner.findNonce(block, ZEROS);
    }

    private static List<Map<String, Object>> chainPaying(long reward, long... fees) {
        List<Map<String, Object>> chain = new ArrayList<>(List.of(BlockProof.genesis()));
        List<Map<String, Object>> payments = new ArrayList<>();
        for (int i = 0; i < fees.length; i++) payments.add(FeeRate.transaction(id(500 + i), "小美", "大華", 1L, fees[i]));
        chain.add(block(chain, reward, payments));
        return chain;
    }

    @Test
    void theRewardIsAtMostOnePlusTheFeesAndABlockHoldsAtMostItsBytes() {
        assertNull(B14Fees.whyInvalid(chainPaying(6, 2, 3), ZEROS, 1_000));
        assertNull(B14Fees.whyInvalid(chainPaying(1, 2, 3), ZEROS, 1_000), "a miner may take less, as in Bitcoin");
        assertEquals("invalid chain: block 2: the mining reward is 7 coins, more than 1 plus the fees (6)",
                B14Fees.whyInvalid(chainPaying(7, 2, 3), ZEROS, 1_000));
        int bytes = FeeRate.bytes(FeeRate.transaction(id(500), "小美", "大華", 1L, 2));
        assertEquals("invalid chain: block 2: its payments hold " + 2 * bytes + " bytes, more than a block's " + (2 * bytes - 1),
                B14Fees.whyInvalid(chainPaying(6, 2, 3), ZEROS, 2 * bytes - 1));
        List<Map<String, Object>> fractional = new ArrayList<>(List.of(BlockProof.genesis()));
        Map<String, Object> payment = FeeRate.transaction(id(600), "小美", "大華", 1L, 0);
        payment.put("fee", 0.5);
        fractional.add(block(fractional, 1, List.of(payment)));
        assertEquals("invalid chain: block 2: a payment has no 'fee' that is a whole number of coins from 0 to 1000000000000",
                B14Fees.whyInvalid(fractional, ZEROS, 1_000));
        List<Map<String, Object>> halfACoin = new ArrayList<>(List.of(BlockProof.genesis()));
        halfACoin.add(block(halfACoin, 1, List.of()));
        transactions(halfACoin.get(1)).get(0).put("amount", 0.5);
        halfACoin.set(1, BlockMiner.findNonce(halfACoin.get(1), ZEROS));
        assertEquals("invalid chain: block 2: the mining reward is not a whole number of coins", B14Fees.whyInvalid(halfACoin, ZEROS, 1_000));
    }

    @Test
    void b14AndB13RefuseEachOthersChainsEachWithItsReason() throws Exception {
        WebApp b14 = b14();
        assertEquals(201, pay(b14, null, "小美", 699, 5L).status());
        Village.mine(b14, 1);
        WebApp b13 = nodes.start(B13ProofOfWork::start, B13ProofOfWork.OPTIONS);
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
    void aReplacedChainGivesPaymentsBackWithTheirFeesInTheMinersOrderEachOnce() throws Exception {
        WebApp a = b14();
        WebApp b = b14();
        String four = (String) pay(a, null, "v1", 5, 4L).json().get("id");
        String seven = (String) pay(a, null, "v2", 5, 7L).json().get("id");
        Village.mine(a, 1); // both in A's block 2
        String one = (String) pay(a, null, "v3", 5, 1L).json().get("id"); // pending at A
        Village.mine(b, 2);
        Village.register(a, b.url());
        assertEquals("Our chain was replaced", Village.resolve(a).get("message"));
        assertEquals(List.of(seven, four, one), pending(a).stream().map(entry -> entry.get("id")).toList(),
                "back, each with its fee, in the miner's order");
        Village.mine(a, 1);
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> block : Village.chain(a)) {
            for (Map<String, Object> transaction : transactions(block)) assertTrue(seen.add(transaction.get("id")), "twice: " + transaction);
        }
        assertEquals(1L + 7 + 4 + 1, transactions(Village.chain(a).get(3)).get(0).get("amount"));
    }
}

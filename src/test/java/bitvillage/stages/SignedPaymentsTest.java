package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.python.PyJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * B16 over HTTP: signed payments at the door (201, a retry 200, a forged or altered one 400, a double
 * spend 409, an overdraft 400), balances, the miner's reward, parents first in a block, a neighbour's
 * chain refused block by block and transaction by transaction, and a replaced chain giving back only
 * the payments still valid on it.
 */
class SignedPaymentsTest {
    private static final int ZEROS = 2;
    private static final byte[] MEI = Keys.fromSeed("小美");
    private static final byte[] HUA = Keys.fromSeed("大華");
    private static final String MINER = Keys.address(Keys.fromSeed("礦工"));
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private WebNode node() throws Exception {
        WebNode node = new WebNode("B16", "--zeros", Integer.toString(ZEROS), "--seed", "礦工", "--timeout", "10");
        closing.add(node);
        return node;
    }

    private static Map<String, Object> pay(byte[] key, byte[] to, long amount, long fee, long sequence) {
        return SignedPayment.signed(key, SignedPayment.unsigned(Keys.address(key), Keys.address(to), amount, fee, sequence));
    }

    private static HttpResponse<String> post(WebNode node, Map<String, Object> payment) throws Exception {
        return node.postJson("/transactions/new", PyJson.dumps(payment));
    }

    private static Map<String, Object> balance(WebNode node, byte[] key) throws Exception {
        return Http.json(node.get("/balance/" + Keys.address(key)), 200);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chainOf(WebNode node) throws Exception {
        return (List<Map<String, Object>>) (List<?>) node.chain();
    }

    /** The node's own chain holds by every rule it holds a neighbour's to. */
    private static void assertValid(WebNode node) throws Exception {
        assertNull(B16SignedPayments.whyInvalid(chainOf(node), ZEROS, 10_000, new VerifiedSignatures(100)));
    }

    @Test
    void theDoorTakesOnlyASendersOwnNextCoveredPayment() throws Exception {
        WebNode node = node();
        Map<String, Object> first = pay(MEI, HUA, 699, 1, 1);
        String id = SignedPayment.id(first);
        assertEquals(id, Http.json(post(node, first), 201).get("id"));
        assertEquals("Transaction is already pending, for Block 2", Http.json(post(node, first), 200).get("message"));

        Map<String, Object> forged = SignedPayment.signed(HUA, SignedPayment.unsigned(Keys.address(MEI), Keys.address(HUA), 5, 0, 2));
        Http.error(post(node, forged), 400, "signature does not verify for the sender");
        Map<String, Object> altered = new LinkedHashMap<>(pay(MEI, HUA, 5, 0, 2));
        altered.put("amount", 50L);
        Http.error(post(node, altered), 400, "signature does not verify for the sender");
        Http.error(post(node, pay(MEI, HUA, 5, 0, 1)), 409, "payment " + id + " has this sender's sequence 1 already");
        Http.error(post(node, pay(MEI, HUA, 5, 0, 3)), 400, "sequence 2 expected, 3 given");
        Http.error(post(node, pay(MEI, HUA, 300, 1, 2)), 400, "balance 300, payment needs 301");
        Map<String, Object> extra = new LinkedHashMap<>(pay(MEI, HUA, 5, 0, 2));
        extra.put("id", id);
        Http.error(post(node, extra), 400, "a payment has exactly the fields");
        Http.error(node.get("/balance/小美"), 400, "an address is 64 lower-case hex digits");

        assertEquals(Map.of("address", Keys.address(MEI), "confirmed", 1000L, "pending", 300L, "next_sequence", 2L), balance(node, MEI));
        assertEquals(1699L, balance(node, HUA).get("pending"));
        assertEquals(1000L, balance(node, HUA).get("confirmed"), "incoming pending coins are not confirmed");
    }

    @Test
    void theMinersRewardCarriesTheBlocksIndexAndABlockHoldsParentsFirst() throws Exception {
        WebNode node = node();
        Map<String, Object> first = pay(MEI, HUA, 100, 0, 1);
        Map<String, Object> second = pay(MEI, HUA, 100, 90, 2); // pays far better, but only after the first
        Http.json(post(node, first), 201);
        Http.json(post(node, second), 201);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> transactions = (List<Map<String, Object>>) Http.json(node.get("/mine"), 200).get("transactions");
        assertEquals(PyJson.dumps(SignedPayment.reward(MINER, 91, 2)), PyJson.dumps(transactions.get(0)));
        assertEquals(List.of(SignedPayment.id(first), SignedPayment.id(second)),
                transactions.subList(1, 3).stream().map(payment -> payment.get("id")).toList());
        assertEquals(Map.of("address", Keys.address(MEI), "confirmed", 710L, "pending", 710L, "next_sequence", 3L), balance(node, MEI));
        assertEquals(91L, Http.json(node.get("/balance/" + MINER), 200).get("confirmed"));
        assertEquals("Transaction is already in Block 2", Http.json(post(node, first), 200).get("message"));
        assertEquals("confirmed", Http.json(node.get("/transactions/" + SignedPayment.id(first)), 200).get("status"));
        Http.json(node.get("/mine"), 200);
        assertEquals(3L, chainOf(node).get(2).get("index"));
        assertValid(node);
    }

    @Test
    void aNeighboursChainIsRefusedAtTheBlockAndTransactionThatBreaksARule() throws Exception {
        WebNode node = node();
        Map<String, Object> altered = new LinkedHashMap<>(pay(MEI, HUA, 5, 0, 1));
        altered.put("amount", 500L);
        assertRefused(node, List.of(reward(1, 2), SignedPayment.withId(altered)), "block 2: transaction 2: signature does not verify for the sender");
        assertRefused(node, List.of(reward(1, 2), SignedPayment.withId(pay(MEI, HUA, 5, 0, 2))), "block 2: transaction 2: sequence 1 expected, 2 given");
        assertRefused(node, List.of(reward(2, 2), SignedPayment.withId(pay(MEI, HUA, 1000, 1, 1))), "block 2: transaction 2: balance 1000, payment needs 1001");
        assertRefused(node, List.of(reward(2, 2), SignedPayment.withId(pay(MEI, HUA, 5, 0, 1))), "block 2: the mining reward is not 1 coins or fewer");
        Map<String, Object> wrongId = SignedPayment.withId(pay(MEI, HUA, 5, 0, 1));
        wrongId.put("id", "0".repeat(64));
        assertRefused(node, List.of(reward(1, 2), wrongId), "block 2: transaction 2: its 'id' is not the hash of the payment");
        assertRefused(node, List.of(SignedPayment.reward(MINER, 1, 3)), "block 2: the mining reward is not 1 coins or fewer (1 plus the fees) to an address, with the block's index as sequence");
    }

    @Test
    void aReplacedChainGivesBackOnlyThePaymentsStillValidOnIt() throws Exception {
        WebNode node = node();
        Map<String, Object> doubleSpent = pay(MEI, HUA, 100, 1, 1);
        Map<String, Object> overdrawn = pay(MEI, HUA, 600, 1, 2);
        Map<String, Object> stillValid = pay(HUA, MEI, 10, 1, 1);
        for (Map<String, Object> payment : List.of(doubleSpent, overdrawn, stillValid)) Http.json(post(node, payment), 201);
        // The neighbour's chain holds another payment of 小美's with sequence 1, which leaves her 500.
        register(node, serve(chainWith(List.of(reward(1, 2), SignedPayment.withId(pay(MEI, HUA, 500, 0, 1))))));
        assertEquals("Our chain was replaced", Http.json(node.get("/nodes/resolve"), 200).get("message"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pending = (List<Map<String, Object>>) Http.json(node.get("/transactions/pending"), 200).get("pending");
        assertEquals(List.of(SignedPayment.id(stillValid)), pending.stream().map(payment -> payment.get("id")).toList());
        assertEquals(500L, balance(node, MEI).get("confirmed"));
        // Each was answered 201: the node still says where it is, and why it will never be mined.
        assertEvicted(node, doubleSpent, "no longer valid on the chain we adopted: sequence 2 expected, 1 given");
        assertEvicted(node, overdrawn, "no longer valid on the chain we adopted: balance 500, payment needs 601");
        Http.json(node.get("/mine"), 200);
        assertValid(node);
    }

    @Test
    void aConfirmedPaymentALongerChainMakesInvalidIsEvictedWithWhyNeverForgotten() throws Exception {
        WebNode node = node();
        Map<String, Object> confirmed = pay(MEI, HUA, 100, 1, 1);
        Http.json(post(node, confirmed), 201);
        Http.json(node.get("/mine"), 200);
        assertEquals("confirmed", Http.json(node.get("/transactions/" + SignedPayment.id(confirmed)), 200).get("status"));
        // Three blocks beat our two; the first spends 小美's sequence 1 on another payment.
        register(node, serve(chainWith(List.of(reward(1, 2), SignedPayment.withId(pay(MEI, HUA, 900, 0, 1))), List.of(reward(1, 3)))));
        assertEquals("Our chain was replaced", Http.json(node.get("/nodes/resolve"), 200).get("message"));
        assertEvicted(node, confirmed, "no longer valid on the chain we adopted: sequence 2 expected, 1 given");
        assertEquals(Map.of("address", Keys.address(MEI), "confirmed", 100L, "pending", 100L, "next_sequence", 2L), balance(node, MEI));
        Http.json(node.get("/mine"), 200);
        assertValid(node);
    }

    private static void assertEvicted(WebNode node, Map<String, Object> payment, String reason) throws Exception {
        Map<String, Object> found = Http.json(node.get("/transactions/" + SignedPayment.id(payment)), 200);
        assertEquals("evicted", found.get("status"), found.toString());
        assertEquals(reason, found.get("reason"));
    }

    private static Map<String, Object> reward(long amount, long index) {
        return SignedPayment.reward(MINER, amount, index);
    }

    private void assertRefused(WebNode node, List<Map<String, Object>> transactions, String reason) throws Exception {
        String neighbour = serve(chainWith(transactions));
        register(node, neighbour);
        Map<String, Object> resolution = Http.json(node.get("/nodes/resolve"), 200);
        assertEquals("Our chain is authoritative", resolution.get("message"));
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = ((List<Map<String, Object>>) resolution.get("neighbours")).stream()
                .filter(each -> neighbour.equals(each.get("node"))).findFirst().orElseThrow();
        assertTrue(((String) outcome.get("reason")).contains(reason), outcome.toString());
        Http.json(node.postJson("/nodes/forget", PyJson.dumps(Map.of("nodes", List.of(neighbour)))), 200);
    }

    /** B16's genesis, then a block of each list of transactions, mined. */
    @SafeVarargs
    private static List<Map<String, Object>> chainWith(List<Map<String, Object>>... blocks) {
        List<Map<String, Object>> chain = new ArrayList<>(List.of(B16SignedPayments.genesis()));
        for (List<Map<String, Object>> transactions : blocks) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", chain.size() + 1L);
            block.put("timestamp", 1546678801.6103268 + 60 * chain.size());
            block.put("transactions", transactions);
            block.put("nonce", 0L);
            block.put("previous_hash", BlockProof.hash(chain.get(chain.size() - 1)));
            chain.add(BlockMiner.findNonce(block, ZEROS));
        }
        return chain;
    }

    private static void register(WebNode node, String neighbour) throws Exception {
        Http.json(node.postJson("/nodes/register", PyJson.dumps(Map.of("nodes", List.of(neighbour)))), 200);
    }

    /** A neighbour that answers /chain with this chain. */
    private String serve(List<Map<String, Object>> chain) throws IOException {
        byte[] body = PyJson.dumps(Map.of("chain", chain, "length", (long) chain.size())).getBytes(StandardCharsets.UTF_8);
        return Http.stub("/chain", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }, closing);
    }
}

package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
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
 * B17 over HTTP: coins at the door (a payment with change 201, a retry 200, a second spend of its coin
 * 409 naming the first, another's key or a negative fee 400), coins and balances, the fee to the miner,
 * a reward spendable only once mature, a neighbour's chain spending a coin twice refused at the block,
 * and a replaced chain that marks our payment conflicted (and its child), or evicted when the reward it
 * spent is gone.
 */
class CoinsTest {
    private static final int ZEROS = 2;
    private static final byte[] MEI = Keys.fromSeed("小美");
    private static final byte[] HUA = Keys.fromSeed("大華");
    private static final byte[] MINER_KEY = Keys.fromSeed("礦工");
    private static final String MINER = Keys.address(MINER_KEY);
    private static final String GENESIS = CoinTransaction.id(CoinTransaction.genesis());
    private static final Outpoint MEIS_COIN = new Outpoint(GENESIS, 0);
    private static final Outpoint HUAS_COIN = new Outpoint(GENESIS, 1);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private WebNode node() throws Exception {
        WebNode node = new WebNode("B17", "--zeros", Integer.toString(ZEROS), "--seed", "礦工", "--timeout", "10");
        closing.add(node);
        return node;
    }

    /** A payment from one coin: {@code amount} to {@code to}, the change back to the payer. */
    private static Map<String, Object> pay(byte[] key, Outpoint coin, long holds, byte[] to, long amount, long fee) {
        return CoinSelection.pay(key, Map.of(coin, holds), Keys.address(to), amount, fee);
    }

    private static HttpResponse<String> post(WebNode node, Map<String, Object> transaction) throws Exception {
        return node.postJson("/transactions/new", PyJson.dumps(transaction));
    }

    private static Map<String, Object> status(WebNode node, Map<String, Object> transaction) throws Exception {
        return Http.json(node.get("/transactions/" + CoinTransaction.id(transaction)), 200);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> coins(WebNode node, String address) throws Exception {
        return (List<Map<String, Object>>) Http.json(node.get("/coins/" + address), 200).get("coins");
    }

    private static Map<String, Object> coin(WebNode node, String address, Outpoint outpoint) throws Exception {
        return coins(node, address).stream().filter(coin -> coin.get("txid").equals(outpoint.txid()) && coin.get("index").equals(outpoint.index()))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chainOf(WebNode node) throws Exception {
        return (List<Map<String, Object>>) (List<?>) node.chain();
    }

    /** The node's own chain holds by every rule it holds a neighbour's to. */
    private static void assertValid(WebNode node) throws Exception {
        assertNull(UnspentCoins.whyInvalid(chainOf(node), B17Coins.genesis(), ZEROS, 10_000, 3, new VerifiedSignatures(100)));
    }

    @Test
    void theDoorTakesAPaymentOfUnspentCoinsSignedByTheirOwner() throws Exception {
        assertEquals("e0ee9a01795fcfc570fb2022b4db046c5d247bacf62f882fc8e0526e6cdd1929", BlockProof.hash(B17Coins.genesis()), "as the page says");
        WebNode node = node();
        Map<String, Object> payment = pay(MEI, MEIS_COIN, 1000, HUA, 699, 1);
        String id = CoinTransaction.id(payment);
        assertEquals(id, Http.json(post(node, payment), 201).get("id"));
        assertEquals("Transaction is already pending, for Block 2", Http.json(post(node, payment), 200).get("message"));

        Map<String, Object> second = pay(MEI, MEIS_COIN, 1000, MEI, 990, 10);
        Map<String, Object> conflict = Http.json(post(node, second), 409);
        assertEquals(id, conflict.get("spent_by"));
        assertTrue(((String) conflict.get("error")).contains("already spent by " + id), conflict.toString());
        Http.error(post(node, pay(HUA, MEIS_COIN, 1000, HUA, 999, 1)), 400, "the signature does not verify for the coin's owner");
        Http.error(post(node, pay(HUA, HUAS_COIN, 1000, MEI, 1001, -1)), 400, "the fee is below 0");
        Http.error(post(node, pay(HUA, new Outpoint("ab".repeat(32), 0), 5, MEI, 4, 1)), 400, "names no unspent output");
        Map<String, Object> extra = new LinkedHashMap<>(pay(HUA, HUAS_COIN, 1000, MEI, 5, 1));
        extra.put("fee", 1L);
        Http.error(post(node, extra), 400, "a transaction has exactly the fields 'inputs' and 'outputs'");

        Outpoint change = new Outpoint(id, 1);
        assertEquals(Map.of("txid", id, "index", 1L, "amount", 300L, "confirmations", 0L, "spendable", true), coin(node, Keys.address(MEI), change));
        assertEquals(false, coin(node, Keys.address(MEI), MEIS_COIN).get("spendable"), "a pending payment spends it");
        assertEquals(Map.of("address", Keys.address(MEI), "confirmed", 1000L, "pending", 300L, "spendable", 300L),
                Http.json(node.get("/balance/" + Keys.address(MEI)), 200));
        Http.json(node.get("/mine"), 200);
        assertEquals(1L, coin(node, Keys.address(MEI), change).get("confirmations"));
        assertEquals(Map.of("address", Keys.address(HUA), "balance", 1699L, "coins", coins(node, Keys.address(HUA))),
                Http.json(node.get("/coins/" + Keys.address(HUA)), 200));
        assertEquals("confirmed", status(node, payment).get("status"));
        assertValid(node);
    }

    @Test
    void theFeeIsInMinusOutAndTheRewardMaturesBeforeItIsSpent() throws Exception {
        WebNode node = node();
        Map<String, Object> payment = pay(MEI, MEIS_COIN, 1000, HUA, 600, 7); // 393 change: 1000 − 600 − 393 = 7
        Http.json(post(node, payment), 201);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> mined = (List<Map<String, Object>>) Http.json(node.get("/mine"), 200).get("transactions");
        Map<String, Object> reward = CoinTransaction.withId(CoinTransaction.reward(MINER, 8, 2));
        assertEquals(PyJson.dumps(reward), PyJson.dumps(mined.get(0)));

        Outpoint rewardCoin = new Outpoint((String) reward.get("id"), 0);
        Map<String, Object> spendReward = pay(MINER_KEY, rewardCoin, 8, HUA, 7, 1);
        Http.error(post(node, spendReward), 400, "input 0 spends a reward coin not yet mature: made at height 2, spendable from height 5, not at 3");
        Http.json(node.get("/mine"), 200);
        assertEquals(false, coin(node, MINER, rewardCoin).get("spendable"));
        Http.json(node.get("/mine"), 200); // the tip at 4: the next block, 5, may spend it
        assertEquals(true, coin(node, MINER, rewardCoin).get("spendable"));
        Http.json(post(node, spendReward), 201);
        Http.json(node.get("/mine"), 200);
        assertEquals("confirmed", status(node, spendReward).get("status"));
        assertValid(node);
    }

    @Test
    void aNeighboursChainSpendingACoinTwiceIsRefusedAtTheBlock() throws Exception {
        WebNode node = node();
        Map<String, Object> first = CoinTransaction.withId(pay(MEI, MEIS_COIN, 1000, HUA, 1000, 0));
        Map<String, Object> again = CoinTransaction.withId(pay(MEI, MEIS_COIN, 1000, MEI, 1000, 0));
        String spent = "input 0 spends " + MEIS_COIN + ", already spent by " + first.get("id");
        assertRefused(node, chainOf(List.of(List.of(reward(1, 2), first, again))), "block 2: transaction 3: " + spent);
        assertRefused(node, chainOf(List.of(List.of(reward(1, 2), first), List.of(reward(1, 3), again))), "block 3: transaction 2: " + spent);
        assertRefused(node, chainOf(List.of(List.of(reward(2, 2), first))), "block 2: the mining reward is not 1 coins or fewer");
        Map<String, Object> wrongId = new LinkedHashMap<>(first);
        wrongId.put("id", "0".repeat(64));
        assertRefused(node, chainOf(List.of(List.of(reward(1, 2), wrongId))), "block 2: transaction 2: its 'id' is not the hash of the transaction");
    }

    @Test
    void aChainThatSpentTheCoinOtherwiseMakesOurPaymentAndItsChildConflictedForGood() throws Exception {
        WebNode node = node();
        Map<String, Object> payment = pay(MEI, MEIS_COIN, 1000, HUA, 699, 1);
        Map<String, Object> child = pay(HUA, new Outpoint(CoinTransaction.id(payment), 0), 699, MEI, 600, 1);
        Http.json(post(node, payment), 201);
        Http.json(post(node, child), 201);
        Map<String, Object> back = CoinTransaction.withId(pay(MEI, MEIS_COIN, 1000, MEI, 1000, 0)); // her secret chain's
        register(node, serve(chainOf(List.of(List.of(reward(1, 2), back), List.of(reward(1, 3))))));
        assertEquals("Our chain was replaced", Http.json(node.get("/nodes/resolve"), 200).get("message"));
        for (Map<String, Object> lost : List.of(payment, child)) {
            assertEquals("conflicted", status(node, lost).get("status"));
            assertEquals(back.get("id"), status(node, lost).get("conflicted_by"));
        }
        assertEquals(back.get("id"), Http.json(post(node, payment), 409).get("spent_by"));
        Http.json(node.get("/mine"), 200);
        assertEquals("conflicted", status(node, payment).get("status"), "never back by itself");
        assertValid(node);
    }

    @Test
    void aChainWithoutTheRewardAPaymentSpentMakesItEvictedWithWhy() throws Exception {
        WebNode node = node();
        for (int block = 0; block < 3; block++) Http.json(node.get("/mine"), 200);
        Outpoint rewardCoin = new Outpoint(CoinTransaction.id(CoinTransaction.reward(MINER, 1, 2)), 0);
        Map<String, Object> spendReward = pay(MINER_KEY, rewardCoin, 1, HUA, 1, 0);
        Http.json(post(node, spendReward), 201);
        String other = Keys.address(Keys.fromSeed("another miner"));
        List<List<Map<String, Object>>> blocks = new ArrayList<>();
        for (long index = 2; index <= 5; index++) {
            blocks.add(List.of(CoinTransaction.withId(CoinTransaction.reward(other, 1, index))));
        }
        register(node, serve(chainOf(blocks)));
        assertEquals("Our chain was replaced", Http.json(node.get("/nodes/resolve"), 200).get("message"));
        Map<String, Object> evicted = status(node, spendReward);
        assertEquals("evicted", evicted.get("status"));
        assertTrue(((String) evicted.get("reason")).startsWith("no longer valid on the chain we adopted: input 0 names no unspent output"), evicted.toString());
        Http.json(node.get("/mine"), 200);
        assertValid(node);
    }

    private static Map<String, Object> reward(long amount, long index) {
        return CoinTransaction.withId(CoinTransaction.reward(MINER, amount, index));
    }

    private void assertRefused(WebNode node, List<Map<String, Object>> chain, String reason) throws Exception {
        String neighbour = serve(chain);
        register(node, neighbour);
        Map<String, Object> resolution = Http.json(node.get("/nodes/resolve"), 200);
        assertEquals("Our chain is authoritative", resolution.get("message"));
        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = ((List<Map<String, Object>>) resolution.get("neighbours")).stream()
                .filter(each -> neighbour.equals(each.get("node"))).findFirst().orElseThrow();
        assertTrue(((String) outcome.get("reason")).contains(reason), outcome.toString());
        Http.json(node.postJson("/nodes/forget", PyJson.dumps(Map.of("nodes", List.of(neighbour)))), 200);
    }

    /** B17's genesis, then a block of each list of transactions, mined. */
    private static List<Map<String, Object>> chainOf(List<List<Map<String, Object>>> blocks) {
        List<Map<String, Object>> chain = new ArrayList<>(List.of(B17Coins.genesis()));
        for (List<Map<String, Object>> transactions : blocks) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", chain.size() + 1L);
            block.put("timestamp", 1546678861.5 + chain.size());
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

package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.stages.B18Gossip;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.python.PyJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** B18's neighbours: one that announces blocks it cannot serve, serves an invalid one, or floods, is dropped; an honest one is not; a stranger is not heard. */
class GossipAttacksTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private WebNode node() throws Exception {
        WebNode node = new WebNode("B18", "--zeros", "2", "--seed", "礦工");
        closing.add(node);
        return node;
    }

    private static String announcement(String from, int i) {
        return "{\"from\": \"" + from + "\", \"hash\": \"" + String.format("%064x", i) + "\", \"height\": 2}";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> dropped(WebNode node) throws Exception {
        return (List<Map<String, Object>>) Http.json(node.get("/nodes"), 200).get("dropped");
    }

    @Test
    void aNeighbourAnnouncingBlocksItCannotServeIsDroppedAndAnHonestOneIsNot() throws Exception {
        WebNode node = node();
        WebNode honest = node();
        String liar = Http.stub("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        }, closing);
        node.postJson("/nodes/register", "{\"nodes\": [\"" + liar + "\", \"" + honest.app.url() + "\"]}");
        honest.postJson("/nodes/register", "{\"nodes\": [\"" + node.app.url() + "\"]}");
        Http.json(honest.get("/mine"), 200);
        for (int i = 0; i < 5; i++) node.postJson("/gossip/block", announcement(liar, i));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (dropped(node).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(liar, dropped(node).get(0).get("address"));
        assertTrue(((String) dropped(node).get(0).get("reason")).contains("could not serve block"), dropped(node).toString());
        assertEquals(1, dropped(node).size(), "the honest neighbour stays");
        Http.error(node.postJson("/gossip/block", announcement(liar, 9)), 403, "no neighbour of ours");
    }

    /** A block on genesis, its proof of work sound, whose payment carries a signature that does not verify. */
    private static Map<String, Object> blockWithAForgedSignature() {
        Map<String, Object> genesis = B18Gossip.genesis();
        Outpoint meisCoin = new Outpoint(CoinTransaction.id(CoinTransaction.genesis()), 0);
        Map<String, Object> payment = CoinSelection.pay(Keys.fromSeed("小美"), Map.of(meisCoin, 1000L), Keys.address(Keys.fromSeed("大華")), 10, 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) ((List<Object>) payment.get("inputs")).get(0);
        String signature = (String) input.get("signature");
        input.put("signature", (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1)); // the id stays: it covers what is signed
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", 2L);
        block.put("timestamp", genesis.get("timestamp"));
        block.put("transactions", List.of(CoinTransaction.withId(CoinTransaction.reward(Keys.address(Keys.fromSeed("大華")), 2, 2)),
                CoinTransaction.withId(payment)));
        block.put("nonce", 0L);
        block.put("previous_hash", BlockProof.hash(genesis));
        return BlockMiner.findNonce(block, 2);
    }

    @Test
    void aNeighbourServingAForgedBlockIsDroppedAndTheHonestChainStillSpreads() throws Exception {
        WebNode node = node();
        WebNode honest = node();
        Map<String, Object> forged = blockWithAForgedSignature();
        byte[] served = PyJson.dumps(forged).getBytes(StandardCharsets.UTF_8);
        String forger = Http.stub("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, served.length);
            exchange.getResponseBody().write(served);
            exchange.close();
        }, closing);
        node.postJson("/nodes/register", "{\"nodes\": [\"" + forger + "\", \"" + honest.app.url() + "\"]}");
        honest.postJson("/nodes/register", "{\"nodes\": [\"" + node.app.url() + "\"]}");
        Http.json(node.postJson("/gossip/block", "{\"from\": \"" + forger + "\", \"hash\": \"" + BlockProof.hash(forged)
                + "\", \"height\": 2}"), 202);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (dropped(node).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(forger, dropped(node).get(0).get("address"));
        assertTrue(((String) dropped(node).get(0).get("reason")).contains("signature does not verify"), dropped(node).toString());
        Map<String, Object> mined = Http.json(honest.get("/mine"), 200);
        while (Http.json(node.get("/chain"), 200).get("length").equals(1L) && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(2L, Http.json(node.get("/chain"), 200).get("length"), "the honest block spread");
        assertEquals(mined.get("nonce"), ((Map<?, ?>) ((List<?>) Http.json(node.get("/chain"), 200).get("chain")).get(1)).get("nonce"));
        assertEquals(1, dropped(node).size(), "the honest neighbour stays");
    }

    @Test
    void aFloodingNeighbourIsRateLimitedThenDropped() throws Exception {
        WebNode node = node();
        WebNode flooder = node();
        node.postJson("/nodes/register", "{\"nodes\": [\"" + flooder.app.url() + "\"]}");
        int refused = 0;
        for (int i = 0; i < 300 && dropped(node).isEmpty(); i++) {
            int status = node.postJson("/gossip/transaction", "{\"from\": \"" + flooder.app.url() + "\", \"id\": \""
                    + CoinTransaction.id(CoinTransaction.genesis()) + "\"}").statusCode(); // one we hold: only the rate counts
            if (status == 429) refused++;
        }
        assertTrue(refused > 0, "announcements past the burst are refused");
        assertEquals(flooder.app.url(), dropped(node).get(0).get("address"));
    }

    @Test
    void aStrangerIsNotHeard() throws Exception {
        WebNode node = node();
        Http.error(node.postJson("/gossip/block", announcement("http://127.0.0.1:9", 1)), 403, "no neighbour of ours");
    }
}

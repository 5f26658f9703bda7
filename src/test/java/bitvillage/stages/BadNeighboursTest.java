package bitvillage.stages;

import static bitvillage.stages.Village.chain;
import static bitvillage.stages.Village.mine;
import static bitvillage.stages.Village.outcome;
import static bitvillage.stages.Village.register;
import static bitvillage.stages.Village.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Neighbours that are down, slow, broken or lying: each is skipped with its reason, resolve still
 * answers, and only a valid chain is ever adopted.
 */
class BadNeighboursTest {
    private final Village village = new Village();
    private final CountDownLatch stubsMayFinish = new CountDownLatch(1);

    @AfterEach
    void stopTheVillage() {
        stubsMayFinish.countDown();
        village.close();
    }

    /** A valid chain of {@code blocks} blocks, as a neighbour's /chain would hold it: a copy we may change. */
    private List<Map<String, Object>> validChain(int blocks) throws Exception {
        WebApp miner = village.node();
        mine(miner, blocks - 1);
        return copy(chain(miner));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> copy(List<Map<String, Object>> chain) {
        return (List<Map<String, Object>>) PyJson.loads(PyJson.dumps(chain));
    }

    private static List<Map<String, Object>> changed(List<Map<String, Object>> chain, int index,
                                                     Consumer<Map<String, Object>> change) {
        List<Map<String, Object>> copy = copy(chain);
        change.accept(copy.get(index - 1));
        return copy;
    }

    private String serving(List<Map<String, Object>> chain) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chain", chain);
        answer.put("length", (long) chain.size());
        return village.stub(200, PyJson.dumps(answer));
    }

    private String freePortNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private void waitForTheTestToEnd() {
        try {
            stubsMayFinish.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyKindOfBadNeighbourIsSkippedWithItsReasonAndTheGoodChainIsAdopted() throws Exception {
        WebApp me = village.node("--timeout", "20"); // ample: no neighbour here is slow on purpose
        WebApp good = village.node();
        mine(good, 2);
        List<Map<String, Object>> longer = validChain(6); // longer than good's: would win, were it valid
        Map<String, String> expected = new LinkedHashMap<>(); // neighbour -> the reason we expect

        expected.put(freePortNobodyListensOn(), "cannot connect: is the node running?");
        expected.put(village.stub(500, "{\"error\": \"Internal Server Error\"}"), "answered HTTP 500, not 200");
        expected.put(village.stub(404, "<h1>Not Found</h1>"), "answered HTTP 404, not 200");
        expected.put(village.stub(200, "<html>a web page</html>"), "the answer is not JSON: ");
        expected.put(village.stub(200, new byte[] {'"', (byte) 0xff, '"'}), "the answer is not UTF-8 text");
        expected.put(village.stub(200, ""), "the answer is not JSON: ");
        expected.put(village.stub(200, "[1, 2, 3]"), "the answer is not a JSON object");
        expected.put(village.stub(200, "{\"length\": 99, \"last_bk_t\": 0}"), "the answer has no 'chain'");
        expected.put(village.stub(200, "{\"chain\": \"a long one\"}"), "invalid chain: the chain is not a list");
        expected.put(village.stub(200, "{\"chain\": []}"), "invalid chain: the chain has no blocks");
        expected.put(village.stub(200, "{\"chain\": [[]]}"), "invalid chain: block 1: not a JSON object");
        expected.put(serving(changed(longer, 1, block -> block.remove("timestamp"))),
                "invalid chain: block 1: 'timestamp' is not a number");
        expected.put(serving(changed(longer, 3, block -> block.put("index", 7L))),
                "invalid chain: block 3: 'index' should be 3");
        expected.put(serving(changed(longer, 2, block -> block.put("nonce", "35293"))),
                "invalid chain: block 2: 'nonce' is not a whole number");
        expected.put(serving(changed(longer, 2, block -> block.put("nonce", 35293.0))),
                "invalid chain: block 2: 'nonce' is not a whole number");
        expected.put(serving(changed(longer, 4, block -> block.put("transactions", "none"))),
                "invalid chain: block 4: 'transactions' is not a list");
        expected.put(serving(changed(longer, 4, block -> block.put("transactions", List.of("coins")))),
                "invalid chain: block 4: a transaction is not a JSON object");
        expected.put(serving(changed(longer, 5, block -> block.remove("previous_hash"))),
                "invalid chain: block 5: 'previous_hash' is missing");
        expected.put(serving(changed(longer, 2, this::payTheMinerMore)),
                "invalid chain: block 3: previous_hash is not the hash of block 2");
        List<Map<String, Object>> otherNonce = changed(longer, 2, block -> block.put("nonce", 1L));
        otherNonce.get(2).put("previous_hash", B10Consensus.Blockchain.hash(otherNonce.get(1)));
        expected.put(serving(otherNonce), "invalid chain: block 2: nonce 1 does not fit nonce 100 of block 1");

        String endless = village.stub(exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{\"chain\": [".getBytes(StandardCharsets.UTF_8));
                byte[] spaces = " ".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 33 * 16; i++) out.write(spaces); // 33 MiB of whitespace, and more to come
            } catch (IOException e) {
                // the node hung up on us, as it should
            }
        });
        String saysHuge = village.stub(exchange -> {
            exchange.sendResponseHeaders(200, 40L << 20);
            exchange.close();
        });
        expected.put(endless, "the answer is larger than 32 MiB");
        expected.put(saysHuge, "the answer is larger than 32 MiB");

        List<String> everyone = new ArrayList<>(expected.keySet());
        everyone.add(good.url());
        register(me, everyone.toArray(String[]::new));

        Map<String, Object> answer = resolve(me);
        assertEquals("Our chain was replaced", answer.get("message"), answer.toString());
        assertEquals(chain(good), answer.get("new_chain"));
        assertEquals("adopted", outcome(answer, good.url()).get("outcome"));
        expected.forEach((neighbour, reason) -> {
            Map<String, Object> outcome = outcome(answer, neighbour);
            assertEquals("skipped", outcome.get("outcome"), outcome.toString());
            assertTrue(((String) outcome.get("reason")).startsWith(reason), outcome + " should say: " + reason);
        });
        assertEquals(everyone.size(), ((List<?>) answer.get("neighbours")).size());
    }

    @Test
    void neighboursThatDoNotAnswerInTimeAreSkippedAfterTheTimeout() throws Exception {
        WebApp me = village.node("--timeout", "1");
        String slowToAnswer = village.stub(exchange -> {
            waitForTheTestToEnd();
            exchange.sendResponseHeaders(200, -1);
        });
        String slowToFinish = village.stub(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: the body comes as it comes
            exchange.getResponseBody().write("{\"chain\": [".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            waitForTheTestToEnd();
        });
        register(me, slowToAnswer, slowToFinish);

        Map<String, Object> answer = resolve(me);
        assertEquals("Our chain is authoritative", answer.get("message"), answer.toString());
        for (String slow : List.of(slowToAnswer, slowToFinish)) {
            Map<String, Object> outcome = outcome(answer, slow);
            assertEquals("skipped", outcome.get("outcome"), outcome.toString());
            assertEquals("no whole answer within 1 s", outcome.get("reason"), outcome.toString());
        }
    }

    private void payTheMinerMore(Map<String, Object> block) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> transactions = (List<Map<String, Object>>) block.get("transactions");
        transactions.get(0).put("amount", 1000L);
    }

    @Test
    void withOnlyBadNeighboursOurChainStands() throws Exception {
        WebApp me = village.node("--timeout", "1");
        mine(me, 1);
        List<Map<String, Object>> ours = chain(me);
        register(me, freePortNobodyListensOn(), village.stub(500, "oops"));
        Map<String, Object> answer = resolve(me);
        assertEquals("Our chain is authoritative", answer.get("message"));
        assertEquals(ours, answer.get("chain"));
        assertEquals(ours, chain(me));
    }

    @Test
    void theLengthANeighbourClaimsCountsForNothing() throws Exception {
        WebApp me = village.node();
        mine(me, 2);
        List<Map<String, Object>> shortChain = validChain(2);
        Map<String, Object> lie = new LinkedHashMap<>();
        lie.put("chain", shortChain);
        lie.put("length", 1000L);
        lie.put("last_bk_t", 0.0);
        String liar = village.stub(200, PyJson.dumps(lie));
        register(me, liar);
        Map<String, Object> answer = resolve(me);
        assertEquals("Our chain is authoritative", answer.get("message"));
        assertEquals(2L, outcome(answer, liar).get("length"));
        assertEquals("shorter than ours (3 blocks)", outcome(answer, liar).get("reason"));
    }
}

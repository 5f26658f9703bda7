package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B13ProofOfWork;
import bitvillage.stages.B14Fees;
import bitvillage.stages.B15FullPool;
import bitvillage.stages.taught.BlockProof;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.python.PyJson;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17's attacks on B13's block rules, which B14 and B15 inherit ({@code ChainRules}): a block
 * stuffed with a field no block has (finding 1), and a block stamped 1e300 (finding 3). Each
 * neighbour's chain is mined by a real node at one zero, then altered and mined again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BlockRulesAttacksTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    @Test
    void aBlockStuffedToJustUnder32MiBIsRefusedAndMineGoesOn() throws Exception {
        List<Map<String, Object>> chain = minedChain("B13", 2);
        Map<String, Object> stuffed = new LinkedHashMap<>(chain.get(2));
        // Fields that sort before 'nonce', each a string a node reads (at most 65,536 characters), together
        // filling the served chain to just under what a neighbour reads.
        int fields = 600;
        for (int i = 0; i < fields; i++) stuffed.put(String.format("aa%03d", i), "");
        chain.set(2, stuffed);
        int filler = (int) (ServedChain.MAX_BYTES - 200 - ServedChain.bytes(chain));
        for (int i = 0; i < fields; i++) stuffed.put(String.format("aa%03d", i), "x".repeat(filler / fields));
        chain.set(2, BlockProof.findNonce(stuffed, 1));
        assertNull(ServedChain.whyTooLarge(chain), "a neighbour reads it whole");
        System.out.println("stuffed block: " + filler + " bytes of filler; the chain served takes "
                + ServedChain.bytes(chain) + " of " + ServedChain.MAX_BYTES + " bytes");

        WebNode victim = node("B13");
        register(victim, serving(chain));
        Map<String, Object> resolution = Http.json(victim.get("/nodes/resolve"));
        int mine = victim.get("/mine").statusCode();
        System.out.println("after the resolve: '" + resolution.get("message") + "', GET /mine answers " + mine);
        assertEquals("Our chain is authoritative", resolution.get("message"), String.valueOf(resolution.get("neighbours")));
        assertTrue(String.valueOf(resolution.get("neighbours")).contains(
                "block 3: its fields are not exactly index, timestamp, transactions, nonce and previous_hash"), resolution.toString());
        assertEquals(200, mine);
    }

    @Test
    void everyStageFromB13RefusesABlockWithAFieldNoBlockHas() throws Exception {
        Map<String, BiFunction<List<Map<String, Object>>, Integer, String>> stages = new LinkedHashMap<>();
        stages.put("B13", B13ProofOfWork::whyInvalid);
        stages.put("B14", (chain, zeros) -> B14Fees.whyInvalid(chain, zeros, 1_000));
        stages.put("B15", (chain, zeros) -> B15FullPool.whyInvalid(chain, zeros, 1_000));
        for (var stage : stages.entrySet()) {
            List<Map<String, Object>> chain = minedChain(stage.getKey(), 1);
            assertNull(stage.getValue().apply(chain, 1), stage.getKey() + ": the honest chain is valid");
            Map<String, Object> stuffed = new LinkedHashMap<>(chain.get(1));
            stuffed.put("memo", "x".repeat(1000));
            chain.set(1, BlockProof.findNonce(stuffed, 1));
            String why = stage.getValue().apply(chain, 1);
            System.out.println(stage.getKey() + " on a block with a 'memo': " + why);
            assertEquals("invalid chain: block 2: its fields are not exactly index, timestamp, transactions, nonce and"
                    + " previous_hash (6 fields)", why, stage.getKey());
        }
    }

    @Test
    void aBlockStampedMoreThanTwoHoursAheadIsRefusedAndOurNextBlockKeepsOurTime() throws Exception {
        for (String stage : List.of("B13", "B14", "B15")) {
            List<Map<String, Object>> chain = minedChain(stage, 1);
            Map<String, Object> future = new LinkedHashMap<>(chain.get(1));
            future.put("timestamp", 1e300);
            chain.set(1, BlockProof.findNonce(future, 1));

            WebNode victim = node(stage);
            register(victim, serving(chain));
            Map<String, Object> resolution = Http.json(victim.get("/nodes/resolve"));
            Http.json(victim.get("/mine"), 200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> ours = (List<Map<String, Object>>) Http.json(victim.get("/chain")).get("chain");
            Map<String, Object> mined = ours.get(ours.size() - 1);
            System.out.println(stage + ": a block stamped 1e300: '" + resolution.get("message") + "'; our next block is stamped "
                    + PyJson.dumps(mined.get("timestamp")));
            assertEquals("Our chain is authoritative", resolution.get("message"), String.valueOf(resolution.get("neighbours")));
            assertTrue(String.valueOf(resolution.get("neighbours")).contains(
                    "block 2: its timestamp is more than two hours past our clock"), resolution.toString());
            assertTrue(((Number) mined.get("timestamp")).doubleValue() < 2e9, String.valueOf(mined));
        }
    }

    private WebNode node(String stage) throws Exception {
        WebNode node = new WebNode(stage, "--zeros", "1");
        closing.add(node);
        return node;
    }

    /** The chain of a real node of the stage that mined {@code blocks} blocks after the genesis block. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> minedChain(String stage, int blocks) throws Exception {
        WebNode miner = node(stage);
        for (int i = 0; i < blocks; i++) assertEquals(200, miner.get("/mine").statusCode());
        return new ArrayList<>((List<Map<String, Object>>) Http.json(miner.get("/chain")).get("chain"));
    }

    private static void register(WebNode node, String neighbour) throws Exception {
        assertEquals(200, Http.post(node.app, "/nodes/register", Map.of("nodes", List.of(neighbour))).statusCode());
    }

    private String serving(List<Map<String, Object>> chain) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chain", chain);
        answer.put("length", (long) chain.size());
        byte[] body = PyJson.dumps(answer).getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/chain", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the node stopped reading: fine
            }
        });
        server.start();
        closing.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}

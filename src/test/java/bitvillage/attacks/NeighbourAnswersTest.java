package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B10Consensus;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.guard.ChainMemory;
import bitvillage.util.python.PyJson;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17's attacks on what a node reads from its neighbours, and the explorer from its
 * villagers (items 2, 6, 7 and 8), each on loopback against real nodes and stub neighbours. Every
 * wait has a generous deadline: these check that the node answers, adopts and holds, not how
 * fast; the figures they print are for the record.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NeighbourAnswersTest {
    private static final int MIB = 1 << 20;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final CountDownLatch testEnds = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        testEnds.countDown();
        for (int i = closing.size() - 1; i >= 0; i--) closing.get(i).close();
    }

    // Item 2: stalled neighbours hid the honest chain.

    /**
     * Four neighbours each say their answer is 32 MiB, send one byte less, and fall silent: two send
     * junk, two well-shaped blocks, which a node must read and hold. Before, they held the whole
     * budget of all answers (64 MiB) until the deadline, and the honest neighbour's small, longer
     * chain, which answers once their bytes are out, was dropped: "no whole answer within 60 s".
     */
    @Test
    void anHonestChainIsAdoptedBesideNeighboursThatStall() throws Exception {
        byte[] junk = new byte[32 * MIB - 1];
        Arrays.fill(junk, (byte) 'x');
        byte[] shaped = Arrays.copyOf(blocksAnswer(33 * MIB, true, NeighbourAnswersTest::emptyBlock), 32 * MIB - 1);
        CountDownLatch sent = new CountDownLatch(4);
        List<String> stallers = List.of(stalling(junk, 32 * MIB, sent), stalling(junk, 32 * MIB, sent),
                stalling(shaped, 32 * MIB, sent), stalling(shaped, 32 * MIB, sent));
        byte[] honestChain;
        try (WebNode miner = new WebNode("B10")) {
            for (int i = 0; i < 2; i++) assertEquals(200, miner.get("/mine").statusCode());
            honestChain = miner.get("/chain").body().getBytes(StandardCharsets.UTF_8);
        }
        String honest = answering(honestChain, sent); // once the stallers' bytes are out, or 30 s have passed

        WebNode node = node("B10", "--timeout", "60"); // ample: the stallers end long before
        List<String> all = new ArrayList<>(stallers);
        all.add(honest);
        register(node, all);
        long start = System.nanoTime();
        Map<String, Object> resolution = Http.json(node.get("/nodes/resolve"), 200);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("Our chain was replaced", resolution.get("message"), resolution.toString());
        assertEquals("adopted", outcome(resolution, honest).get("outcome"), resolution.toString());
        assertEquals(3, node.chain().size());
        List<String> reasons = new ArrayList<>();
        for (String staller : stallers) {
            assertEquals("skipped", outcome(resolution, staller).get("outcome"), resolution.toString());
            reasons.add((String) outcome(resolution, staller).get("reason"));
        }
        System.out.printf("item 2: the honest chain (3 blocks) adopted beside 4 stalling neighbours (32 MiB - 1 byte of"
                + " a declared 32 MiB: 2 of junk, 2 of well-shaped blocks); the resolve answered after %.1f s (its"
                + " deadline 60 s); the stallers: %s%n", seconds, reasons);
    }

    // Item 6: what a stranger answers was read back through resolve.

    /**
     * Any host:port can be registered as a neighbour, and a resolve quoted up to 256 characters of
     * what it answered inside Jackson's parse error: through the explorer, a visitor read a secret
     * another server on this computer holds. A reason names the kind of failure, never the bytes.
     */
    @Test
    void aStrangersAnswerIsNotReadBackThroughResolveNorThroughTheExplorer() throws Exception {
        String secret = "SECRET_API_KEY_abc123XYZ_" + "q".repeat(40);
        Map<String, Object> payment = new LinkedHashMap<>(Map.of("sender", "a", "recipient", "b", "amount", 1L));
        payment.put(secret, List.of(1));
        Map<String, Object> block = emptyBlock(1);
        block.put("transactions", List.of(payment));
        List<String> strangers = new ArrayList<>();
        for (String answer : List.of(secret, "{\"token\": \"" + secret + "\"}", "{\"chain\": \"" + secret + "\"}",
                "{\"chain\": [{\"index\": \"" + secret + "\"}]}", "[\"" + secret + "\"]", "{\"chain\": [" + secret + "]}",
                "{\"chain\": [" + PyJson.dumps(emptyBlock(1)) + "]} " + secret, "{\"chain\": [" + PyJson.dumps(block) + "]}",
                "{\"" + secret + "\": [}")) {
            strangers.add(answering(answer.getBytes(StandardCharsets.UTF_8), new CountDownLatch(0)));
        }
        WebNode node = node("B10", "--timeout", "20");
        WebNode explorer = node("explorer", "--node", node.app.url());
        String villager = URLEncoder.encode(node.app.url(), StandardCharsets.UTF_8);
        HttpResponse<String> registered = explorer.send(explorer.request("/api/ask?node=" + villager + "&path=%2Fnodes%2Fregister")
                .POST(HttpRequest.BodyPublishers.ofString(PyJson.dumps(Map.of("nodes", strangers)))).build());
        assertEquals(200, registered.statusCode(), registered.body());
        HttpResponse<String> throughExplorer = explorer.get("/api/ask?node=" + villager + "&path=%2Fnodes%2Fresolve");
        assertEquals(200, throughExplorer.statusCode(), throughExplorer.body());
        HttpResponse<String> resolved = node.get("/nodes/resolve");
        for (HttpResponse<String> answer : List.of(throughExplorer, resolved)) {
            assertFalse(answer.body().contains("SECRET") || answer.body().contains("qqqq"), answer.body());
        }
        Map<String, Object> resolution = Http.json(resolved, 200);
        List<String> reasons = new ArrayList<>();
        for (String stranger : strangers) reasons.add((String) outcome(resolution, stranger).get("reason"));
        System.out.println("item 6: what the resolve says of 9 strangers' answers, each holding a secret: " + reasons);
    }

    // Item 7: a trickling villager held the explorer's calls open.

    /**
     * A villager that sends the head of its answer and then one byte every half second held each
     * of the explorer's {@code /api/ask} calls open for as long as it liked (HttpClient's timeout
     * bounds the head only): twenty calls were still open after 55 s. Each is a 504 now.
     */
    @Test
    void theExplorerAnswers504WhenAVillagerDoesNotFinish() throws Exception {
        String villager = stub(exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            try {
                for (int i = 0; i < 240 && testEnds.getCount() > 0; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (IOException | InterruptedException e) {
                // the explorer hung up: what it should do
            }
        });
        WebNode explorer = node("explorer", "--node", villager);
        String node = URLEncoder.encode(villager, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (String path : List.of("/chain", "/mine", "/nodes/resolve", "/chain", "/transactions/pending")) {
            calls.add(explorer.sendAsync(explorer.request("/api/ask?node=" + node + "&path=" + URLEncoder.encode(path,
                    StandardCharsets.UTF_8)).timeout(Duration.ofSeconds(60)).build()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> answer = call.get(90, TimeUnit.SECONDS);
            Http.error(answer, 504, "villager A");
        }
        System.out.printf("item 7: 5 calls of the explorer to a villager that trickles (a byte every 0.5 s) answered 504"
                + " after %.1f s: %s%n", (System.nanoTime() - start) / 1e9, Http.json(calls.get(0).get()).get("error"));
    }

    // Item 8: answers parsed whole before their shape was checked.

    /**
     * A node with a heap of 512 MiB, in a JVM of its own. First the attack: two neighbours
     * send 32 MiB of {@code [], [], ...} each, which was parsed whole (a gigabyte) before the chain's
     * shape was checked, and three resolves in a row answered 503 "out of memory" even with 1 GiB.
     * Then the worst: the node's own chain is the heaviest it takes from a neighbour, and 100
     * neighbours (as many as it keeps) send that chain again, shorter ones, {@code [], [], ...},
     * 32 MiB of well-shaped blocks whose every payment holds 150 keys of its own (the most memory a
     * byte of JSON can make us hold), and such blocks that stall. Three resolves in a row answer 200,
     * and the node mines on.
     */
    @Test
    void aNodeWith512MiBOfHeapHoldsAgainstTheWorstAHundredNeighboursMaySend() throws Exception {
        byte[] emptyLists = listsAnswer(32 * MIB);
        byte[] heavyJunk = blocksAnswer(32 * MIB, false, NeighbourAnswersTest::heavyBlock);
        List<byte[]> heavyValid = validHeavyChains(10);
        byte[] stalled = Arrays.copyOf(blocksAnswer(33 * MIB, false, NeighbourAnswersTest::heavyBlock), 32 * MIB - 1);
        CountDownLatch now = new CountDownLatch(0);
        String first = answering(heavyValid.get(0), now); // the node adopts it first: the most its own chain can hold
        List<String> neighbours = new ArrayList<>();
        neighbours.add(answering(heavyValid.get(0), now)); // and it is offered again, as long
        for (byte[] chain : heavyValid.subList(1, heavyValid.size())) neighbours.add(answering(chain, now));
        for (int i = 0; i < 40; i++) neighbours.add(answering(emptyLists, now));
        for (int i = 0; i < 39; i++) neighbours.add(answering(heavyJunk, now));
        for (int i = 0; i < 10; i++) neighbours.add(stalling(stalled, 32 * MIB, new CountDownLatch(1)));
        assertEquals(B10Consensus.MAX_NEIGHBOURS - 1, neighbours.size());

        Path gcLog = Files.createTempFile("node-gc", ".log");
        Path out = Files.createTempFile("node", ".out");
        closing.add(() -> Files.deleteIfExists(gcLog));
        closing.add(() -> Files.deleteIfExists(out));
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"), "bitvillage.BitVillage",
                "B10", "--port", "0", "--zeros", "1", "--timeout", "20")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        closing.add(() -> {
            node.destroy();
            if (!node.waitFor(30, TimeUnit.SECONDS)) node.destroyForcibly();
        });
        String url = waitForRunningOn(out);

        // The attack: two neighbours, 32 MiB of [], [], ... each, three resolves in a row.
        register(url, neighbours.subList(10, 12));
        for (int round = 1; round <= 3; round++) {
            HttpResponse<String> resolved = Http.get(url + "/nodes/resolve");
            assertEquals(200, resolved.statusCode(), "two neighbours of [], [], ..., round " + round + ": " + resolved.body());
            assertTrue(resolved.body().contains("invalid chain: block 1: not a JSON object"), resolved.body());
        }
        // The heaviest chain a node takes becomes its own; then every neighbour it may have sends the worst.
        register(url, List.of(first));
        assertEquals("Our chain was replaced", Http.json(Http.get(url + "/nodes/resolve"), 200).get("message"));
        register(url, neighbours);

        List<String> rounds = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            HttpResponse<String> resolved = Http.get(url + "/nodes/resolve");
            assertEquals(200, resolved.statusCode(), "round " + round + ": " + resolved.body());
            Map<String, Object> resolution = Http.json(resolved);
            Map<String, Integer> reasons = new LinkedHashMap<>();
            for (Object entry : (List<?>) resolution.get("neighbours")) {
                Map<?, ?> outcome = (Map<?, ?>) entry;
                String reason = String.valueOf(outcome.get("reason") == null ? outcome.get("outcome") : outcome.get("reason"));
                reasons.merge(reason.replaceAll("[0-9][0-9.]*", "N"), 1, Integer::sum);
            }
            rounds.add(String.format("round %d: 200 in %.1f s, chain of %d blocks, %s", round,
                    (System.nanoTime() - start) / 1e9, ((List<?>) Http.json(Http.get(url + "/chain"), 200).get("chain")).size(),
                    reasons));
        }
        assertEquals(200, Http.get(url + "/mine").statusCode(), "and the node mines on");
        // What was alive when the heap was fullest: what a full collection (when G1 needed one) left.
        int fulls = 0;
        int live = 0;
        Matcher full = Pattern.compile("Pause Full .* \\d+M->(\\d+)M\\(\\d+M\\)").matcher(Files.readString(gcLog));
        while (full.find()) {
            fulls++;
            live = Math.max(live, Integer.parseInt(full.group(1)));
        }
        System.out.println("item 8: a node with -Xmx512m, its own chain the heaviest it takes (" + ChainMemory.MAX_BYTES / MIB
                + " MiB once read), and 100 neighbours sending the worst: " + fulls + " full collections, which left at most "
                + live + " MiB alive; " + String.join("; ", rounds));
    }

    // Neighbours: stub servers on loopback.

    private WebNode node(String stage, String... options) throws Exception {
        WebNode node = new WebNode(stage, options);
        closing.add(node);
        return node;
    }

    private static void register(String node, List<String> neighbours) throws Exception {
        HttpResponse<String> answer = Http.call("POST", node + "/nodes/register", PyJson.dumps(Map.of("nodes", neighbours)));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private static void register(WebNode node, List<String> neighbours) throws Exception {
        HttpResponse<String> answer = Http.post(node.app, "/nodes/register", Map.of("nodes", neighbours));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outcome(Map<String, Object> resolution, String neighbour) {
        for (Object entry : (List<Object>) resolution.get("neighbours")) {
            Map<String, Object> outcome = (Map<String, Object>) entry;
            if (outcome.get("node").equals(neighbour)) return outcome;
        }
        throw new AssertionError("no outcome for " + neighbour + " in " + resolution);
    }

    /** A neighbour that answers every GET with these bytes, once {@code mayAnswer} opens (or after 30 s). */
    private String answering(byte[] body, CountDownLatch mayAnswer) throws IOException {
        return stub(exchange -> {
            await(mayAnswer, 30);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                write(out, body);
            } catch (IOException e) {
                // the node stopped reading: fine
            }
        });
    }

    /** A neighbour that says its answer is {@code declared} bytes, sends {@code body}, fewer, and then nothing until the test ends. */
    private String stalling(byte[] body, long declared, CountDownLatch sent) throws IOException {
        return stub(exchange -> {
            exchange.sendResponseHeaders(200, declared);
            try {
                OutputStream out = exchange.getResponseBody();
                write(out, body);
                out.flush();
            } catch (IOException e) {
                // the node stopped reading
            } finally {
                sent.countDown();
            }
            await(testEnds, 280);
        });
    }

    /** Writes a piece at a time: Java's HTTP server copies each write whole, and a hundred copies of 32 MiB fill the test's heap. */
    private static void write(OutputStream out, byte[] body) throws IOException {
        for (int at = 0; at < body.length; at += 1 << 16) out.write(body, at, Math.min(1 << 16, body.length - at));
    }

    private String stub(HttpHandler handler) throws IOException {
        return Http.stub("/", handler, closing);
    }

    private static void await(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String waitForRunningOn(Path out) throws Exception {
        Pattern running = Pattern.compile(" \\* Running on (http://\\S+)/ ");
        for (int i = 0; i < 1200; i++) {
            Matcher matcher = running.matcher(Files.readString(out));
            if (matcher.find()) return matcher.group(1);
            Thread.sleep(100);
        }
        throw new AssertionError("the node did not start within 120 s: " + Files.readString(out));
    }

    // What neighbours send.

    /** {"chain": [[], [], ...]} of {@code bytes} bytes. */
    private static byte[] listsAnswer(int bytes) {
        StringBuilder text = new StringBuilder(bytes).append("{\"chain\": [[]");
        while (text.length() < bytes - 10) text.append(", []");
        return text.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {"chain": [block 1, block 2, ...]} of about {@code bytes} bytes, compact or indented as a node serves it. */
    private static byte[] blocksAnswer(int bytes, boolean indented, java.util.function.IntFunction<Map<String, Object>> block) {
        ByteArrayOutputStream text = new ByteArrayOutputStream(bytes + MIB);
        byte[] open = "{\"chain\": [".getBytes(StandardCharsets.UTF_8);
        text.write(open, 0, open.length);
        for (int index = 1; ; index++) {
            byte[] next = ((index > 1 ? ", " : "") + (indented ? PyJson.pretty(block.apply(index)) : PyJson.dumps(block.apply(index))))
                    .getBytes(StandardCharsets.UTF_8);
            if (text.size() + next.length + 2 > bytes) break;
            text.write(next, 0, next.length);
        }
        byte[] close = "]}".getBytes(StandardCharsets.UTF_8);
        text.write(close, 0, close.length);
        return text.toByteArray();
    }

    /** A block with no payments, well-shaped; its hash and nonce are nobody's. */
    private static Map<String, Object> emptyBlock(int index) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) index);
        block.put("timestamp", 1_800_000_000.0 + index);
        block.put("transactions", new ArrayList<>());
        block.put("nonce", 100L);
        block.put("previous_hash", "0".repeat(64));
        return block;
    }

    /** A well-shaped block of 20 payments, each with 150 keys of its own: as much memory as a byte of a block can take. */
    private static Map<String, Object> heavyBlock(int index) {
        Map<String, Object> block = emptyBlock(index);
        List<Object> payments = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            Map<String, Object> payment = new LinkedHashMap<>();
            payment.put("sender", "s");
            payment.put("recipient", "r");
            payment.put("amount", 1L);
            for (int k = 0; k < 150; k++) payment.put(Long.toString((index * 20L + p) * 150 + k, 36), 0L);
            payments.add(payment);
        }
        block.put("transactions", payments);
        return block;
    }

    /**
     * Chains of heavy blocks, valid at one zero: the longest that a node takes from a neighbour
     * ({@link ChainMemory#MAX_BYTES}), and {@code count - 1} shorter ones, each a block less.
     */
    private static List<byte[]> validHeavyChains(int count) {
        List<String> texts = new ArrayList<>();
        long memory = 0;
        Map<String, Object> last = null;
        for (int index = 1; ; index++) {
            Map<String, Object> block = heavyBlock(index);
            if (last != null) {
                block.put("previous_hash", B10Consensus.Blockchain.hash(last));
                long nonce = 0;
                while (!B10Consensus.Blockchain.validNonce((long) last.get("nonce"), nonce, 1)) nonce++;
                block.put("nonce", nonce);
            }
            memory += ChainMemory.bytes(List.of(block)); // each key counted again in each block: a little over
            if (memory > ChainMemory.MAX_BYTES) break;
            texts.add(PyJson.dumps(block));
            last = block;
        }
        int blocks = texts.size();
        List<byte[]> chains = new ArrayList<>();
        for (int length = blocks; length > blocks - count; length--) {
            chains.add(("{\"chain\": [" + String.join(", ", texts.subList(0, length)) + "]}").getBytes(StandardCharsets.UTF_8));
        }
        return chains;
    }
}

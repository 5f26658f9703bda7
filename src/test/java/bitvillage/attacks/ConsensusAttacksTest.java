package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B10Consensus.Blockchain;
import bitvillage.stages.B10Consensus;
import bitvillage.testing.Http;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.web.WebApp;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8's attacks on consensus, each on loopback against real B10 nodes: findings 1 (a chain
 * no neighbour can read), 3 (queued resolves), 5 (a neighbour list that fills for good), 6 (junk that
 * crowds out an honest neighbour), 7 (integers a Python node holds) and the Java internals that
 * error messages named (8). Every wait has a generous deadline: these check that the node answers
 * and holds, not how fast.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsensusAttacksTest {
    private static final World QUIET = new World(new PrintStream(OutputStream.nullOutputStream(), true,
            StandardCharsets.UTF_8), World.fixedClock(), World::uuid4Hex);

    private final List<AutoCloseable> servers = new ArrayList<>();
    private final CountDownLatch stubsMayFinish = new CountDownLatch(1);
    private final AtomicLong ticks = new AtomicLong();

    @AfterEach
    void stop() throws Exception {
        stubsMayFinish.countDown();
        for (AutoCloseable server : servers) server.close();
    }

    // Finding 1: one chain can make a node unshareable for good.

    @Test
    void paymentsLargerThanAPeerHoldsAre400AndQueueNothing() throws Exception {
        WebApp node = node();
        String longName = "村".repeat(257);
        assertRefused(node, 400, "'sender' has 257 characters, more than 256", payment(longName, "b", 1));
        assertRefused(node, 400, "'recipient' has 257 characters", payment("a", longName, 1));
        assertRefused(node, 400, "'amount' has 101 characters, more than 100", payment("a", "b", "1".repeat(101)));
        assertRefused(node, 400, "more than 2048", payment("😀".repeat(200), "😀".repeat(200), 1));
        assertEquals(201, Http.post(node, "/transactions/new", payment("村".repeat(256), "b", 1)).statusCode());
        List<?> mined = (List<?>) Http.json(Http.get(node, "/mine")).get("transactions");
        assertEquals(2, mined.size(), "the one payment that fits, and the reward: " + mined);
    }

    @Test
    void thePendingListTakesTenThousandNewPaymentsThenAnswers503() throws Exception {
        Blockchain blockchain = new Blockchain(World.fixedClock(), 4);
        for (int i = 0; i < 10_000; i++) {
            B10Consensus.newTransaction(blockchain, payment("villager " + i, "b", 1));
        }
        WebApp node = serve(blockchain);
        assertRefused(node, 503, "10000 payments wait for the next block already", payment("one", "more", 1));
        assertEquals(10_000, blockchain.currentTransactions().size());
    }

    @Test
    void aNodeDoesNotMineABlockThatWouldMakeItsChainMoreThanPeersRead() throws Exception {
        Blockchain blockchain = new Blockchain(World.fixedClock(), 4);
        // What the route no longer takes, but a chain replacement may give back: 33 payments of 1 MB.
        String megabyte = "x".repeat(1 << 20);
        for (int i = 0; i < 33; i++) blockchain.newTransaction(megabyte + i, "b", 1L);
        WebApp node = serve(blockchain);
        HttpResponse<String> mined = Http.get(node, "/mine");
        assertEquals(503, mined.statusCode(), mined.body());
        assertTrue(mined.body().contains("more than the 32 MiB a node reads from a neighbour"), mined.body());
        assertEquals(1, blockchain.chain().size(), "nothing was mined");
        assertEquals(33, blockchain.currentTransactions().size(), "no payment was lost");
    }

    @Test
    void aNeighboursChainWithPaymentsNoPeerCanHoldIsSkippedWithTheReason() throws Exception {
        List<Map<String, Object>> honest = minedChain(3);
        // The book's puzzle links only nonces: the last block's content can be anything, and stays valid.
        List<Map<String, Object>> longName = withLastPayment(honest, Map.of("sender", "x".repeat(1000), "recipient", "b", "amount", 1));
        Object nested = List.of();
        for (int i = 0; i < 990; i++) nested = List.of(nested);
        Map<String, Object> deep = new LinkedHashMap<>(Map.of("sender", "a", "recipient", "b", "amount", 1));
        deep.put("memo", nested);
        List<Map<String, Object>> deepPayment = withLastPayment(honest, deep);
        assertNull(B10Consensus.whyInvalid(longName, 4), "valid by the book's rules");
        assertNull(B10Consensus.whyInvalid(deepPayment, 4));

        WebApp node = node();
        String named = serving(longName);
        String nestedNode = serving(deepPayment);
        register(node, named, nestedNode);
        Map<String, Object> resolution = Http.json(Http.get(node, "/nodes/resolve"));
        assertEquals("Our chain is authoritative", resolution.get("message"), resolution.toString());
        assertTrue(reason(resolution, named).contains("'sender' has 1000 characters, more than 256"), resolution.toString());
        assertTrue(reason(resolution, nestedNode).contains("a transaction holds a list or an object"), resolution.toString());
        assertEquals(200, Http.get(node, "/chain").statusCode(), "and the node still serves its chain");
    }

    @Test
    void aNeighboursChainThatWeCouldNotServeOnIsSkipped() throws Exception {
        List<Map<String, Object>> chain = minedChain(2);
        @SuppressWarnings("unchecked")
        List<Object> payments = (List<Object>) chain.get(1).get("transactions");
        for (int i = 0; i < 450_000; i++) payments.add(Map.of("sender", "s", "recipient", "r", "amount", 1L));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chain", chain);
        answer.put("length", 2L);
        byte[] compact = PyJson.dumps(answer).getBytes(StandardCharsets.UTF_8);
        assertTrue(compact.length < 32 << 20, "a neighbour reads it: " + compact.length);
        answer.put("last_bk_t", chain.get(1).get("timestamp"));
        int served = WebApp.Reply.json(200, answer).body().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(served > 32 << 20, "but served indented as GET /chain does, no neighbour would: " + served);
        assertNull(B10Consensus.whyInvalid(chain, 4), "valid by the book's rules");

        WebApp node = node("--timeout", "60");
        String big = stub(answering(compact, 0));
        register(node, big);
        Map<String, Object> resolution = Http.json(Http.get(node, "/nodes/resolve"));
        assertEquals("Our chain is authoritative", resolution.get("message"));
        assertTrue(reason(resolution, big).contains("more than the 32 MiB a node reads from a neighbour"), reason(resolution, big));
    }

    // Finding 3: queued resolves.

    @Test
    void aResolveThatArrivesWhileOneRunsIsAnswered429AtOnceAndChainKeepsAnswering() throws Exception {
        WebApp node = node("--timeout", "2");
        register(node, stub(exchange -> {
            awaitQuietly(stubsMayFinish); // a neighbour that never answers
        }));
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            long start = System.nanoTime();
            List<Future<HttpResponse<String>>> resolves = new ArrayList<>();
            for (int i = 0; i < 20; i++) resolves.add(clients.submit(() -> Http.get(node, "/nodes/resolve")));
            assertEquals(200, Http.get(node, "/chain").statusCode(), "/chain answers while resolves run");
            int ran = 0;
            int busy = 0;
            for (Future<HttpResponse<String>> resolve : resolves) {
                HttpResponse<String> answer = resolve.get(60, TimeUnit.SECONDS);
                if (answer.statusCode() == 200) {
                    ran++;
                } else {
                    assertEquals(429, answer.statusCode(), answer.body());
                    assertEquals("2", answer.headers().firstValue("Retry-After").orElse(null));
                    assertTrue(answer.body().contains("a resolve is running already"), answer.body());
                    busy++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(busy > 0, "some resolves arrived while one ran");
            assertEquals(20, ran + busy);
            // Queued, the 20 would take 20 deadlines, 40 s; each run takes one deadline, 2 s.
            assertTrue(seconds < 2.0 * ran + 15, ran + " resolves ran, in " + seconds + " s");
        } finally {
            clients.shutdownNow();
        }
    }

    // Finding 5: the neighbour list fills for good.

    @Test
    void literalSpellingsOfOneAddressAreStoredOnceAndNeighboursCanBeForgotten() throws Exception {
        WebApp node = node();
        Map<String, Object> registered = Http.json(Http.post(node, "/nodes/register", Map.of("nodes", List.of(
                "127.0.0.1:5002", "[::ffff:127.0.0.1]:5002", "2130706433:5002", "http://127.0.0.1:5002/",
                "[::1]:5002", "[0:0:0:0:0:0:0:1]:5002", "localhost:5002", "localhost.:5002", "LOCALHOST:5002"))));
        assertEquals(List.of("http://127.0.0.1:5002", "http://[::1]:5002", "http://localhost:5002"),
                registered.get("total_nodes"), "names are not looked up: localhost stays apart");

        HttpResponse<String> forgotten = Http.post(node, "/nodes/forget", Map.of("nodes", List.of("[0:0:0:0:0:0:0:1]:5002",
                "localhost.:5002", "127.0.0.1:9999")));
        assertEquals(200, forgotten.statusCode(), forgotten.body());
        assertEquals(Map.of("message", "Nodes have been forgotten", "total_nodes", List.of("http://127.0.0.1:5002")),
                Http.json(forgotten));
        assertRefused(node, "/nodes/forget", 400, "no node was forgotten", Map.of("nodes", List.of("127.0.0.1:5002", "ftp://x:1")));
        assertEquals(List.of("http://127.0.0.1:5002"), Http.json(Http.post(node, "/nodes/register",
                Map.of("nodes", List.of("127.0.0.1:5002")))).get("total_nodes"), "the bad request forgot nothing");

        // With forgetting, a full list makes room again.
        List<String> hundred = new ArrayList<>();
        for (int port = 6001; port <= 6099; port++) hundred.add("127.0.0.1:" + port);
        assertEquals(200, Http.post(node, "/nodes/register", Map.of("nodes", hundred)).statusCode());
        assertRefused(node, "/nodes/register", 400, "at most 100 neighbours", Map.of("nodes", List.of("127.0.0.1:7000")));
        Http.post(node, "/nodes/forget", Map.of("nodes", List.of("127.0.0.1:6001")));
        assertEquals(200, Http.post(node, "/nodes/register", Map.of("nodes", List.of("127.0.0.1:7000"))).statusCode());
    }

    // Finding 6: junk crowds out honest neighbours.

    @Test
    void anHonestNeighbourIsAdoptedThoughTwoOthersStreamThirtyTwoMebibytesOfJunk() throws Exception {
        byte[] junk = new byte[32 << 20]; // all a node reads from one neighbour: two fill the budget of all
        java.util.Arrays.fill(junk, (byte) 'x');
        List<Map<String, Object>> honestChain = minedChain(3);
        byte[] honestAnswer = PyJson.pretty(Map.of("chain", honestChain, "length", 3L)).getBytes(StandardCharsets.UTF_8);
        String junkA = stub(answering(junk, 0));
        String junkB = stub(answering(junk, 0));
        String honest = stub(answering(honestAnswer, 1000)); // answers once the junk is in
        for (int round = 1; round <= 3; round++) {
            WebApp node = node("--timeout", "30");
            register(node, junkA, junkB, honest);
            Map<String, Object> resolution = Http.json(Http.get(node, "/nodes/resolve"));
            assertEquals("Our chain was replaced", resolution.get("message"), "round " + round + ": " + resolution);
            assertEquals("adopted", outcome(resolution, honest).get("outcome"), resolution.toString());
            assertTrue(reason(resolution, junkA).startsWith("the answer is not JSON"), resolution.toString());
            node.close();
        }
    }

    // Finding 7: chains a Python node can hold and we could not read.

    @Test
    void aChainWithIntegersOf4300DigitsMadeByCPythonIsReadHashedAndAdoptedAlike() throws Exception {
        String answer = Files.readString(Path.of("src/test/resources/big-integer-chain.json"), StandardCharsets.UTF_8);
        List<String> hashes = Files.readAllLines(Path.of("src/test/resources/big-integer-chain.sha256")).stream()
                .filter(line -> !line.startsWith("#")).toList();
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) PyJson.loads(answer);
        assertEquals(answer.strip(), PyJson.dumps(fields), "json.dumps(answer, sort_keys=True), byte for byte");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain = (List<Map<String, Object>>) fields.get("chain");
        assertEquals(4300, chain.get(0).get("previous_hash").toString().length());
        for (int i = 0; i < chain.size(); i++) assertEquals(hashes.get(i), Sha256.hex(PyJson.dumps(chain.get(i))));

        WebApp node = node();
        String python = stub(answering(answer.getBytes(StandardCharsets.UTF_8), 0));
        register(node, python);
        mineOnce(node); // two blocks, forged later than Python's: its chain wins the tie
        Map<String, Object> resolution = Http.json(Http.get(node, "/nodes/resolve"));
        assertEquals("Our chain was replaced", resolution.get("message"), resolution.toString());
        String served = Http.get(node, "/chain").body();
        assertTrue(served.contains("7".repeat(4300)) && served.contains("-" + "3".repeat(4300)), "and served on");

        // Past CPython's limit, both sides refuse the number alike.
        PyJson.JsonException refused = assertThrows(PyJson.JsonException.class, () -> PyJson.loads("1".repeat(4301)));
        assertTrue(refused.getMessage().contains("4300"), refused.getMessage());
    }

    // Finding 8, the part about messages: no Java internals.

    @Test
    void jsonErrorsNameNoJavaInternals() throws Exception {
        WebApp node = node();
        String deep = "[".repeat(1001) + "]".repeat(1001);
        for (String body : List.of(deep, "{} 2", "1".repeat(4301), "{\"" + "k".repeat(60_000) + "\": 1}")) {
            HttpResponse<String> answer = Http.call("POST", node.url() + "/transactions/new", body);
            assertEquals(400, answer.statusCode(), answer.body());
            for (String internal : List.of("StreamReadConstraints", "fasterxml", "DeserializationFeature", "`", "JsonNode")) {
                assertFalse(answer.body().contains(internal), answer.body());
            }
        }
        assertTrue(Http.call("POST", node.url() + "/transactions/new", deep).body().contains("nested 1001 deep"));
    }

    // Helpers: nodes, stubs and requests.

    private WebApp node(String... options) {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(List.of(options));
        WebApp node = B10Consensus.start(Options.parse(args.toArray(String[]::new), B10Consensus.OPTIONS), world());
        servers.add(node);
        return node;
    }

    /** A world that prints nowhere and whose clock ticks a millisecond a reading, so later blocks are later. */
    private World world() {
        return new World(QUIET.out(), () -> 1_800_000_000.0 + ticks.incrementAndGet() / 1000.0, World::uuid4Hex);
    }

    private WebApp serve(Blockchain blockchain) {
        WebApp node = B10Consensus.routes(new WebApp("127.0.0.1", 0, QUIET), blockchain, "miner", QUIET,
                Duration.ofSeconds(5)).start();
        servers.add(node);
        return node;
    }

    private List<Map<String, Object>> minedChain(int blocks) throws Exception {
        WebApp miner = node();
        for (int i = 1; i < blocks; i++) mineOnce(miner);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain = (List<Map<String, Object>>) Http.json(Http.get(miner, "/chain")).get("chain");
        return chain;
    }

    private static void mineOnce(WebApp node) throws Exception {
        assertEquals(200, Http.get(node, "/mine").statusCode());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> withLastPayment(List<Map<String, Object>> chain, Map<String, Object> payment) {
        List<Map<String, Object>> copy = (List<Map<String, Object>>) PyJson.loads(PyJson.dumps(chain));
        ((List<Object>) copy.get(copy.size() - 1).get("transactions")).add(payment);
        return copy;
    }

    private String serving(List<Map<String, Object>> chain) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chain", chain);
        answer.put("length", (long) chain.size());
        return stub(answering(PyJson.dumps(answer).getBytes(StandardCharsets.UTF_8), 0));
    }

    private static HttpHandler answering(byte[] body, long delayMillis) {
        return exchange -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the node stopped reading: fine
            }
        };
    }

    private String stub(HttpHandler handler) throws IOException {
        return Http.stub("/chain", handler, servers);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Object> payment(String sender, String recipient, Object amount) {
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("sender", sender);
        payment.put("recipient", recipient);
        payment.put("amount", amount instanceof String digits ? new java.math.BigInteger(digits) : (Object) ((Integer) amount).longValue());
        return payment;
    }

    private static void register(WebApp node, String... neighbours) throws Exception {
        HttpResponse<String> answer = Http.post(node, "/nodes/register", Map.of("nodes", List.of(neighbours)));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private static void assertRefused(WebApp node, int status, String because, Object payment) throws Exception {
        assertRefused(node, "/transactions/new", status, because, payment);
    }

    private static void assertRefused(WebApp node, String path, int status, String because, Object body) throws Exception {
        Http.error(Http.post(node, path, body), status, because);
    }

    private static String reason(Map<String, Object> resolution, String neighbour) {
        return String.valueOf(outcome(resolution, neighbour).get("reason"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outcome(Map<String, Object> resolution, String neighbour) {
        for (Object entry : (List<Object>) resolution.get("neighbours")) {
            Map<String, Object> outcome = (Map<String, Object>) entry;
            if (outcome.get("node").equals(neighbour)) return outcome;
        }
        throw new AssertionError("no outcome for " + neighbour + " in " + resolution);
    }
}

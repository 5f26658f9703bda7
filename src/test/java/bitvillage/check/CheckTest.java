package bitvillage.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.BitVillage;
import bitvillage.check.BookLikeNode.Defect;
import bitvillage.stages.B13ProofOfWork;
import bitvillage.stages.B14Fees;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.World;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checker against real nodes: our stages, served by Spark on free ports, must pass their own
 * contracts, --strict included; a double of the book's node passes the contract but not --strict;
 * and a double with one defect fails exactly the check that names it.
 */
class CheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String LAST_BK_T_LIE = "--strict: a neighbour's last_bk_t is read from its chain, not trusted";
    private static final String NO_NONCE_BLOCK = "--strict: a longer chain with a block without a nonce is refused, not a 500";

    private static World quiet() {
        return World.fixed(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static List<Contract.Finding> check(int stage, String url, boolean strict) {
        return Check.run(stage, url, strict, TIMEOUT, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static Set<String> named(List<Contract.Finding> results, Contract.Verdict verdict) {
        return results.stream().filter(result -> result.verdict() == verdict).map(Contract.Finding::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String shown(List<Contract.Finding> results) {
        return results.stream().map(result -> result.verdict() + " " + result.name() + ": " + result.why())
                .collect(Collectors.joining("\n"));
    }

    @ParameterizedTest(name = "B{0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18})
    void everyWebStagePassesItsOwnContractStrictlyToo(int stage) throws Exception {
        String[] args = stage == 15 ? new String[] {"B15", "--port", "0", "--mempool-bytes", "2000"} // as check's usage tells
                : new String[] {"B" + stage, "--port", "0"};
        try (WebApp node = (WebApp) BitVillage.launch(args, quiet())) {
            List<Contract.Finding> results = check(stage, node.url(), true);
            assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), shown(results));
            assertEquals(Set.of(), named(results, Contract.Verdict.SKIP), shown(results));
            assertTrue(results.size() >= 4, shown(results));
        }
    }

    @Test
    void b10PassesWithoutStrictAndChecksTheBooksNumbers() throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B10", "--port", "0"}, quiet())) {
            List<Contract.Finding> results = check(10, node.url(), false);
            assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), shown(results));
            Contract.Finding nonces = results.stream().filter(result -> result.name().equals(MiningContract.NONCES)).findFirst().orElseThrow();
            assertEquals("block 2: 35293 after 100; block 3: 35089 after 35293", nonces.why());
            assertTrue(named(results, Contract.Verdict.PASS).containsAll(List.of(ConsensusContract.BROKEN_LINK, ConsensusContract.BAD_NONCE,
                    ConsensusContract.LONGER, MiningContract.HASHES)), shown(results));
            assertTrue(results.stream().noneMatch(result -> result.name().startsWith("--strict")), "strict checks only with --strict");
        }
    }

    /** check B15 fills whatever pool the node has: its default of 100,000 bytes too, with a few hundred payments. */
    @Test
    void b15PassesWithItsDefaultPoolToo() throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B15", "--port", "0"}, quiet())) {
            List<Contract.Finding> results = check(15, node.url(), false);
            assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), shown(results));
            assertEquals(Set.of(), named(results, Contract.Verdict.SKIP), shown(results));
            assertTrue(named(results, Contract.Verdict.PASS).containsAll(List.of(PoolContract.FULL, PoolContract.PAYS_IN,
                    PoolContract.EVICTED, PoolContract.RETURNED)), shown(results));
        }
    }

    /**
     * A B15 node behind a proxy that changes what stage B15 leaves open: a 503 asks {@code extraFee} coins more than the
     * least fee that gets in (a node may ask for an incremental fee, as Bitcoin Core does); with {@code forget}, an
     * evicted payment is answered 404, which no B15 node may do.
     */
    private static List<Contract.Finding> checkB15Behind(long extraFee, boolean forget) throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B15", "--port", "0", "--mempool-bytes", "2000"}, quiet())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            proxy.createContext("/", exchange -> {
                byte[] sent = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(node.url() + exchange.getRequestURI()));
                request.method(exchange.getRequestMethod(), sent.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(sent));
                HttpResponse<String> answer;
                try {
                    answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                int status = answer.statusCode();
                String body = answer.body();
                if (status == 503 && body.contains("fee_to_pay")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> full = (Map<String, Object>) PyJson.loads(body);
                    full.put("fee_to_pay", (long) full.get("fee_to_pay") + extraFee);
                    body = PyJson.dumps(full);
                }
                if (forget && status == 200 && body.contains("\"status\": \"evicted\"")) status = 404;
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", answer.headers().firstValue("Content-Type").orElse("text/plain"));
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            proxy.start();
            try {
                return check(15, "http://127.0.0.1:" + proxy.getAddress().getPort(), false);
            } finally {
                proxy.stop(0);
            }
        }
    }

    @Test
    void checkB15HoldsForAHigherFeeToPayAndFailsANodeThatForgetsEvictedPayments() throws Exception {
        List<Contract.Finding> higher = checkB15Behind(3, false);
        assertEquals(Set.of(), named(higher, Contract.Verdict.FAIL), shown(higher));
        assertTrue(named(higher, Contract.Verdict.PASS).containsAll(List.of(PoolContract.PAYS_IN, PoolContract.EVICTED)), shown(higher));
        List<Contract.Finding> forgets = checkB15Behind(0, true);
        assertTrue(named(forgets, Contract.Verdict.FAIL).contains(PoolContract.EVICTED), shown(forgets));
    }

    /** Part II: each stage's contract fails a node of the stage before, first at the check that names what the stage adds. */
    @ParameterizedTest(name = "check B{0} against B{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"12 | 10 | " + IdsContract.IDS, "13 | 12 | " + ProofContract.PROOF,
            "14 | 13 | " + FeesContract.FEE, "15 | 14 | " + PoolContract.PROJECTED, "16 | 15 | " + SignedPaymentsContract.BALANCE,
            "17 | 16 | " + CoinsContract.COINS, "18 | 17 | " + GossipContract.ANNOUNCED})
    void eachPartTwoContractFailsTheStageBeforeAtWhatItAdds(int stage, int before, String first) throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B" + before, "--port", "0"}, quiet())) {
            List<Contract.Finding> results = check(stage, node.url(), false);
            assertEquals(first, named(results, Contract.Verdict.FAIL).stream().findFirst().orElse(null), shown(results));
        }
    }

    /** check B16 spends a few of the genesis block's coins of 小美 at a time, at the sequence the node names: it runs again and again. */
    @Test
    void checkB16PassesAgainOnTheSameNode() throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B16", "--port", "0"}, quiet())) {
            for (int run = 1; run <= 2; run++) {
                List<Contract.Finding> results = check(16, node.url(), false);
                assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), "run " + run + ":\n" + shown(results));
                assertEquals(Set.of(), named(results, Contract.Verdict.SKIP), "run " + run + ":\n" + shown(results));
            }
        }
    }

    /** check B17 spends whichever of 小美's coins her wallet chooses, and mines them: it runs again and again. */
    @Test
    void checkB17PassesAgainOnTheSameNode() throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B17", "--port", "0"}, quiet())) {
            for (int run = 1; run <= 2; run++) {
                List<Contract.Finding> results = check(17, node.url(), false);
                assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), "run " + run + ":\n" + shown(results));
                assertEquals(Set.of(), named(results, Contract.Verdict.SKIP), "run " + run + ":\n" + shown(results));
            }
        }
    }

    /** check B18 registers its neighbour, mines, and has the node adopt a block of its own: it runs again, and the node forgets it. */
    @Test
    void checkB18PassesAgainOnTheSameNode() throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B18", "--port", "0"}, quiet())) {
            for (int run = 1; run <= 2; run++) {
                List<Contract.Finding> results = check(18, node.url(), false);
                assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), "run " + run + ":\n" + shown(results));
                assertEquals(Set.of(), named(results, Contract.Verdict.SKIP), "run " + run + ":\n" + shown(results));
                assertTrue(named(results, Contract.Verdict.PASS).containsAll(List.of(GossipContract.ANNOUNCED, GossipContract.SERVED,
                        GossipContract.FETCHED, GossipContract.STRANGER, GossipContract.COUNTED)), shown(results));
            }
        }
    }

    /** The chains check serves a node of B13 on are valid to the stages themselves, B13's and B14's. */
    @Test
    void theVillagersChainsAreValidToB13AndB14() {
        List<Map<String, Object>> chain = ProofRules.VILLAGE.first(6);
        assertTrue(B13ProofOfWork.validChain(chain, ProofRules.ZEROS), PyJson.dumps(chain));
        assertEquals(null, B14Fees.whyInvalid(chain, ProofRules.ZEROS, FeesContract.BLOCK_BYTES), PyJson.dumps(chain));
        assertTrue(chain.stream().skip(1).allMatch(ProofRules::proven));
        assertTrue(B13ProofOfWork.whyInvalid(ProofRules.ELSEWHERE.first(3), ProofRules.ZEROS).contains("genesis"));
    }

    @Test
    void theBooksNodePassesTheContractButNotStrict() throws Exception {
        try (BookLikeNode book = new BookLikeNode(Defect.NONE, true)) {
            List<Contract.Finding> results = check(10, book.url(), false);
            assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), shown(results));
            assertEquals(Set.of(), named(results, Contract.Verdict.SKIP), shown(results));
        }
        try (BookLikeNode book = new BookLikeNode(Defect.NONE, true)) {
            List<Contract.Finding> results = check(10, book.url(), true);
            assertEquals(Set.of(ConsensusContract.LENGTH_LIE, LAST_BK_T_LIE, NO_NONCE_BLOCK,
                    "--strict: POST /nodes/register without \"nodes\" answers 4xx",
                    "--strict: POST /nodes/register with an address that is no address answers 4xx",
                    "--strict: POST /transactions/new without an amount answers 4xx",
                    "--strict: POST /transactions/new from sender \"0\" answers 4xx"),
                    named(results, Contract.Verdict.FAIL), shown(results));
        }
    }

    @Test
    void aRouteTheBookNamesOnlyInProseIsSkippedWhenTheNodeHasNone() throws Exception {
        try (BookLikeNode book = new BookLikeNode(Defect.NONE, false)) {
            List<Contract.Finding> results = check(10, book.url(), false);
            assertEquals(Set.of(), named(results, Contract.Verdict.FAIL), shown(results));
            assertEquals(Set.of(MiningContract.QUEUE, "the next block holds the transactions queued, then the reward",
                    "GET /transactions/new answers 405"), named(results, Contract.Verdict.SKIP), shown(results));
        }
    }

    /** Each defect, and the one stage's check it must fail; the other checks of that stage pass. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ENDS_WITH 7", "NO_PREVIOUS_HASH_COMPARE 10", "NO_NONCE_CHECK 10", "MINE_TAKES_POST 7",
            "NO_LAST_BK_T 8", "HASHES_OTHER_JSON 8"})
    void aDefectFailsTheCheckThatNamesIt(String defectAndStage) throws Exception {
        Defect defect = Defect.valueOf(defectAndStage.split(" ")[0]);
        int stage = Integer.parseInt(defectAndStage.split(" ")[1]);
        String expected = switch (defect) {
            case ENDS_WITH -> MiningContract.NONCES;
            case NO_PREVIOUS_HASH_COMPARE -> ConsensusContract.BROKEN_LINK;
            case NO_NONCE_CHECK -> ConsensusContract.BAD_NONCE;
            case MINE_TAKES_POST -> MiningContract.MINE_405;
            case NO_LAST_BK_T -> MiningContract.CHAIN_KEYS;
            case HASHES_OTHER_JSON -> MiningContract.HASHES;
            default -> throw new IllegalArgumentException(defectAndStage);
        };
        try (BookLikeNode node = new BookLikeNode(defect, true)) {
            List<Contract.Finding> results = check(stage, node.url(), false);
            assertEquals(Set.of(expected), named(results, Contract.Verdict.FAIL), shown(results));
            Set<String> skipped = defect == Defect.NO_LAST_BK_T ? Set.of(MiningContract.CHAIN_LENGTH) : Set.of();
            assertEquals(skipped, named(results, Contract.Verdict.SKIP), shown(results));
        }
        if (stage < 10) { // the whole contract of B10 fails it too
            try (BookLikeNode node = new BookLikeNode(defect, true)) {
                List<Contract.Finding> results = check(10, node.url(), false);
                assertTrue(named(results, Contract.Verdict.FAIL).contains(expected), shown(results));
            }
        }
    }

    @Test
    void theEndsWithDefectIsExplained() throws Exception {
        try (BookLikeNode node = new BookLikeNode(Defect.ENDS_WITH, false)) {
            Contract.Finding nonces = check(7, node.url(), false).stream()
                    .filter(result -> result.name().equals(MiningContract.NONCES)).findFirst().orElseThrow();
            // The very line chapters/check.md shows.
            assertEquals("block 2's nonce is 33575, but the first that fits 100 is 35293: its hash "
                    + "593057e494bb665192d458acd99765fb31c072a0ab65d977c26c01c4f7c90000 ends with 0000, "
                    + "but the book's must start with 0000", nonces.why());
        }
    }

    @Test
    void aNodeThatHangsFailsTwoChecksWithAReasonAndTheRestDoNotRun() throws Exception {
        try (BookLikeNode node = new BookLikeNode(Defect.HANGS, true)) {
            long start = System.nanoTime();
            List<Contract.Finding> results = Check.run(10, node.url(), false, Duration.ofSeconds(1),
                    new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "check gave up in time");
            assertEquals(List.of(Contract.Verdict.FAIL, Contract.Verdict.FAIL),
                    results.stream().limit(2).map(Contract.Finding::verdict).toList(), shown(results));
            assertTrue(results.get(0).why().endsWith("no whole answer within 1 s"), shown(results));
            assertTrue(results.stream().skip(2).allMatch(result -> result.verdict() == Contract.Verdict.SKIP
                    && result.why().equals("not run: the node stopped answering")), shown(results));
        }
    }

    /** A root that says it will send {@code declared} bytes, sends {@code sent} of them, and then holds the connection. */
    private static HttpServer root(long declared, int sent, CountDownLatch release) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, declared);
            exchange.getResponseBody().write(new byte[sent]);
            exchange.getResponseBody().flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "slow root");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

    @Test
    void anAnswerThatTricklesOrIsTooLargeFailsInTime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer trickling = root(1000, 10, release);
        HttpServer huge = root(NodeClient.MAX_ANSWER_BYTES + 1L, 0, release);
        try {
            String url = "http://127.0.0.1:" + trickling.getAddress().getPort();
            long start = System.nanoTime();
            List<Contract.Finding> results = Check.run(3, url, false, Duration.ofSeconds(1),
                    new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "check gave up in time");
            assertEquals("GET /: no whole answer within 1 s", results.get(0).why(), shown(results));

            List<Contract.Finding> large = check(3, "http://127.0.0.1:" + huge.getAddress().getPort(), false);
            assertEquals("the answer is larger than 32 MiB", large.get(0).why(), shown(large));
        } finally {
            release.countDown();
            trickling.stop(0);
            huge.stop(0);
        }
    }

    /** A node serves a chain of up to {@link ServedChain#MAX_BYTES}, and check reads an answer that large whole. */
    @Test
    void checkReadsAsMuchAsANodeMayServe() throws Exception {
        byte[] largest = new byte[ServedChain.MAX_BYTES];
        Arrays.fill(largest, (byte) ' ');
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, largest.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(largest);
            }
        });
        server.start();
        try {
            NodeClient client = new NodeClient("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(60));
            assertEquals(ServedChain.MAX_BYTES, client.send("GET", "/", null).body().length());
        } finally {
            server.stop(0);
        }
    }

    /** What a node hears from check: plain requests, as curl sends them, so no guard of a node takes them for a web page's. */
    @Test
    void checkSendsPlainRequestsAsCurlDoes() throws Exception {
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Headers headers = exchange.getRequestHeaders();
            heard.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host=" + headers.getFirst("Host")
                    + " Origin=" + headers.getFirst("Origin") + " Content-Type=" + headers.getFirst("Content-Type"));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/") ? 200 : 404, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            check(6, "http://localhost:" + port, false);
            assertTrue(heard.contains("GET / Host=localhost:" + port + " Origin=null Content-Type=null"), heard.toString());
            assertTrue(heard.contains("POST /nodes/register Host=localhost:" + port
                    + " Origin=null Content-Type=application/json"), heard.toString());
            assertTrue(heard.stream().allMatch(line -> line.contains(" Host=localhost:" + port + " Origin=null ")), heard.toString());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aNodeThatIsNotThereFailsOneCheckAndTheRestDoNotRun() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        List<Contract.Finding> results = check(3, "http://127.0.0.1:" + port, false);
        assertEquals(WebContract.ROOT, results.get(0).name());
        assertEquals("cannot connect to http://127.0.0.1:" + port + ": is the node running?", results.get(0).why());
        assertEquals(Set.of(WebContract.ROOT), named(results, Contract.Verdict.FAIL), shown(results));
    }

    @Test
    void theOutputNamesEachCheckWithItsVerdict() throws Exception {
        try (BookLikeNode node = new BookLikeNode(Defect.MINE_TAKES_POST, false)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Check.run(7, node.url(), false, TIMEOUT, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("Checking " + node.url() + " against the contract of B7:\n"), printed);
            assertTrue(printed.contains("\n  fail  POST /mine answers 405: POST /mine answered 200\n"), printed);
            assertTrue(printed.contains("\n  pass  " + MiningContract.NONCES + ": block 2: 35293 after 100; block 3: 35089 after 35293\n"),
                    printed);
            assertTrue(printed.endsWith("\n10 checks: 6 passed, 1 failed, 3 skipped\n"), printed);
        }
    }

    @Test
    void badUsageIsAUsageErrorAndSendsNothing() {
        World world = quiet();
        assertThrows(UsageError.class, () -> BitVillage.launch(new String[] {"check"}, world));
        assertThrows(UsageError.class, () -> BitVillage.launch(new String[] {"check", "B10"}, world));
        assertThrows(UsageError.class, () -> BitVillage.launch(new String[] {"check", "B2", "http://127.0.0.1:5000"}, world));
        assertThrows(UsageError.class, () -> BitVillage.launch(new String[] {"check", "B10", "http://example.com:5000"}, world));
        assertThrows(UsageError.class, () -> BitVillage.launch(new String[] {"check", "B10", "http://10.0.0.1:5000"}, world));
        assertThrows(UsageError.class, () -> BitVillage.launch(new String[] {"check", "B10", "http://127.0.0.1:5000/chain"}, world));
        assertThrows(UsageError.class, () -> BitVillage.launch(new String[] {"check", "B10", "http://127.0.0.1:5000", "--lenient"}, world));
        assertEquals("http://127.0.0.1:5000", Check.nodeBase("127.0.0.1:5000/"));
        assertEquals("http://localhost:5002", Check.nodeBase("http://LOCALHOST:5002"));
        assertEquals("http://[::1]:5000", Check.nodeBase("http://[::1]:5000"));
        // Read as a neighbour's address is: other spellings of this computer, and where a node on 0.0.0.0 says it runs.
        assertEquals("http://127.0.0.1:5000", Check.nodeBase("http://2130706433:5000"));
        assertEquals("http://127.0.0.1:5000", Check.nodeBase("http://0.0.0.0:5000/"));
        assertThrows(UsageError.class, () -> Check.nodeBase("http://0x7f.example:5000"));
        assertThrows(UsageError.class, () -> Check.nodeBase("http://0x0a.1:5000"));
        assertEquals(10, Check.stageNumber("b10"));
        assertEquals(3, Check.stageNumber("B03"));
    }

    /** The exit status a reader's shell sees: 0 when every check passed, 1 when one failed, 2 for bad usage. */
    @Test
    void theExitStatusSaysWhetherEveryCheckPassed() throws Exception {
        try (WebApp node = (WebApp) BitVillage.launch(new String[] {"B5", "--port", "0"}, quiet())) {
            assertEquals(0, java("check", "B5", node.url()));
            assertEquals(1, java("check", "B6", node.url()));
        }
        assertEquals(2, java("check", "B5"));
    }

    private static int java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "bitvillage.BitVillage"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("check", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("check did not end within 120 s: " + command);
            }
            return process.exitValue();
        } finally {
            Files.delete(log);
        }
    }
}

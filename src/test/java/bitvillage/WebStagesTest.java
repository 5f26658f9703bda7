package bitvillage;

import static bitvillage.testing.Http.error;
import static bitvillage.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.testing.Http;
import bitvillage.testing.Wallet;
import bitvillage.testing.WebNode;
import bitvillage.util.guard.TransactionIds;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The web stages B3-B19 as a client meets them: real servers on free ports, real HTTP. Each feature
 * is checked on every stage that has it; a later stage joins by one line in {@link #ROUTES}. From B16
 * on a payment is signed ({@link Wallet}): a feature that pays is checked there with signed payments.
 */
class WebStagesTest {
    /** The routes each web stage serves ("METHOD /path"), in stage order. */
    static final Map<String, List<String>> ROUTES = new LinkedHashMap<>();

    static {
        ROUTES.put("B3", List.of("GET /"));
        ROUTES.put("B4", List.of("GET /", "GET /new"));
        ROUTES.put("B5", List.of("GET /", "POST /new"));
        ROUTES.put("B6", List.of("GET /", "POST /new", "POST /nodes/register"));
        ROUTES.put("B7", List.of("GET /mine", "POST /transactions/new"));
        ROUTES.put("B8", List.of("GET /mine", "POST /transactions/new", "GET /chain"));
        ROUTES.put("B9", List.of("GET /mine", "POST /transactions/new", "GET /chain", "POST /nodes/register"));
        ROUTES.put("B10", List.of("GET /mine", "POST /transactions/new", "GET /chain", "POST /nodes/register",
                "GET /nodes/resolve"));
        ROUTES.put("B11", ROUTES.get("B10")); // B10's node, started as the second villager
        ROUTES.put("B12", ROUTES.get("B10")); // and GET /transactions/<id>, a pattern: see transactionIds()
        ROUTES.put("B13", ROUTES.get("B10")); // B12's routes, with a proof over the whole block
        ROUTES.put("B14", List.of("GET /mine", "POST /transactions/new", "GET /chain", "POST /nodes/register",
                "GET /nodes/resolve", "GET /transactions/pending")); // and fees: see feesPayTheMiner()
        ROUTES.put("B15", ROUTES.get("B14")); // and the full pool, which projects the blocks to come
        ROUTES.put("B16", ROUTES.get("B14")); // signed payments; and GET /balance/<address>, a pattern
        ROUTES.put("B17", ROUTES.get("B14")); // coins; and GET /coins/<address>, a pattern
        ROUTES.put("B18", List.of("GET /mine", "POST /transactions/new", "GET /chain", "POST /nodes/register",
                "GET /nodes/resolve", "GET /transactions/pending", "GET /nodes")); // B17's coins, and gossip: see GossipTest
        ROUTES.put("B19", ROUTES.get("B18")); // B18's villager, with a notebook when given --data: see NotebookVillagerTest
    }

    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    static final String MIB_AND_MORE = "{\"nodes\": [\"" + "x".repeat(1 << 20) + "\"]}";

    static Stream<String> webStages() {
        return ROUTES.keySet().stream();
    }

    /** The stages from {@code first} on: a feature, once taught, stays. */
    static Stream<String> since(String first) {
        List<String> stages = List.copyOf(ROUTES.keySet());
        return stages.subList(stages.indexOf(first), stages.size()).stream();
    }

    static Stream<String> hello() {
        return Stream.of("B3", "B4", "B5", "B6");
    }

    static Stream<String> postNew() {
        return Stream.of("B5", "B6");
    }

    /** The stages that answer POST /nodes/register: B6 echoes, from B9 on the node keeps the addresses. */
    static Stream<String> readNodes() {
        return Stream.concat(Stream.of("B6"), keepNodes());
    }

    static Stream<String> keepNodes() {
        return since("B9");
    }

    static Stream<String> mining() {
        return since("B7");
    }

    static Stream<String> chain() {
        return since("B8");
    }

    /** From B13 on, the proof is the block's own hash: its nonces are not the book's, and the reward comes first. */
    static boolean proofCoversTheBlock(String stage) {
        return since("B13").anyMatch(stage::equals);
    }

    static Stream<String> booksPuzzle() {
        return mining().filter(stage -> !proofCoversTheBlock(stage));
    }

    static Stream<String> booksChain() {
        return chain().filter(stage -> !proofCoversTheBlock(stage));
    }

    static Stream<String> wholeBlockProof() {
        return since("B13");
    }

    // ---- what every web stage does

    @ParameterizedTest(name = "{0}")
    @MethodSource("webStages")
    void saysWhereItRunsAndLogsEachRequestAsFlaskDoes(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            assertTrue(node.printed().contains(" * Running on http://127.0.0.1:" + node.app.port()
                    + "/ (Press CTRL+C to quit)\n"), node.printed());
            String route = ROUTES.get(stage).get(0);
            String method = route.split(" ")[0];
            String path = route.split(" ")[1];
            int status = node.call(method, path, method.equals("GET") ? null : "{}").statusCode();
            node.get("/no/such/path?x=1");
            // 127.0.0.1 - - [06/Jan/2019 15:44:28] "GET / HTTP/1.1" 200 -
            String date = "\\[\\d\\d/[A-Z][a-z]{2}/\\d{4} \\d\\d:\\d\\d:\\d\\d]";
            assertTrue(Pattern.compile("(?m)^127\\.0\\.0\\.1 - - " + date + " \"" + method + " " + Pattern.quote(path)
                    + " HTTP/1\\.1\" " + status + " -$").matcher(node.printed()).find(), node.printed());
            assertTrue(Pattern.compile("(?m)^127\\.0\\.0\\.1 - - " + date
                    + " \"GET /no/such/path\\?x=1 HTTP/1\\.1\" 404 -$").matcher(node.printed()).find(), node.printed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webStages")
    void anUnknownPathIs404InJson(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            error(node.get("/nowhere"), 404, "/nowhere");
            error(node.call("POST", "/nowhere", "{}"), 404, "/nowhere");
            boolean hasRoot = ROUTES.get(stage).contains("GET /");
            error(node.call("DELETE", "/", null), hasRoot ? 405 : 404, hasRoot ? "Method Not Allowed" : "Not Found");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("webStages")
    void aKnownPathWithTheWrongMethodIs405AndSaysWhichMethodsItTakes(String stage) throws Exception {
        Map<String, List<String>> methodsByPath = new LinkedHashMap<>();
        for (String route : ROUTES.get(stage)) {
            String[] parts = route.split(" ");
            methodsByPath.computeIfAbsent(parts[1], path -> new ArrayList<>()).add(parts[0]);
        }
        try (WebNode node = new WebNode(stage)) {
            for (Map.Entry<String, List<String>> path : methodsByPath.entrySet()) {
                List<String> allowed = new ArrayList<>(path.getValue());
                if (allowed.contains("GET")) allowed.add("HEAD");
                allowed.add("OPTIONS");
                allowed.sort(null);
                String allow = String.join(", ", allowed);
                for (String method : METHODS) {
                    if (path.getValue().contains(method)) continue;
                    HttpResponse<String> response = node.call(method, path.getKey(), "{}");
                    error(response, 405, "Method Not Allowed");
                    assertEquals(allow, response.headers().firstValue("Allow").orElse(""), method + " " + path.getKey());
                }
                // HEAD is GET without the body, as in Flask; a path without GET has no HEAD either.
                HttpResponse<String> head = node.call("HEAD", path.getKey(), null);
                assertEquals(path.getValue().contains("GET") ? 200 : 405, head.statusCode(), "HEAD " + path.getKey());
                assertEquals("", head.body(), "HEAD " + path.getKey());
                if (head.statusCode() == 405) {
                    assertEquals(allow, head.headers().firstValue("Allow").orElse(""), "HEAD " + path.getKey());
                }
                HttpResponse<String> options = node.call("OPTIONS", path.getKey(), null);
                assertEquals(200, options.statusCode(), "OPTIONS " + path.getKey());
                assertEquals(allow, options.headers().firstValue("Allow").orElse(""), "OPTIONS " + path.getKey());
            }
        }
    }

    @Test
    void whatJettyRefusesByItselfIsJsonTooAndTheLogShowsThePathAsSent() throws Exception {
        try (WebNode node = new WebNode("B3")) {
            for (String[] refused : List.of(new String[] {"/x%ZZ", "400 Bad Request"},
                    new String[] {"/" + "a".repeat(10_000), "414 URI Too Long"})) {
                String answer = node.raw("GET " + refused[0] + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 " + refused[1] + "\r\n"), answer);
                assertTrue(answer.contains("\r\nContent-Type: application/json\r\n"), answer);
                assertTrue(answer.endsWith("\"error\": \"" + refused[1].substring(4) + ": the node could not read this request\"\n}\n"),
                        answer);
            }
            error(node.call("TRACE", "/", null), 405, "Method Not Allowed");
            // Decoded, %0d%0a would end the log line and let a client write one of its own.
            error(node.get("/x%0d%0a127.0.0.1"), 404, "Not Found");
            assertTrue(node.printed().contains("\"GET /x%0d%0a127.0.0.1 HTTP/1.1\" 404 -"), node.printed());
        }
    }

    @Test
    void theJettyInUseIsThePinned9_4_58NotSpark_s9_4_48() {
        assertTrue(Jetty.VERSION.startsWith("9.4.58."), Jetty.VERSION);
    }

    /** Which Jetty a node runs would tell an attacker which of its flaws to try: no answer names it. */
    @Test
    void noAnswerNamesTheServerOrItsVersion() throws Exception {
        try (WebNode node = new WebNode("B3")) {
            for (String request : List.of("GET / HTTP/1.1", "POST / HTTP/1.1", "GET /nowhere HTTP/1.1", "GET /x%ZZ HTTP/1.1")) {
                String answer = node.raw(request + "\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
                assertTrue(!head.contains("\r\nserver:") && !head.contains("jetty"), request + ": " + answer);
            }
        }
    }

    @Test
    void fromTheJarANodeServesUntilItIsStoppedAndStopsCleanly() throws Exception {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path errors = Files.createTempFile("bitvillage-node", ".err");
        Process process = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                "bitvillage.BitVillage", "B3", "--port", "0").redirectError(errors.toFile()).start();
        try {
            var out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String running = out.readLine();
            var port = Pattern.compile("^ \\* Running on http://127\\.0\\.0\\.1:(\\d+)/ \\(Press CTRL\\+C to quit\\)$")
                    .matcher(running == null ? "" : running);
            assertTrue(port.matches(), "first line: " + running);
            HttpResponse<String> hello = Http.get("http://127.0.0.1:" + port.group(1) + "/");
            assertEquals("Hello Spark!", hello.body());
            assertTrue(out.readLine().endsWith("\"GET / HTTP/1.1\" 200 -"));
        } finally {
            process.destroy(); // SIGTERM, which stops the JVM as Ctrl+C's SIGINT does
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the node stops");
        assertEquals("", Files.readString(errors), "no stack trace, no logging noise");
        Files.delete(errors);
    }

    // ---- B3 to B6: a Flask-like site

    @ParameterizedTest(name = "{0}")
    @MethodSource("hello")
    void theRootSaysHello(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            HttpResponse<String> response = node.get("/");
            assertEquals(200, response.statusCode());
            assertEquals("Hello Spark!", response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        }
    }

    @Test
    void b4AnswersMaryOnGetNew() throws Exception {
        try (WebNode node = new WebNode("B4")) {
            HttpResponse<String> response = node.get("/new");
            assertEquals(200, response.statusCode());
            assertEquals("Mary!", response.body());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postNew")
    void newTakesPostOnlyAndABrowserGets405(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            HttpResponse<String> posted = node.call("POST", "/new", null);
            assertEquals(200, posted.statusCode());
            assertEquals("Mary!", posted.body());

            HttpResponse<String> browser = node.get("/new");
            error(browser, 405, "POST");
            assertEquals("OPTIONS, POST", browser.headers().firstValue("Allow").orElse(""));
            assertTrue(node.printed().contains("\"GET /new HTTP/1.1\" 405 -"), node.printed());
        }
    }

    @Test
    void b6EchoesTheObjectItReceived() throws Exception {
        try (WebNode node = new WebNode("B6")) {
            String sent = "{\"nodes\": [\"http://127.0.0.1:5002\", \"小美的電腦:5003\"], \"note\": {\"from\": \"Postman\"}}";
            assertEquals(PyJson.loads(sent), json(node.postJson("/nodes/register", sent), 200));
            // Postman users often forget the Content-Type; the body is JSON all the same.
            assertEquals(PyJson.loads(sent), json(node.call("POST", "/nodes/register", sent), 200));
        }
    }

    // ---- POST /nodes/register: bad input is refused, and changes nothing

    @ParameterizedTest(name = "{0}")
    @MethodSource("readNodes")
    void aBadRegistrationIs400AndSaysWhatIsWrong(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            String truncated = error(node.postJson("/nodes/register", "{\"nodes\": [\"http://127.0.0.1:5002\""),
                    400, "not valid JSON");
            assertTrue(truncated.endsWith("(line 1, column 35)") && !truncated.contains("Source"), truncated);
            error(node.postJson("/nodes/register", ""), 400, "not valid JSON");
            error(node.postJson("/nodes/register", "[\"http://127.0.0.1:5002\"]"), 400, "JSON object");
            error(node.postJson("/nodes/register", "{}"), 400, "'nodes' is missing");
            error(node.postJson("/nodes/register", "{\"node\": [\"127.0.0.1:5002\"]}"), 400, "'nodes' is missing");
            error(node.postJson("/nodes/register", "{\"nodes\": \"http://127.0.0.1:5002\"}"), 400, "not a string");
            error(node.postJson("/nodes/register", "{\"nodes\": null}"), 400, "not null");
            error(node.postJson("/nodes/register", "{\"nodes\": []}"), 400, "non-empty");
            error(node.postJson("/nodes/register", "{\"nodes\": [\"127.0.0.1:5002\", 5003]}"), 400, "item 2 is a number");
            error(node.postJson("/nodes/register", "{\"nodes\": [[\"127.0.0.1:5002\"]]}"), 400, "item 1 is a list");
            error(node.postJson("/nodes/register", MIB_AND_MORE), 413, "larger than");
            error(node.send(node.request("/nodes/register").POST(chunked(MIB_AND_MORE)).build()), 413, "larger than");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keepNodes")
    void aRejectedRegistrationStoresNoAddressAtAll(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            error(node.postJson("/nodes/register", "{\"nodes\": [\"http://127.0.0.1:5002\", \"not a url\"]}"),
                    400, "not a url");
            for (String bad : List.of("ftp://127.0.0.1:5002", "127.0.0.1", "http://127.0.0.1:5002/chain",
                    "http://127.0.0.1:99999", "http://user@127.0.0.1:5002", "http://127.0.0.1:5002?x=1", "")) {
                error(node.postJson("/nodes/register", "{\"nodes\": [\"127.0.0.1:5004\", \"" + bad + "\"]}"),
                        400, "not a node address");
            }
            error(node.postJson("/nodes/register", MIB_AND_MORE), 413, "larger than");
            Map<String, Object> answer = json(node.postJson("/nodes/register", "{\"nodes\": [\"127.0.0.1:5003\"]}"), 200);
            assertEquals(List.of("http://127.0.0.1:5003"), answer.get("total_nodes"), "nothing else was stored");

            List<String> tooMany = new ArrayList<>();
            for (int port = 6000; port < 6100; port++) tooMany.add("\"127.0.0.1:" + port + "\"");
            error(node.postJson("/nodes/register", "{\"nodes\": [" + String.join(", ", tooMany) + "]}"), 400,
                    "at most 100 neighbours");
            List<?> kept = (List<?>) json(node.postJson("/nodes/register", "{\"nodes\": [\"127.0.0.1:5003\"]}"), 200)
                    .get("total_nodes");
            assertEquals(1, kept.size(), "a registration past the limit adds none of its nodes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keepNodes")
    void addressesAreStoredOneWayOnlyAndTwiceIsOnce(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            Map<String, Object> first = json(node.postJson("/nodes/register",
                    "{\"nodes\": [\"http://127.0.0.1:5002\"]}"), 200);
            assertEquals("New nodes have been added", first.get("message"));
            assertEquals(List.of("http://127.0.0.1:5002"), first.get("total_nodes"));

            for (String same : List.of("http://127.0.0.1:5002/", "127.0.0.1:5002", " HTTP://127.0.0.1:5002 ")) {
                Map<String, Object> again = json(node.postJson("/nodes/register",
                        "{\"nodes\": [\"" + same + "\", \"" + same + "\"]}"), 200);
                assertEquals(List.of("http://127.0.0.1:5002"), again.get("total_nodes"), same);
            }
            // Without a scheme, Python's urlparse reads localhost:5002 as scheme "localhost"; we do not.
            Map<String, Object> local = json(node.call("POST", "/nodes/register",
                    "{\"nodes\": [\"localhost:5002\", \"LocalHost:5003/\"]}"), 200);
            assertEquals(List.of("http://127.0.0.1:5002", "http://localhost:5002", "http://localhost:5003"),
                    local.get("total_nodes"));
        }
    }

    // ---- B7 on: mining and transactions

    @ParameterizedTest(name = "{0}")
    @MethodSource("booksPuzzle")
    void mineForgesTheBookSBlocks(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            String nodeId = node.printed().lines().filter(line -> line.startsWith("This node's id: "))
                    .findFirst().orElseThrow().substring("This node's id: ".length());
            Map<String, Object> reward = Map.of("sender", "0", "recipient", nodeId, "amount", 1L);

            Map<String, Object> second = json(node.get("/mine"), 200);
            assertEquals("New Block Forged", second.get("message"));
            assertEquals(2L, second.get("index"));
            assertEquals(35293L, second.get("nonce"));
            assertEquals(List.of(reward), withoutIds(stage, second.get("transactions")));
            assertTrue(((String) second.get("previous_hash")).matches("[0-9a-f]{64}"), second.toString());
            assertEquals(List.of("index", "message", "nonce", "previous_hash", "transactions"),
                    List.copyOf(second.keySet()), "the book's keys, sorted as jsonify sorts them");

            Map<String, Object> paid = json(node.postJson("/transactions/new",
                    "{\"sender\": \"小美\", \"recipient\": \"阿明\", \"amount\": 2.5}"), 201);
            assertEquals(Map.of("message", "Transaction will be added to Block 3"), withoutIds(stage, List.of(paid)).get(0));

            Map<String, Object> third = json(node.get("/mine"), 200);
            assertEquals(3L, third.get("index"));
            assertEquals(35089L, third.get("nonce"));
            assertEquals(List.of(Map.of("sender", "小美", "recipient", "阿明", "amount", 2.5), reward),
                    withoutIds(stage, third.get("transactions")));
            assertTrue(node.printed().contains("Nonce of the new block: 35089"), node.printed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mining")
    void aBadTransactionIs400AndLeavesNoTrace(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            String path = "/transactions/new";
            error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": 1"), 400, "not valid JSON");
            error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\"} trailing"), 400, "not valid JSON");
            error(node.postJson(path, "[]"), 400, "JSON object");
            error(node.postJson(path, "\"sender\""), 400, "JSON object");
            if (Wallet.signs(stage)) {
                aBadSignedPaymentIs400(node);
            } else {
                aBadBookPaymentIs400(node);
            }
            error(node.postJson(path, "{\"sender\": \"" + "a".repeat(1 << 20) + "\", \"recipient\": \"b\", \"amount\": 1}"),
                    413, "larger than");
            error(node.send(node.request(path).POST(chunked("{\"sender\": \"" + "a".repeat(1 << 20)
                    + "\", \"recipient\": \"b\", \"amount\": 1}")).build()), 413, "larger than");

            error(node.send(node.request(path).POST(HttpRequest.BodyPublishers.ofByteArray(
                    new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'})).build()), 400, "not UTF-8");

            // Nothing was queued: the next block holds the miner's reward and nothing else.
            List<?> mined = (List<?>) json(node.get("/mine"), 200).get("transactions");
            assertEquals(1, mined.size(), mined.toString());
            assertTrue(Wallet.isReward((Map<?, ?>) mined.get(0)), mined.toString());
        }
    }

    /** The book's payment (B7 to B15): each field there, of its type, and only mining makes coins. */
    private static void aBadBookPaymentIs400(WebNode node) throws Exception {
        String path = "/transactions/new";
        error(node.postJson(path, "{\"recipient\": \"b\", \"amount\": 1}"), 400, "'sender' is missing");
        error(node.postJson(path, "{\"sender\": \"a\", \"amount\": 1}"), 400, "'recipient' is missing");
        error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\"}"), 400, "'amount' is missing");
        error(node.postJson(path, "{\"sender\": 7, \"recipient\": \"b\", \"amount\": 1}"), 400, "'sender' must be");
        error(node.postJson(path, "{\"sender\": \"\", \"recipient\": \"b\", \"amount\": 1}"), 400, "'sender' is empty");
        error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": null, \"amount\": 1}"), 400, "not null");
        error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": \"1\"}"), 400, "not a string");
        error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": true}"), 400, "not true");
        error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": NaN}"), 400, "finite");
        error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": 1e999}"), 400, "finite");
        error(node.postJson(path, "{\"sender\": \"0\", \"recipient\": \"b\", \"amount\": 5}"), 400,
                "only mining makes");
    }

    /** From B16 on: a payment has exactly its fields, whole coins, and the signature of whom it spends from, over what it says. */
    private static void aBadSignedPaymentIs400(WebNode node) throws Exception {
        String path = "/transactions/new";
        String payment = PyJson.dumps(new Wallet(node.stage, Wallet.MEI).pay(Keys.address(Wallet.HUA), 5, 1));
        error(node.postJson(path, payment.replaceFirst("^\\{", "{\"note\": \"x\", ")), 400, "has exactly the fields");
        error(node.postJson(path, "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": 1}"), 400, "has exactly the fields");
        error(node.postJson(path, payment.replaceFirst("\"amount\": 5\\b", "\"amount\": 0")), 400, "'amount' must be a whole number");
        error(node.postJson(path, payment.replaceFirst("\"amount\": 5\\b", "\"amount\": 1.5")), 400, "'amount' must be a whole number");
        // Changed on the way: the signature was over 5 coins, not 50.
        error(node.postJson(path, payment.replaceFirst("\"amount\": 5\\b", "\"amount\": 50")), 400, "signature does not verify");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mining")
    void aTransactionNeedsNoContentType(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            // From B16 on, the same payment twice is a retry: 小美 signs three, the next two spending the first's change (B17).
            Wallet mei = Wallet.signs(stage) ? new Wallet(stage, Wallet.MEI) : null;
            java.util.function.Supplier<String> body = () -> mei == null ? "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": 3}"
                    : PyJson.dumps(mei.pay(Keys.address(Wallet.HUA), 3, 0));
            // B14 names no block: the fees still to come decide which; B15 projects it again
            String promise = stage.equals("B14") ? "Transaction is in the mempool: blocks take the highest fee rates first"
                    : "Transaction will be added to Block 2";
            assertEquals(promise, json(node.call("POST", "/transactions/new", body.get()), 201).get("message"));
            assertEquals(promise, json(node.send(node.request("/transactions/new")
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(body.get())).build()), 201).get("message"));
            assertEquals(promise, json(node.send(node.request("/transactions/new")
                    .POST(chunked(body.get())).build()), 201).get("message"));
            assertEquals(4, ((List<?>) json(node.get("/mine"), 200).get("transactions")).size());
        }
    }

    // ---- B8 on: the whole chain

    @ParameterizedTest(name = "{0}")
    @MethodSource("booksChain")
    void chainShowsEveryBlockItsLengthAndTheLastTimestamp(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            Map<String, Object> fresh = json(node.get("/chain"), 200);
            assertEquals(1L, fresh.get("length"));
            json(node.get("/mine"), 200);
            json(node.postJson("/transactions/new", "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": 5}"), 201);
            json(node.get("/mine"), 200);

            Map<String, Object> answer = json(node.get("/chain"), 200);
            assertEquals(List.of("chain", "last_bk_t", "length"), List.copyOf(answer.keySet()));
            List<Map<String, Object>> chain = blocks(answer);
            assertEquals(3L, answer.get("length"));
            assertEquals(chain.get(2).get("timestamp"), answer.get("last_bk_t"));
            assertEquals(List.of(100L, 35293L, 35089L), chain.stream().map(block -> block.get("nonce")).toList());
            assertEquals(List.of(List.of(), List.of("0"), List.of("a", "0")), chain.stream()
                    .map(block -> ((List<?>) block.get("transactions")).stream()
                            .map(transaction -> ((Map<?, ?>) transaction).get("sender")).toList()).toList());
            assertChainIsWhole(stage, chain);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wholeBlockProof")
    void mineForgesBlocksWhoseOwnHashHasTheZerosTheRewardFirst(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            String payment = Wallet.signs(stage) ? PyJson.dumps(new Wallet(stage, Wallet.MEI).pay(Keys.address(Wallet.HUA), 2, 0))
                    : "{\"sender\": \"小美\", \"recipient\": \"阿明\", \"amount\": 2.5}";
            Object id = json(node.postJson("/transactions/new", payment), 201).get("id");
            Map<String, Object> second = json(node.get("/mine"), 200);
            assertEquals(2L, second.get("index"));
            List<?> transactions = (List<?>) second.get("transactions");
            assertEquals(2, transactions.size(), transactions.toString());
            assertTrue(Wallet.isReward((Map<?, ?>) transactions.get(0)), "the reward first: " + transactions);
            assertEquals(id, ((Map<?, ?>) transactions.get(1)).get("id"), "then the payment");
            json(node.get("/mine"), 200);
            List<Map<String, Object>> chain = blocks(json(node.get("/chain"), 200));
            assertEquals(3, chain.size());
            assertEquals(1546678801.6103268, chain.get(0).get("timestamp"), "the fixed genesis block");
            assertChainIsWhole(stage, chain);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chain")
    void chainCarriesAnETagAndAMatchingIfNoneMatchGets304UntilTheChainChanges(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            HttpResponse<String> first = node.get("/chain");
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertEquals(first.body(), node.get("/chain").body(), "the same chain, the same answer");
            HttpResponse<String> unchanged = node.send(node.request("/chain").header("If-None-Match", etag).GET().build());
            assertEquals(304, unchanged.statusCode());
            assertEquals("", unchanged.body());
            assertEquals(etag, unchanged.headers().firstValue("ETag").orElse(""));

            json(node.get("/mine"), 200);
            HttpResponse<String> mined = node.send(node.request("/chain").header("If-None-Match", etag).GET().build());
            Map<String, Object> answer = json(mined, 200);
            assertEquals(2L, answer.get("length"), "a new block, a new answer");
            assertNotEquals(etag, mined.headers().firstValue("ETag").orElse(etag));
        }
    }

    /** Up to B15 a villager's name is any text; from B16 on it is an address, 64 hex digits. */
    static Stream<String> namedSenders() {
        return chain().filter(stage -> !Wallet.signs(stage));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedSenders")
    void aNameWithHalfACharacterIsSentAsItWasHashed(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            // A lone surrogate: sent raw, UTF-8 would turn it into '?', a block other than the one hashed.
            json(node.postJson("/transactions/new", "{\"sender\": \"\\ud800 x\", \"recipient\": \"b\", \"amount\": 1}"),
                    201);
            json(node.get("/mine"), 200);
            json(node.get("/mine"), 200);
            List<Map<String, Object>> chain = blocks(json(node.get("/chain"), 200));
            int payment = proofCoversTheBlock(stage) ? 1 : 0; // after the reward, or before it as in the book
            assertEquals("\ud800 x", ((Map<?, ?>) ((List<?>) chain.get(1).get("transactions")).get(payment)).get("sender"));
            assertChainIsWhole(stage, chain);
        }
    }

    /**
     * The objects without their "id": from B12 on, each must have one, 32 hex digits and none
     * twice; before B12, none has one.
     */
    static List<Map<?, ?>> withoutIds(String stage, Object objects) {
        boolean ids = since("B12").anyMatch(stage::equals);
        List<Map<?, ?>> stripped = new ArrayList<>();
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (Object item : (List<?>) objects) {
            Map<?, ?> object = (Map<?, ?>) item;
            assertEquals(ids, object.containsKey("id"), stage + ": " + object);
            if (ids) assertTrue(TransactionIds.wellFormed(object.get("id")) && seen.add(object.get("id")), object.toString());
            Map<Object, Object> copy = new LinkedHashMap<>(object);
            copy.remove("id");
            stripped.add(copy);
        }
        return stripped;
    }

    // ---- B12 on: transaction ids

    static Stream<String> transactionIds() {
        return since("B12");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transactionIds")
    void aTransactionIdIsAPathOfItsOwnBesideTheLiteralRoutes(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            boolean signed = Wallet.signs(stage); // from B16 on an id is a SHA-256, 64 hex digits
            String payment = signed ? PyJson.dumps(new Wallet(stage, Wallet.MEI).pay(Keys.address(Wallet.HUA), 1, 0))
                    : "{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": 1}";
            String id = (String) json(node.postJson("/transactions/new", payment), 201).get("id");
            Map<String, Object> pending = json(node.get("/transactions/" + id), 200);
            assertEquals("pending", pending.get("status"));
            error(node.get("/transactions/not-an-id"), 400, signed ? "64 lower-case hex digits" : "32 hex digits");
            error(node.get("/transactions/" + "0".repeat(32)), signed ? 400 : 404, signed ? "64 lower-case hex digits" : "no transaction");
            error(node.get("/transactions/" + "0".repeat(signed ? 64 : 32)), 404, "no transaction");
            error(node.get("/transactions/new"), 405, "Method Not Allowed");
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                HttpResponse<String> response = node.call(method, "/transactions/" + id, "{}");
                error(response, 405, "Method Not Allowed");
                assertEquals("GET, HEAD, OPTIONS", response.headers().firstValue("Allow").orElse(""), method);
            }
            HttpResponse<String> head = node.call("HEAD", "/transactions/" + id, null);
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals("GET, HEAD, OPTIONS", node.call("OPTIONS", "/transactions/" + id, null)
                    .headers().firstValue("Allow").orElse(""));
            assertTrue(node.printed().contains("\"GET /transactions/" + id + " HTTP/1.1\" 200 -"), node.printed());
            json(node.get("/mine"), 200);
            assertEquals(2L, json(node.get("/transactions/" + id), 200).get("block"));
        }
    }

    // ---- B14 on: fees and the mempool

    static Stream<String> fees() {
        return since("B14");
    }

    /** From B15 on the mempool has a limit, and projects the blocks to come. */
    static Stream<String> fullPool() {
        return since("B15");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fees")
    void feesPayTheMinerAndThePendingListIsInTheMinersOrder(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            List<String> payments = List.of("{\"sender\": \"a\", \"recipient\": \"b\", \"amount\": 1, \"fee\": 2}",
                    "{\"sender\": \"c\", \"recipient\": \"d\", \"amount\": 1, \"fee\": 5}",
                    "{\"sender\": \"e\", \"recipient\": \"f\", \"amount\": 1}",
                    "{\"sender\": \"e\", \"recipient\": \"f\", \"amount\": 1, \"fee\": 0.5}");
            if (Wallet.signs(stage)) { // 小美 pays with a fee of 2, 大華 of 5, 小美 again of none (B17: from her change); on B17 a fee is in − out
                Wallet mei = new Wallet(stage, Wallet.MEI);
                Wallet hua = new Wallet(stage, Wallet.HUA);
                payments = List.of(PyJson.dumps(mei.pay(hua.address, 1, 2)), PyJson.dumps(hua.pay(mei.address, 1, 5)),
                        PyJson.dumps(mei.pay(hua.address, 1, 0)), PyJson.dumps(mei.pay(hua.address, 1, 0))
                                .replaceFirst(stage.equals("B16") ? "\"fee\": 0\\b" : "\"amount\": 1\\b", stage.equals("B16") ? "\"fee\": 0.5" : "\"amount\": 0.5"));
            }
            for (String payment : payments.subList(0, 3)) json(node.postJson("/transactions/new", payment), 201);
            error(node.postJson("/transactions/new", payments.get(3)), 400, Wallet.signs(stage) && !stage.equals("B16") ? "'amount' must be a whole number" : "'fee' must be a whole number");
            List<?> pending = (List<?>) json(node.get("/transactions/pending"), 200).get("pending");
            assertEquals(List.of(5L, 2L, 0L), pending.stream().map(entry -> ((Map<?, ?>) entry).get("fee")).toList());
            List<Long> projected = fullPool().anyMatch(stage::equals) ? List.of(2L, 2L, 2L) : java.util.Arrays.asList(null, null, null);
            assertEquals(projected, pending.stream().map(entry -> ((Map<?, ?>) entry).get("projected_block")).toList(),
                    "B15 projects them all for block 2, the next; B14 does not project");
            List<?> mined = (List<?>) json(node.get("/mine"), 200).get("transactions");
            Map<?, ?> reward = (Map<?, ?>) mined.get(0);
            Object amount = !stage.equals("B16") && Wallet.signs(stage) ? ((Map<?, ?>) ((List<?>) reward.get("outputs")).get(0)).get("amount") : reward.get("amount");
            assertEquals(8L, amount, "the reward: 1 plus the fees 5, 2 and 0");
            assertEquals(List.of(), json(node.get("/transactions/pending"), 200).get("pending"));
            assertChainIsWhole(stage, blocks(json(node.get("/chain"), 200)));
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> blocks(Map<String, Object> chainAnswer) {
        return (List<Map<String, Object>>) chainAnswer.get("chain");
    }

    /**
     * Indices 1..n in order, each previous_hash the hash of the block before, each nonce a valid
     * proof: of the book's puzzle, or from B13 on, the block's own hash.
     */
    static void assertChainIsWhole(String stage, List<Map<String, Object>> chain) {
        for (int i = 0; i < chain.size(); i++) {
            Map<String, Object> block = chain.get(i);
            assertEquals(List.of("index", "nonce", "previous_hash", "timestamp", "transactions"),
                    List.copyOf(block.keySet()));
            assertEquals((long) i + 1, block.get("index"), "block " + (i + 1) + " is in its place");
            if (i == 0) {
                assertEquals(1L, block.get("previous_hash"), "the book's genesis block");
                continue;
            }
            Map<String, Object> previous = chain.get(i - 1);
            assertEquals(Sha256.hex(PyJson.dumps(previous)), block.get("previous_hash"), "block " + (i + 1));
            String guess = proofCoversTheBlock(stage) ? PyJson.dumps(block) : previous.get("nonce") + "" + block.get("nonce");
            assertTrue(Sha256.hex(guess).startsWith("0000"), "block " + (i + 1) + " has a valid nonce");
        }
    }

    static HttpRequest.BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // No length known in advance, so the body goes out in chunks, without Content-Length.
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }
}

package bitvillage.util.web;

import bitvillage.testing.Http;
import bitvillage.util.cli.World;
import bitvillage.util.guard.NodeAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link WebApp} does for every web stage, on a small app of the test's own: how it answers a
 * bug and a body it cannot read, what it lists for "/", and that the guard against web pages lets
 * through everything that is not one (curl, Postman and newman, another villager on the network,
 * the node's own pages).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebAppTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final World world = World.fixed(new PrintStream(printed, true, StandardCharsets.UTF_8));

    private WebApp app() {
        return new WebApp("127.0.0.1", 0, world)
                .get("/chain", request -> WebApp.Reply.json(200, Map.of("length", 1)))
                .post("/nodes/register", request -> WebApp.Reply.json(200, WebApp.jsonObject(request)))
                .get("/bug", request -> {
                    throw new IllegalStateException("a bug of ours");
                })
                .get("/huge", request -> {
                    throw new OutOfMemoryError("Java heap space");
                });
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return Http.send(request.build());
    }

    private static HttpRequest.Builder request(WebApp app, String path) {
        return Http.request(app.url() + path);
    }

    private static String error(HttpResponse<String> response, int status) {
        return Http.error(response, status, "");
    }

    @Test
    void aBugsTraceGoesToTheNodesOwnLogAndTheClientGetsAPlain500() throws Exception {
        try (WebApp app = app().start()) {
            assertEquals("Internal Server Error", error(send(request(app, "/bug")), 500));
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Exception on /bug [GET]\n"
                    + "java.lang.IllegalStateException: a bug of ours\n\tat "), printed.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void runningOutOfMemoryIsA503AndALineInTheLog() throws Exception {
        try (WebApp app = app().start()) {
            assertTrue(error(send(request(app, "/huge")), 503).contains("out of memory"));
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Out of memory on /huge [GET]; answered 503"),
                    printed.toString(StandardCharsets.UTF_8));
        }
    }

    /** A stage may declare a pattern before the literal path beside it: the literal path still wins. */
    @Test
    void aLiteralPathIsFoundBeforeAPatternAndAPatternKnowsItsMethods() throws Exception {
        WebApp app = new WebApp("127.0.0.1", 0, world)
                .get("/transactions/:id", request -> WebApp.Reply.json(200, Map.of("id", request.params(":id"))))
                .post("/transactions/new", request -> WebApp.Reply.json(201, Map.of("message", "queued")));
        try (app) {
            app.start();
            HttpResponse<String> paid = send(request(app, "/transactions/new").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(201, paid.statusCode(), paid.body());
            assertEquals("{\n  \"id\": \"abc\"\n}\n", send(request(app, "/transactions/abc")).body());
            HttpResponse<String> traced = send(request(app, "/transactions/abc").method("TRACE", HttpRequest.BodyPublishers.noBody()));
            assertTrue(error(traced, 405).contains("this route answers GET"), traced.body());
            assertEquals("GET, HEAD, OPTIONS", traced.headers().firstValue("Allow").orElse(""));
            assertEquals(405, send(request(app, "/transactions/new")).statusCode(), "GET on the literal path");
            error(send(request(app, "/transactions/")), 404);
        }
    }

    @Test
    void anEmptyBodySaysSoAndShowsWhatToSend() throws Exception {
        try (WebApp app = app().start()) {
            String message = error(send(request(app, "/nodes/register").POST(HttpRequest.BodyPublishers.noBody())), 400);
            assertTrue(message.contains("it is empty") && message.contains("-d '{\"key\": \"value\"}'"), message);
        }
    }

    @Test
    void aBodyInPythonsQuotesSaysJsonNeedsDoubleQuotes() throws Exception {
        try (WebApp app = app().start()) {
            String message = error(send(request(app, "/nodes/register")
                    .POST(HttpRequest.BodyPublishers.ofString("{'nodes': ['http://127.0.0.1:5002']}"))), 400);
            assertTrue(message.contains("double quotes (\"nodes\")") && message.contains("('nodes')"), message);
        }
    }

    @Test
    void theRootOfAnAppWithoutARouteThereListsTheRoutes() throws Exception {
        try (WebApp app = app().start()) {
            assertEquals("Not Found: no route /; this node's routes are GET /chain, POST /nodes/register, GET /bug, GET /huge",
                    error(send(request(app, "/")), 404));
            assertEquals("Not Found: no route /nowhere", error(send(request(app, "/nowhere")), 404));
        }
    }

    @Test
    void whatNoWebPageSendsIsServed() throws Exception {
        try (WebApp app = app().start()) {
            String own = "http://127.0.0.1:" + app.port();
            // A page the node serves itself, and browsers' marks for what no other site sent.
            assertEquals(200, send(request(app, "/chain").header("Origin", own)).statusCode());
            assertEquals(200, send(request(app, "/chain").header("Origin", own.toUpperCase(java.util.Locale.ROOT))).statusCode());
            assertEquals(200, send(request(app, "/chain").header("Sec-Fetch-Site", "none")).statusCode());
            assertEquals(200, send(request(app, "/chain").header("Sec-Fetch-Site", "same-origin")).statusCode());
            // A node asked by any of its addresses or by localhost: another villager on the network, a reader.
            for (String host : new String[] {"localhost:" + app.port(), "LocalHost", "192.168.1.20:5000", "10.0.0.7",
                    "[::1]:" + app.port(), "[fe80::1]:5000", "[::ffff:127.0.0.1]:5000"}) {
                assertTrue(raw(app, host).startsWith("HTTP/1.1 200 "), host);
            }
            // Names that are no address are refused, however close to one.
            for (String host : new String[] {"evil.example:5000", "127.0.0.1.evil.example", "localhost.evil.example",
                    "1.2.3.4.5", "[::1%lo]", "[evil.example]:5000", "999.1.1.1"}) {
                assertTrue(raw(app, host).startsWith("HTTP/1.1 403 "), host);
            }
            // A page of another port of this computer is another origin: same-site, not same-origin.
            assertEquals(403, send(request(app, "/chain").header("Sec-Fetch-Site", "same-site")).statusCode());
            assertEquals(403, send(request(app, "/chain").header("Origin", "http://127.0.0.1:8080")).statusCode());
            assertEquals(403, send(request(app, "/chain").header("Origin", "https://127.0.0.1:" + app.port())).statusCode());
        }
    }

    /**
     * The Host guard and the list of neighbours read host literals alike ({@link HostLiteral}): an
     * address in any spelling the system's resolver reads is let in, and listed as that address; a
     * host meant as an address that is none is refused by both.
     */
    @Test
    void theHostGuardAndTheNeighbourListAgreeOnWhatIsAnAddress() throws Exception {
        Map<String, String> addresses = Map.of(
                "2130706433", "http://127.0.0.1:5002",
                "0x7f.1", "http://127.0.0.1:5002",
                "0177.0.0.1", "http://127.0.0.1:5002",
                "127.1", "http://127.0.0.1:5002",
                "0", "http://127.0.0.1:5002",
                "[::ffff:7f00:1]", "http://127.0.0.1:5002",
                "[0:0:0:0:0:0:0:1]", "http://[::1]:5002");
        try (WebApp app = app().start()) {
            for (Map.Entry<String, String> address : addresses.entrySet()) {
                assertTrue(raw(app, address.getKey() + ":5002").startsWith("HTTP/1.1 200 "), address.getKey());
                assertEquals(address.getValue(), NodeAddress.normalise(address.getKey() + ":5002"), address.getKey());
            }
            for (String none : List.of("999.1.1.1", "1.2.3.4.5", "4294967296", "08.0.0.1", "example.0x7f", "[::1%lo]")) {
                assertTrue(raw(app, none + ":5002").startsWith("HTTP/1.1 403 "), none);
                assertThrows(IllegalArgumentException.class, () -> NodeAddress.normalise(none + ":5002"), none);
            }
        }
    }

    /** GET /chain asked with this Host header. */
    private static String raw(WebApp app, String host) throws Exception {
        return Http.raw(app.port(), "GET /chain HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }
}

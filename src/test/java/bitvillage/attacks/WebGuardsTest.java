package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitvillage.BitVillage;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on a node's web layer (issue 8, findings 2, 4 and 8), each on loopback against a real
 * node, each bounded in time. A deadline here is generous: it checks that the node answers, not
 * how fast; the figures a test prints are for the record.
 */
class WebGuardsTest {
    private static final String PAYMENT = "{\"sender\": \"victim\", \"recipient\": \"mallory\", \"amount\": 1000}";

    /**
     * Finding 2: 250 clients each send a request head and then one body byte every 10 s. Each such
     * request used to hold one of Jetty's 200 threads for as long as its client kept sending, and
     * the node answered nobody else.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoHundredFiftySlowBodiesLeaveThreadsForEveryoneElse() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (WebNode node = new WebNode("B10");
                Socket keptAlive = new Socket(InetAddress.getLoopbackAddress(), node.app.port())) {
            // An honest client whose body arrives a moment after its head, on a connection it keeps.
            keptAlive.setSoTimeout(60_000);
            String head = "POST /transactions/new HTTP/1.1\r\nHost: " + node.authority()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + PAYMENT.length() + "\r\n\r\n";
            keptAlive.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(300);
            keptAlive.getOutputStream().write(PAYMENT.getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(keptAlive).startsWith("HTTP/1.1 201 "), "an honest payment, before the attack");

            for (int i = 0; i < 250; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.app.port());
                slow.add(socket);
                socket.getOutputStream().write(("POST /transactions/new HTTP/1.1\r\nHost: " + node.authority()
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            long attackStart = System.nanoTime();
            trickle.scheduleAtFixedRate(() -> slow.forEach(socket -> {
                try {
                    socket.getOutputStream().write(' ');
                } catch (IOException closedByTheNode) {
                    // the node gave up on this one: what it should do
                }
            }), 10, 10, TimeUnit.SECONDS);
            Thread.sleep(1000); // time for the node to take up all 250

            long asked = System.nanoTime();
            HttpResponse<String> chain = node.send(node.request("/chain").timeout(Duration.ofSeconds(30)).build());
            long chainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
            assertEquals(200, chain.statusCode(), chain.body());
            HttpResponse<String> payment = node.send(node.request("/transactions/new")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(PAYMENT)).build());
            assertEquals(201, payment.statusCode(), "an honest payment during the attack: " + payment.body());

            // Every slow client is answered, at once (503: too many bodies arriving) or at its body's
            // deadline (408), or dropped; none keeps a thread. 40 s is four times that deadline.
            int refused = 0;
            int timedOut = 0;
            for (Socket socket : slow) {
                long left = TimeUnit.SECONDS.toMillis(40) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attackStart);
                socket.setSoTimeout((int) Math.max(1, left));
                String answer;
                try {
                    answer = readResponse(socket);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a slow client still held the node 40 s after the attack began");
                } catch (IOException reset) {
                    answer = "";
                }
                if (answer.startsWith("HTTP/1.1 503 ")) refused++;
                else if (answer.startsWith("HTTP/1.1 408 ")) timedOut++;
                else assertEquals("", answer, "a slow client is answered 503 or 408, or dropped");
            }
            long allDoneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attackStart);

            // The connection kept alive was silent all this while, longer than a body may take: it still serves.
            keptAlive.getOutputStream().write(("GET /chain HTTP/1.1\r\nHost: " + node.authority() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(keptAlive).startsWith("HTTP/1.1 200 "), "a connection silent between requests stays open");

            System.out.printf("slow bodies: 250 open; GET /chain answered in %d ms; %d refused at once (503),"
                    + " %d timed out (408), %d dropped; all slow clients done after %.1f s%n",
                    chainMillis, refused, timedOut, slow.size() - refused - timedOut, allDoneMillis / 1000.0);
        } finally {
            trickle.shutdownNow();
            for (Socket socket : slow) socket.close();
        }
    }

    /**
     * Finding 4: a page on another site POSTs a payment as text/plain, which a browser sends
     * without asking the node first (no CORS preflight); the book's Flask answers it 415, ours took it.
     * A page with no origin of its own (a sandboxed frame, a file:// page) sends {@code Origin: null}.
     */
    @ParameterizedTest(name = "Origin: {0}")
    @ValueSource(strings = {"http://evil.example", "null"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPaymentPostedByAnotherSitesPageIsRefused(String origin) throws Exception {
        try (WebNode node = new WebNode("B10")) {
            HttpResponse<String> response = node.send(node.request("/transactions/new")
                    .header("Origin", origin).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(PAYMENT)).build());
            Http.error(response, 403, "Origin: " + origin);
            assertNoPaymentWasTaken(node);
        }
    }

    /** Finding 4: {@code <img src="http://127.0.0.1:5000/mine">} on any site mines; it sends no Origin, but Sec-Fetch-Site. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anImageOnAnotherSitesPageDoesNotMine() throws Exception {
        try (WebNode node = new WebNode("B10")) {
            HttpResponse<String> response = node.send(node.request("/mine").header("Sec-Fetch-Site", "cross-site")
                    .header("Sec-Fetch-Mode", "no-cors").header("Sec-Fetch-Dest", "image").GET().build());
            Http.error(response, 403, "Sec-Fetch-Site: cross-site");
            assertEquals(1, node.chain().size(), "nothing was mined");
        }
    }

    /**
     * Finding 4: DNS rebinding. A page at evil.example:5000 makes its name point to 127.0.0.1; its
     * scripts then count as the node's own origin, and only the Host header tells.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRequestForAnotherSitesNameIsRefused() throws Exception {
        try (WebNode node = new WebNode("B10")) {
            String rebound = "evil.example:" + node.app.port();
            String mine = node.raw("GET /mine HTTP/1.1\r\nHost: " + rebound + "\r\nOrigin: http://" + rebound
                    + "\r\nConnection: close\r\n\r\n");
            assertTrue(mine.startsWith("HTTP/1.1 403 "), mine);
            assertTrue(mine.contains("\r\nContent-Type: application/json\r\n"), mine);
            assertTrue(mine.contains("(Host: " + rebound + ")"), mine);
            String chain = node.raw("GET /chain HTTP/1.1\r\nHost: " + rebound + "\r\nConnection: close\r\n\r\n");
            assertTrue(chain.startsWith("HTTP/1.1 403 "), "nor may the page read the chain: " + chain);
            assertEquals(1, node.chain().size(), "nothing was mined");
        }
    }

    /** Finding 8: spellings of /chain that Jetty reads as /chain and Spark does not; a GET answered "this route answers GET". */
    @ParameterizedTest
    @ValueSource(strings = {"/./chain", "/%63hain", "/chain;x=1"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anotherSpellingOfChainIsNotAnsweredMethodNotAllowed(String path) throws Exception {
        try (WebNode node = new WebNode("B10")) {
            String answer = node.raw("GET " + path + " HTTP/1.1\r\nHost: " + node.authority() + "\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 ") || answer.startsWith("HTTP/1.1 404 "), answer);
            assertTrue(answer.contains("\r\nContent-Type: application/json\r\n"), answer);
            assertFalse(answer.contains("Method Not Allowed"), answer);
        }
    }

    /** Finding 8: CONNECT asks the node to be a proxy; Spark failed on its target and answered 500, unlogged. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void connectIsRefused405AndLogged() throws Exception {
        try (WebNode node = new WebNode("B10")) {
            String answer = node.raw("CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 405 "), answer);
            assertTrue(answer.contains("\r\nContent-Type: application/json\r\n"), answer);
            assertTrue(answer.contains("a node is none"), answer);
            assertTrue(node.printed().contains("\"CONNECT 127.0.0.1:80 HTTP/1.1\" 405 -"), node.printed());
        }
    }

    /** Finding 8: with --host ::1 the node printed http://::1:5000/, which is no URL. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anIpv6HostIsPrintedInBrackets() throws Exception {
        assumeTrue(ipv6Loopback(), "this computer has no IPv6 loopback");
        try (WebNode node = new WebNode("B3", "--host", "::1")) {
            assertTrue(node.printed().contains(" * Running on http://[::1]:" + node.app.port() + "/ "), node.printed());
            assertEquals("http://[::1]:" + node.app.port(), node.app.url());
            assertEquals("Hello Spark!", node.get("/").body(), "and the URL it prints works");
        }
    }

    /** Finding 8: a taken port was reported only after the stage had printed its whole chain. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTakenPortIsReportedBeforeTheStagePrintsAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            World world = World.fixed(new PrintStream(printed, true, StandardCharsets.UTF_8));
            WebApp.CannotListen refused = assertThrows(WebApp.CannotListen.class, () ->
                    BitVillage.launch(new String[] {"B10", "--port", Integer.toString(taken.getLocalPort())}, world));
            assertTrue(refused.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()), refused.getMessage());
            assertEquals("", printed.toString(StandardCharsets.UTF_8), "nothing printed before the port was found taken");
        }
    }

    /**
     * Issue 17, finding 11: Spark reads {@code X-HTTP-Method-Override} and runs the route of the
     * method it names, so a GET (an image on any page, a link) became a POST of a payment or of a
     * neighbour. The node refuses such a request, whatever method it names; a GET stays a GET.
     */
    @ParameterizedTest(name = "GET {0} with X-HTTP-Method-Override: POST")
    @ValueSource(strings = {"/transactions/new", "/nodes/register"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMethodOverrideHeaderIsRefused(String path) throws Exception {
        try (WebNode node = new WebNode("B10")) {
            String body = path.equals("/nodes/register") ? "{\"nodes\": [\"127.0.0.1:5999\"]}" : PAYMENT;
            String answer = node.raw("GET " + path + " HTTP/1.1\r\nHost: " + node.authority()
                    + "\r\nX-HTTP-Method-Override: POST\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            System.out.println("GET " + path + " with X-HTTP-Method-Override: POST: " + answer.lines().findFirst().orElse(""));
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("\r\nContent-Type: application/json\r\n"), answer);
            assertTrue(answer.contains("X-HTTP-Method-Override"), answer);
            assertNoPaymentWasTaken(node);
            assertEquals(List.of(), Http.json(node.get("/nodes/resolve"), 200).get("neighbours"), "no neighbour was added");
        }
    }

    /**
     * Issue 17, finding 13: what Jetty 9.4 lets through by default, and the node then acted on: a
     * method in small letters (Jetty read {@code get} as GET, and the node mined), a second Host
     * header (only the first was checked), and a body whose Transfer-Encoding says gzip, read as if
     * it were plain. Each is a 400, and nothing is done.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lower-case method", "two Host headers", "Transfer-Encoding: gzip, chunked"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jettysLeniencyIsRefused400(String leniency) throws Exception {
        try (WebNode node = new WebNode("B10")) {
            String close = "Connection: close\r\n";
            String request = switch (leniency) {
                case "lower-case method" -> "get /mine HTTP/1.1\r\nHost: " + node.authority() + "\r\n" + close + "\r\n";
                case "two Host headers" -> "GET /mine HTTP/1.1\r\nHost: " + node.authority() + "\r\nHost: evil.example:"
                        + node.app.port() + "\r\n" + close + "\r\n";
                default -> "POST /transactions/new HTTP/1.1\r\nHost: " + node.authority()
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n" + close + "\r\n"
                        + Integer.toHexString(PAYMENT.length()) + "\r\n" + PAYMENT + "\r\n0\r\n\r\n";
            };
            String answer = node.raw(request);
            System.out.println(leniency + ": " + answer.lines().findFirst().orElse(""));
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("\r\nContent-Type: application/json\r\n"), answer);
            assertEquals(1, node.chain().size(), "nothing was mined");
            assertNoPaymentWasTaken(node);
            // And the strict spellings still work.
            assertTrue(node.raw("GET /chain HTTP/1.1\r\nHost: " + node.authority() + "\r\n" + close + "\r\n")
                    .startsWith("HTTP/1.1 200 "));
            assertTrue(node.raw("POST /transactions/new HTTP/1.1\r\nHost: " + node.authority()
                    + "\r\nTransfer-Encoding: chunked\r\n" + close + "\r\n" + Integer.toHexString(PAYMENT.length()) + "\r\n"
                    + PAYMENT + "\r\n0\r\n\r\n").startsWith("HTTP/1.1 201 "), "a chunked body is read as ever");
        }
    }

    /** The next block holds the miner's reward alone: the refused payment is nowhere. */
    /**
     * Issue 17, item 14: a crowd of honest clients at once (300 payments in ManyVillagersTest) overflowed
     * Java's listen backlog of 50; the kernel fell back to SYN cookies, and about one run in ten lost a
     * connection to a reset before the node read a byte of it ("header parser received no bytes"). The
     * kernel's own figure for the node's listening socket (the Send-Q that {@code ss} shows) says how
     * many connections it will queue.
     */
    @Test
    void theKernelQueuesACrowdOfConnectionsForTheNode() throws Exception {
        try (WebNode node = new WebNode("B8")) {
            Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + node.app.port()).redirectErrorStream(true).start();
            String listening = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, ss.waitFor(), "ss (Debian's iproute2) lists listening sockets: " + listening);
            String[] columns = listening.split("\\s+");
            assertEquals("LISTEN", columns[0], listening);
            System.out.println("connections the kernel queues for the node: " + columns[2]);
            assertTrue(Integer.parseInt(columns[2]) >= 1000, "the node's listen backlog: " + listening);
        }
    }

    private static void assertNoPaymentWasTaken(WebNode node) throws Exception {
        HttpResponse<String> mined = node.get("/mine");
        List<?> transactions = (List<?>) Http.json(mined, 200).get("transactions");
        assertEquals(1, transactions.size(), mined.body());
        assertEquals("0", ((Map<?, ?>) transactions.get(0)).get("sender"), mined.body());
        assertNotEquals("mallory", ((Map<?, ?>) transactions.get(0)).get("recipient"), mined.body());
    }

    /** One HTTP/1.1 response: its head, and as much of its body as its Content-Length or chunks say; "" at once on EOF. */
    static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n") && (b = in.read()) != -1) bytes.write(b);
        String head = bytes.toString(StandardCharsets.ISO_8859_1);
        if (!head.endsWith("\r\n\r\n")) return head;
        String lower = head.toLowerCase(Locale.ROOT);
        int length = lower.indexOf("\r\ncontent-length: ");
        if (length >= 0) {
            int end = lower.indexOf("\r\n", length + 2);
            in.readNBytes(Integer.parseInt(head.substring(length + 18, end).trim()));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n") && (b = in.read()) != -1) {
                bytes.write(b);
            }
        }
        return head;
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}

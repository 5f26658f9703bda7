package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.BitVillage;
import bitvillage.testing.Http;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks on the explorer's server (issue 17, items 7 and 12): it passes the page's requests on to
 * its villagers, so a villager that misbehaves, or a visitor's odd query, must not hold it or break it.
 */
class ExplorerAttacksTest {

    private static AutoCloseable explorer(String node) throws Exception {
        return BitVillage.launch(new String[] {"explorer", "--port", "0", "--node", node},
                new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex));
    }

    private static String ask(AutoCloseable explorer, String node, String path) {
        return ((WebApp) explorer).url() + "/api/ask?node=" + URLEncoder.encode(node, StandardCharsets.UTF_8) + "&path=" + path;
    }

    /**
     * Item 7: a villager sends its answer's head, then one byte every half second, for ever. HttpClient's
     * timeout bounds only the head; the explorer used to hold /api/ask open as long as the bytes came.
     * Now it answers 504 within 10 s, in JSON that quotes none of the villager's bytes.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTricklingVillagerGetsA504WithinTenSeconds() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread trickler = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        socket.getInputStream().read(new byte[4096]);
                        OutputStream out = socket.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
                                + "{\"chain\": SECRET").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        for (int i = 0; i < 240; i++) {
                            Thread.sleep(500);
                            out.write('x');
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // the explorer let go, or the test ended: wait for the next one
                    }
                }
            });
            trickler.setDaemon(true);
            trickler.start();
            String node = "http://127.0.0.1:" + server.getLocalPort();
            try (AutoCloseable explorer = explorer(node)) {
                long start = System.nanoTime();
                HttpResponse<String> answer = Http.get(ask(explorer, node, "/chain"));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("explorer: a trickling villager got a %d after %.1f s%n", answer.statusCode(), seconds);
                String message = Http.error(answer, 504, "villager A");
                assertTrue(seconds < 10, "answered after " + seconds + " s");
                assertFalse(message.contains("SECRET") || message.contains("xx"), message);
            }
        }
    }

    /**
     * Issue 19: the explorer verifies what a villager's chain holds, so whatever shape a "payment" has
     * (numbers past a long, upper-case hex, a key off the curve, lists, nesting) it gets a verdict, never a 500.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPaymentOfAnyShapeGetsAVerdictNeverAnError() throws Exception {
        String address = "f".repeat(64); // no point of the curve has this x
        String signature = "0".repeat(128);
        String fields = "\"recipient\": \"" + address + "\", \"fee\": 0, \"sequence\": 1, \"signature\": \"" + signature + "\"";
        String payments = "[{\"sender\": \"" + address + "\", \"amount\": 1, " + fields + "},"
                + " {\"sender\": \"" + address + "\", \"amount\": 123456789012345678901234567890, " + fields + "},"
                + " {\"sender\": \"" + address.toUpperCase(java.util.Locale.ROOT) + "\", \"amount\": 1.5e300, " + fields + "},"
                + " {\"sender\": [[[[]]]], \"amount\": null, " + fields + "}, {}, [], null, 1e999]";
        try (AutoCloseable explorer = explorer("127.0.0.1:1")) { // no villager is asked: the page sends the payments
            HttpResponse<String> answer = Http.postJson(((WebApp) explorer).url() + "/api/signatures", "{\"payments\": " + payments + "}");
            java.util.List<?> verdicts = (java.util.List<?>) Http.json(answer, 200).get("verdicts");
            assertEquals("not verified", ((java.util.Map<?, ?>) verdicts.get(0)).get("verdict"), "a key off the curve verifies nothing");
            for (Object verdict : verdicts.subList(1, verdicts.size())) {
                assertEquals("not a signed payment", ((java.util.Map<?, ?>) verdict).get("verdict"), answer.body());
            }
        }
    }

    /**
     * B17: the page sends a transaction and the transactions that made the coins it spends, as a
     * villager's chain holds them; whatever their shape (an index past a long or below 0, a txid of
     * markup, outputs that are no list, a "spent" that is no list, nesting) each gets a verdict, never a 500.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCoinTransactionOfAnyShapeGetsAVerdictNeverAnError() throws Exception {
        String hex = "a".repeat(64);
        String signature = "0".repeat(128);
        String input = "{\"txid\": \"" + hex + "\", \"index\": %s, \"signature\": \"" + signature + "\"}";
        String output = "{\"address\": \"" + "f".repeat(64) + "\", \"amount\": %s}";
        String maker = "{\"id\": \"" + hex + "\", \"inputs\": [], \"outputs\": [" + output.formatted("1") + "], \"height\": 1}";
        String asks = "["
                + "{\"transaction\": {\"id\": \"" + hex + "\", \"inputs\": [" + input.formatted("0") + "], \"outputs\": [" + output.formatted("1")
                + "]}, \"spent\": [" + maker + "]},"
                + " {\"transaction\": {\"inputs\": [" + input.formatted("123456789012345678901234567890") + "], \"outputs\": [" + output.formatted("1") + "]},"
                + " \"spent\": [[[[]]]]},"
                + " {\"transaction\": {\"inputs\": [" + input.formatted("-1") + "], \"outputs\": [" + output.formatted("1e999") + "]}, \"spent\": \"all\"},"
                + " {\"transaction\": {\"inputs\": [{\"txid\": \"<script>\", \"index\": 0, \"signature\": null}], \"outputs\": {}}},"
                + " {\"transaction\": {\"inputs\": [], \"outputs\": [" + output.formatted("1") + "], \"height\": 1.5}},"
                + " {\"transaction\": {\"inputs\": [], \"outputs\": [" + output.formatted("1") + "], \"height\": 1}, \"spent\": [1, 2]},"
                + " {\"transaction\": [], \"spent\": []}, {}, [], null, 1e999]";
        try (AutoCloseable explorer = explorer("127.0.0.1:1")) { // no villager is asked: the page sends the transactions
            HttpResponse<String> answer = Http.postJson(((WebApp) explorer).url() + "/api/coin-signatures", "{\"transactions\": " + asks + "}");
            java.util.List<?> verdicts = (java.util.List<?>) Http.json(answer, 200).get("verdicts");
            java.util.List<Object> said = verdicts.stream().<Object>map(verdict -> ((java.util.Map<?, ?>) verdict).get("verdict")).toList();
            assertEquals(java.util.List.of("not verified", "not a coin transaction", "not a coin transaction", "not a coin transaction",
                    "not a coin transaction", "not verified", "not a coin transaction", "not a coin transaction", "not a coin transaction",
                    "not a coin transaction", "not a coin transaction"), said, answer.body());
        }
    }

    /** Item 12: an etag holding CR/LF used to reach the villager's request and end in a 500; now a 400. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anEtagWithALineBreakIsA400() throws Exception {
        try (WebApp node = new WebApp("127.0.0.1", 0, new World(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                World::pythonTime, World::uuid4Hex)).get("/chain", request -> WebApp.Reply.json(200, java.util.Map.of("chain", java.util.List.of()))).start();
             AutoCloseable explorer = explorer(node.url())) {
            for (String etag : new String[] {"%22a%22%0D%0AX-Evil:%201", "%22a%22%0Ab", "a%0D", "%20"}) {
                HttpResponse<String> answer = Http.get(ask(explorer, node.url(), "/chain") + "&etag=" + etag);
                Http.error(answer, 400, "etag");
            }
            assertEquals(200, Http.get(ask(explorer, node.url(), "/chain") + "&etag=%22abc%22").statusCode());
        }
    }
}

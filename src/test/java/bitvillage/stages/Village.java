package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.testing.Http;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real B10 nodes on free ports in this JVM, stub neighbours, and what a villager asks of them.
 * All nodes of one village read one clock that ticks a millisecond per reading, so every block
 * has a timestamp of its own and which block is earlier never depends on the machine's speed.
 * Close the village to stop them all.
 */
final class Village implements AutoCloseable {
    private final AtomicLong ticks = new AtomicLong();
    private final List<AutoCloseable> servers = new ArrayList<>();

    /** A B10 node on a free port: {@code --port 0} plus the given options. */
    WebApp node(String... options) {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(List.of(options));
        WebApp node = B10Consensus.start(Options.parse(args.toArray(String[]::new), B10Consensus.OPTIONS), world());
        servers.add(node);
        return node;
    }

    /** A world that prints nowhere, reads the village clock and makes random node ids. */
    World world() {
        return new World(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                () -> 1_800_000_000.0 + ticks.incrementAndGet() / 1000.0, World::uuid4Hex);
    }

    /** A neighbour that answers {@code GET /chain} with this status and body, as bytes. */
    String stub(int status, byte[] body) throws IOException {
        return stub(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    String stub(int status, String body) throws IOException {
        return stub(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A neighbour whose {@code /chain} does what the handler does; answers its address. */
    String stub(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/chain", handler);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "stub neighbour");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        servers.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stops every node and stub; a node that fails to stop fails the test. */
    @Override
    public void close() {
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop " + server, e);
            }
        }
    }

    // What a villager does, through the tests' one HTTP client.

    static Map<String, Object> get(WebApp node, String path) throws Exception {
        return Http.json(Http.get(node, path), 200);
    }

    /** A POST of {@code body} as JSON, whatever it is answered. */
    static Map<String, Object> post(WebApp node, String path, Object body) throws Exception {
        return Http.json(Http.post(node, path, body));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> chain(WebApp node) throws Exception {
        return (List<Map<String, Object>>) get(node, "/chain").get("chain");
    }

    static void mine(WebApp node, int times) throws Exception {
        for (int i = 0; i < times; i++) get(node, "/mine");
    }

    static void register(WebApp node, String... neighbours) throws Exception {
        Map<String, Object> answer = post(node, "/nodes/register", Map.of("nodes", List.of(neighbours)));
        assertEquals("New nodes have been added", answer.get("message"), answer.toString());
    }

    static void send(WebApp node, String sender, String recipient, Object amount) throws Exception {
        Map<String, Object> transaction = new java.util.LinkedHashMap<>();
        transaction.put("sender", sender);
        transaction.put("recipient", recipient);
        transaction.put("amount", amount);
        post(node, "/transactions/new", transaction);
    }

    static Map<String, Object> resolve(WebApp node) throws Exception {
        return get(node, "/nodes/resolve");
    }

    /** The outcome resolve reported for one neighbour. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> outcome(Map<String, Object> resolution, String neighbour) {
        for (Object entry : (List<Object>) resolution.get("neighbours")) {
            Map<String, Object> outcome = (Map<String, Object>) entry;
            if (outcome.get("node").equals(neighbour)) return outcome;
        }
        throw new AssertionError("no outcome for " + neighbour + " in " + resolution);
    }
}

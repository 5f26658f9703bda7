package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.cli.World;
import bitvillage.util.client.HttpFetch;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A stage started as a reader starts it ({@code java -jar target/bitvillage.jar B7 --port 0}), but
 * in this JVM and the repeatable world, with what it prints kept for the test to read; and the
 * requests a test sends it, over real HTTP.
 */
final class WebNode implements AutoCloseable {
    static final HttpClient HTTP = HttpFetch.client(Duration.ofSeconds(30));

    final String stage;
    final WebApp app;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    WebNode(String stage) throws Exception {
        this(stage, new String[0]);
    }

    /** The stage with more options after {@code --port 0}. */
    WebNode(String stage, String... options) throws Exception {
        this.stage = stage;
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of(stage, "--port", "0"));
        args.addAll(List.of(options));
        this.app = (WebApp) BitVillage.launch(args.toArray(String[]::new), World.fixed(out));
    }

    /** Everything the node printed so far: its start-up lines and the access log. */
    String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The request line and headers exactly as written, over a plain socket: for what HttpClient refuses to send. */
    String raw(String requestHead) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(120));
    }

    /** Sends a request; whatever it is, a node must never answer 500. */
    HttpResponse<String> send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertNotEquals(500, response.statusCode(), stage + " " + request + " answered 500: " + response.body());
        return response;
    }

    CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    /** A method with an optional body, sent without any Content-Type, as a careless client does. */
    HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        return send(request(path).method(method, publisher).build());
    }

    /** A POST with a JSON body and the content type Postman users are told to set. */
    HttpResponse<String> postJson(String path, String json) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /** The JSON object a response carries, after checking its status and its Content-Type. */
    static Map<String, Object> json(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.uri() + ": " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""),
                response.uri() + " answers JSON, and must say so");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) PyJson.loads(response.body());
        return object;
    }

    /** A 4xx JSON error whose message mentions {@code mentions}; answers the message. */
    static String error(HttpResponse<String> response, int status, String mentions) {
        Map<String, Object> body = json(response, status);
        assertEquals(List.of("error"), List.copyOf(body.keySet()), response.body());
        String message = (String) body.get("error");
        assertTrue(message.contains(mentions), "the error should mention '" + mentions + "': " + message);
        return message;
    }

    @Override
    public void close() {
        app.close();
    }
}

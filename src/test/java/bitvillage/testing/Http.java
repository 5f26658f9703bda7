package bitvillage.testing;

import bitvillage.util.client.HttpFetch;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests' one HTTP client: requests as curl, Postman or a neighbour sends them, over real HTTP,
 * and their answers read as JSON. Every wait has a generous deadline: tests check what a node
 * answers, never how fast.
 */
public final class Http {
    private Http() {}

    /** HTTP/1.1, as our nodes speak it; each test's requests share it. */
    public static final HttpClient CLIENT = HttpFetch.client(Duration.ofSeconds(60));

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(120);

    /** A request to {@code url}, to add a method, headers and a body to. */
    public static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_WITHIN);
    }

    public static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public static HttpResponse<String> get(String url) throws Exception {
        return send(request(url).GET().build());
    }

    public static HttpResponse<String> get(WebApp node, String path) throws Exception {
        return get(node.url() + path);
    }

    /** A method with an optional body, sent without any Content-Type, as a careless client does. */
    public static HttpResponse<String> call(String method, String url, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        return send(request(url).method(method, publisher).build());
    }

    /** A POST of {@code body} written as JSON, without a Content-Type, as the book's readers send it with curl -d. */
    public static HttpResponse<String> post(WebApp node, String path, Object body) throws Exception {
        return call("POST", node.url() + path, PyJson.dumps(body));
    }

    /** A POST with a JSON body and the content type Postman users are told to set. */
    public static HttpResponse<String> postJson(String url, String json) throws Exception {
        return send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /** A request written byte for byte over a socket, for what HttpClient will not send; answers the whole response. */
    public static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The JSON object an answer carries, whatever its status. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> json(HttpResponse<String> response) {
        return (Map<String, Object>) PyJson.loads(response.body());
    }

    /** The JSON object a response carries, after checking its status and its Content-Type. */
    public static Map<String, Object> json(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.uri() + ": " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""),
                response.uri() + " answers JSON, and must say so");
        return json(response);
    }

    /** A JSON error whose message mentions {@code mentions}; answers the message. */
    public static String error(HttpResponse<String> response, int status, String mentions) {
        Map<String, Object> body = json(response, status);
        assertEquals(List.of("error"), List.copyOf(body.keySet()), response.body());
        String message = (String) body.get("error");
        assertTrue(message.contains(mentions), "the error should mention '" + mentions + "': " + message);
        return message;
    }

    /**
     * A stub neighbour on a free loopback port: {@code handler} answers requests under {@code path}.
     * Stopping it is added to {@code closing}; answers its URL, http://127.0.0.1:PORT.
     */
    public static String stub(String path, HttpHandler handler, List<AutoCloseable> closing) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, handler);
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "stub neighbour");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        closing.add(() -> {
            server.stop(0);
            threads.shutdownNow();
        });
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}

package bitvillage.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import bitvillage.BitVillage;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stage started as a reader starts it ({@code java -jar target/bitvillage.jar B7 --port 0}), but
 * in this JVM and the repeatable world, with what it prints kept for the test to read; and the
 * requests a test sends it, through {@link Http}. Whatever a request is, the node must never answer
 * 500.
 */
public final class WebNode implements AutoCloseable {
    public final String stage;
    public final WebApp app;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** The stage with more options after {@code --port 0}. */
    public WebNode(String stage, String... options) throws Exception {
        this.stage = stage;
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of(stage, "--port", "0"));
        args.addAll(List.of(options));
        this.app = (WebApp) BitVillage.launch(args.toArray(String[]::new), World.fixed(out));
    }

    /** Everything the node printed so far: its start-up lines and the access log. */
    public String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** host:port as a Host header names this node. */
    public String authority() {
        return "127.0.0.1:" + app.port();
    }

    /** The request line and headers exactly as written, over a plain socket: for what HttpClient refuses to send. */
    public String raw(String request) throws Exception {
        return Http.raw(app.port(), request);
    }

    public HttpRequest.Builder request(String path) {
        return Http.request(app.url() + path);
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return never500(Http.send(request));
    }

    public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return Http.sendAsync(request);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return never500(Http.get(app.url() + path));
    }

    /** A method with an optional body, sent without any Content-Type, as a careless client does. */
    public HttpResponse<String> call(String method, String path, String body) throws Exception {
        return never500(Http.call(method, app.url() + path, body));
    }

    /** A POST with a JSON body and the content type Postman users are told to set. */
    public HttpResponse<String> postJson(String path, String json) throws Exception {
        return never500(Http.postJson(app.url() + path, json));
    }

    /** The blocks of this node's chain. */
    public List<?> chain() throws Exception {
        return (List<?>) Http.json(get("/chain"), 200).get("chain");
    }

    private HttpResponse<String> never500(HttpResponse<String> response) {
        assertNotEquals(500, response.statusCode(), stage + " " + response.request() + " answered 500: " + response.body());
        return response;
    }

    @Override
    public void close() {
        app.close();
    }
}

package bitvillage.exercises;

import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the exercises' tests share: the book's data and a real server on a free loopback port. */
final class Facts {
    private Facts() {}

    static final String APPLE_SHA256 = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    /** A world that prints nothing and repeats its clock and ids, as the pages' runs do. */
    static World quietWorld() {
        return World.fixed(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** 2,000 rows of {"input", "dumps", "sha256"}: what CPython's json.dumps(sort_keys=True) made of each input. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> pythonDumps() throws Exception {
        return Files.readAllLines(Path.of("src/test/resources/python-json-dumps.jsonl"), StandardCharsets.UTF_8)
                .stream().map(line -> (Map<String, Object>) PyJson.loads(line)).toList();
    }

    /** The chain a run of the book's own Python node (B-10.py) answered on GET /chain. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> bookNodeChain() throws Exception {
        String text = Files.readString(Path.of("src/test/resources/book-node-chain.json"), StandardCharsets.UTF_8);
        return (List<Map<String, Object>>) ((Map<String, Object>) PyJson.loads(text)).get("chain");
    }

    /** A deep copy through JSON, so a test can tamper with a chain without touching the original. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> copy(List<Map<String, Object>> chain) {
        return (List<Map<String, Object>>) PyJson.loads(PyJson.dumps(chain));
    }

    /** A site on 127.0.0.1 and a free port, with the routes {@code addRoutes} gives it, started. */
    static WebApp serve(java.util.function.UnaryOperator<WebApp> addRoutes) {
        return addRoutes.apply(new WebApp("127.0.0.1", 0, quietWorld())).start();
    }

    static HttpResponse<String> send(WebApp app, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(60));
        if (body == null) request.method(method, HttpRequest.BodyPublishers.noBody());
        else request.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

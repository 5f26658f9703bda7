package bitvillage.attacks;

import bitvillage.BitVillage;
import bitvillage.util.cli.World;
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
import java.util.List;
import java.util.Map;

/**
 * A node under attack: a stage started as a reader starts it, on a free loopback port, in the
 * repeatable world, with what it prints kept; and the ways an attacker reaches it.
 */
final class Target implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    final WebApp app;
    private final ByteArrayOutputStream printed;

    private Target(WebApp app, ByteArrayOutputStream printed) {
        this.app = app;
        this.printed = printed;
    }

    /** Starts {@code stage} with {@code --port 0} and any further arguments. */
    static Target start(String stage, String... arguments) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String[] args = new String[arguments.length + 3];
        args[0] = stage;
        args[1] = "--port";
        args[2] = "0";
        System.arraycopy(arguments, 0, args, 3, arguments.length);
        WebApp app = (WebApp) BitVillage.launch(args, World.fixed(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return new Target(app, printed);
    }

    /** Everything the node printed so far. */
    String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** host:port as a Host header names this node. */
    String authority() {
        return "127.0.0.1:" + app.port();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(app.url() + path)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    /** A request written byte for byte, for what HttpClient will not send; answers the whole response. */
    String raw(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The blocks of this node's chain. */
    List<?> chain() throws Exception {
        HttpResponse<String> response = get("/chain");
        if (response.statusCode() != 200) throw new AssertionError("GET /chain answered " + response.statusCode());
        return (List<?>) ((Map<?, ?>) PyJson.loads(response.body())).get("chain");
    }

    @Override
    public void close() {
        app.close();
    }
}

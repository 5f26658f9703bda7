package bitvillage.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import javax.servlet.ServletRequest;
import javax.servlet.ServletRequestWrapper;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The little that Flask does for the book and Spark does not do alike: a route table, the
 * "Running on" line and the access log, 405 for a known path with the wrong method, and JSON
 * errors (never a stack trace) for everything that goes wrong.
 *
 * <p>A stage declares its routes with {@link #get} and {@link #post}, each a thin handler that
 * answers a {@link Reply}; then {@link #start()}.
 */
public final class WebApp implements AutoCloseable {
    /** The largest request body a node reads; a larger one is answered 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** How much of a too large body a node still reads, and drops, so that the client hears the 413. */
    private static final long MAX_DRAINED_BYTES = 16L * MAX_BODY_BYTES;

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH");
    private static final DateTimeFormatter LOG_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy HH:mm:ss", Locale.ENGLISH).withZone(ZoneId.systemDefault());

    /** A route's work: read the request, answer a reply. Throw {@link Rejected} for bad input. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request);
    }

    /** What a route answers: status, content type, body text and any extra headers. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers) {
        /** Text, as a Flask view that returns a string answers it. */
        public static Reply text(String body) {
            return new Reply(200, "text/html; charset=utf-8", body, Map.of());
        }

        /** JSON, as Flask's {@code jsonify(value), status}: sorted keys, indented for readers. */
        public static Reply json(int status, Object value) {
            return new Reply(status, "application/json", PyJson.pretty(value) + "\n", Map.of());
        }

        public static Reply error(int status, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            return json(status, body);
        }
    }

    /** A request we refuse, with the 4xx status and the message the client sees. */
    public static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The address cannot be bound: the port is taken, or the host is not one of this computer's. */
    public static final class CannotListen extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CannotListen(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Where a node listens, as Flask's {@code app.run(host=...)}: 127.0.0.1 (this computer only) unless told. */
    public static final Options.Option HOST = new Options.Option("--host", "H",
            "address to listen on (default 127.0.0.1; 0.0.0.0 lets other computers in)");
    /** The port a node listens on, as Flask's {@code app.run(port=...)}. */
    public static final Options.Option PORT = new Options.Option("--port", "N",
            "port to listen on (default 5000, as Flask's; 0 picks a free one)");

    private final String host;
    private final int wantedPort;
    private final PrintStream log;
    private final DoubleSupplier clock;
    private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>(); // path -> method -> handler
    private Service http;

    public WebApp(String host, int port, World world) {
        this.host = host;
        this.wantedPort = port;
        this.log = world.out();
        this.clock = world.clock();
    }

    /** A server for the {@link #HOST} and {@link #PORT} options on the command line, not started yet. */
    public static WebApp fromOptions(Options options, World world) {
        return fromOptions(options, world, 5000);
    }

    /** As {@link #fromOptions(Options, World)}, for a stage whose port is another one unless told. */
    public static WebApp fromOptions(Options options, World world, int defaultPort) {
        String host = options.text(HOST.name(), "127.0.0.1");
        if (host.isBlank()) throw new Options.UsageError(HOST.name() + " needs an address, like 127.0.0.1 or 0.0.0.0");
        return new WebApp(host, options.number(PORT.name(), defaultPort, 0, 65535), world);
    }

    /** The port asked for: 0 when any free one will do. */
    public int wantedPort() {
        return wantedPort;
    }

    public WebApp get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    public WebApp post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    private WebApp route(String method, String path, Handler handler) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        return this;
    }

    /**
     * Starts serving and returns once the server listens; port 0 picks a free port.
     *
     * @throws CannotListen when the address cannot be bound (the port is taken, say)
     */
    public WebApp start() {
        http = Service.ignite().ipAddress(host).port(wantedPort);
        http.embeddedServerIdentifier(SafeJetty.id());
        AtomicReference<Exception> failure = new AtomicReference<>();
        // Spark's default reaction to a port in use is System.exit(100); we report it instead.
        http.initExceptionHandler(failure::set);

        routes.forEach((path, handlers) -> {
            for (String method : METHODS) {
                // HEAD runs the GET handler, as in Flask; Jetty leaves the body out of the answer.
                Handler handler = handlers.get(method.equals("HEAD") ? "GET" : method);
                if (handler == null) handler = request -> methodNotAllowed(handlers.keySet());
                Handler chosen = handler;
                spark.Route route = (request, response) -> answer(chosen, request, response);
                switch (method) {
                    case "GET" -> http.get(path, route);
                    case "HEAD" -> http.head(path, route);
                    case "POST" -> http.post(path, route);
                    case "PUT" -> http.put(path, route);
                    case "DELETE" -> http.delete(path, route);
                    default -> http.patch(path, route);
                }
            }
            // As Flask does, OPTIONS on a known path answers which methods it takes, and nothing else.
            Reply options = new Reply(200, "text/html; charset=utf-8", "", Map.of("Allow", allowed(handlers.keySet())));
            http.options(path, (request, response) -> send(response, options));
        });
        http.notFound((request, response) -> {
            // Spark comes here for methods it has no route for (TRACE, say) on a path we know, too.
            Map<String, Handler> handlers = routes.get(request.pathInfo());
            return send(response, handlers != null ? methodNotAllowed(handlers.keySet())
                    : Reply.error(404, "Not Found: no route " + request.pathInfo()));
        });
        http.internalServerError((request, response) -> send(response, Reply.error(500, "Internal Server Error")));
        http.afterAfter(this::logAccess);

        http.awaitInitialization();
        if (failure.get() != null) {
            http.stop();
            throw new CannotListen("cannot listen on " + host + ":" + wantedPort + " (" + failure.get().getMessage()
                    + "); is another node running there? Choose another --port, or --port 0 for a free one",
                    failure.get());
        }
        log.println(" * Running on " + url() + "/ (Press CTRL+C to quit)");
        return this;
    }

    /** The port the server listens on: the one asked for, or the free one it picked for port 0. */
    public int port() {
        return http.port();
    }

    /** Where clients reach this server, e.g. http://127.0.0.1:5000 */
    public String url() {
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() {
        if (http == null) return;
        http.stop();
        http.awaitStop();
    }

    private static Reply methodNotAllowed(Set<String> allowed) {
        Reply error = Reply.error(405, "Method Not Allowed: this route answers " + String.join(", ", allowed));
        return new Reply(405, error.contentType(), error.body(), Map.of("Allow", allowed(allowed)));
    }

    /** The Allow header for a path's methods, with HEAD and OPTIONS, which Flask adds on its own. */
    private static String allowed(Set<String> methods) {
        List<String> all = new ArrayList<>(methods);
        if (all.contains("GET")) all.add("HEAD");
        all.add("OPTIONS");
        all.sort(null);
        return String.join(", ", all);
    }

    private Object answer(Handler handler, Request request, Response response) {
        Reply reply;
        try {
            reply = handler.handle(request);
        } catch (Rejected e) {
            reply = Reply.error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            // A bug of ours: the server log gets the trace, the client only a plain 500.
            e.printStackTrace();
            reply = Reply.error(500, "Internal Server Error");
        } catch (OutOfMemoryError e) {
            // Too much at once (huge chains from many neighbours, say): this request gives up, the node goes on.
            reply = Reply.error(503, "Service Unavailable: the node is out of memory; try again later");
        }
        return send(response, reply);
    }

    private static String send(Response response, Reply reply) {
        response.status(reply.status());
        response.type(reply.contentType());
        reply.headers().forEach(response::header);
        return reply.body();
    }

    /** One line per request, as Flask's development server (Werkzeug) writes it. */
    private void logAccess(Request request, Response response) {
        // The path as it was sent, still %-encoded: decoded, a %0a in it could forge a line of the log.
        String raw = request.raw().getRequestURI();
        String target = raw + (request.queryString() == null ? "" : "?" + request.queryString());
        String when = LOG_DATE.format(Instant.ofEpochMilli((long) (clock.getAsDouble() * 1000)));
        log.printf("%s - - [%s] \"%s %s %s\" %d -%n", request.ip(), when, request.requestMethod(), target,
                request.protocol(), response.raw().getStatus());
    }

    /**
     * The request body as a JSON object, whatever the Content-Type says (Postman users often forget
     * it). Malformed JSON or another kind of value is a 400, a body over {@link #MAX_BODY_BYTES} a 413.
     */
    public static Map<String, Object> jsonObject(Request request) {
        Object value;
        try {
            value = PyJson.loads(bodyText(request));
        } catch (PyJson.JsonException e) {
            throw new Rejected(400, "the body is not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?>)) throw new Rejected(400, "the body must be a JSON object, like {\"key\": value}");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private static String bodyText(Request request) {
        if (request.raw().getContentLengthLong() > MAX_DRAINED_BYTES) throw tooLarge();
        byte[] bytes;
        try (InputStream in = unwrapped(request.raw()).getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge();
            }
        } catch (IOException e) {
            throw new Rejected(400, "could not read the body: " + e.getMessage());
        }
        try {
            return Utf8.strict(bytes);
        } catch (CharacterCodingException e) {
            throw new Rejected(400, "the body is not UTF-8 text");
        }
    }

    /**
     * Jetty's own request under Spark's wrapper, which would first copy a whole body of any size into
     * memory; Jetty's stream hands us only the bytes we read.
     */
    private static ServletRequest unwrapped(ServletRequest request) {
        while (request instanceof ServletRequestWrapper wrapper) request = wrapper.getRequest();
        return request;
    }

    /**
     * Reads and drops the rest of a body too large to keep, up to {@link #MAX_DRAINED_BYTES}: a client
     * still sending when the server closes the connection would miss its 413.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long drained = MAX_BODY_BYTES + 1;
        int read;
        while (drained < MAX_DRAINED_BYTES && (read = in.read(buffer)) != -1) drained += read;
    }

    private static Rejected tooLarge() {
        return new Rejected(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
}

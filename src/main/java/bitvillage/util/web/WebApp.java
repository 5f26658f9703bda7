package bitvillage.util.web;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Utf8;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.charset.CharacterCodingException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The little that Flask does for the book and Spark does not do alike: a route table, the
 * "Running on" line and the access log, 405 for a known path with the wrong method, and JSON
 * errors (never a stack trace) for everything that goes wrong. And what Flask leaves to the
 * programmer: a node refuses requests that web pages send through the villager's browser.
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
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'([^'\"\\\\]{0,40})'");
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
            return error(status, message, Map.of());
        }

        /** The same, with more fields beside "error" (B17's 409 names the transaction that spent the coin first). */
        public static Reply error(int status, String message, Map<String, Object> fields) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            body.putAll(fields);
            return json(status, body);
        }
    }

    /** A request we refuse, with the 4xx status and the message the client sees. */
    public static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient Map<String, Object> fields; // beside "error", in the answer

        public Rejected(int status, String message) {
            this(status, message, Map.of());
        }

        public Rejected(int status, String message, Map<String, Object> fields) {
            super(message);
            this.status = status;
            this.fields = fields;
        }

        public int status() {
            return status;
        }

        public Map<String, Object> fields() {
            return fields;
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
    public static final Options.Option HOST = Options.Option.text("--host", "H",
            "address to listen on; 0.0.0.0 lets other computers in", "127.0.0.1");
    /**
     * The address neighbours reach a node by, when it is not the one it listens on (0.0.0.0, or behind a
     * router); its name is one the node answers to, as the --host name is.
     */
    public static final Options.Option ADVERTISE = Options.Option.text("--advertise", "URL",
            "our address as neighbours reach us; else the one we listen on", null);
    /** The port a node listens on, as Flask's {@code app.run(port=...)}. */
    public static final Options.Option PORT = Options.Option.number("--port", "N",
            "port to listen on; 0 picks a free one", 5000, 0, 65535).noting("as Flask's");

    private final String host;
    private final int wantedPort;
    private final PrintStream log;
    private final DoubleSupplier clock;
    private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>(); // path -> method -> handler
    private LinkDelay linkDelay = LinkDelay.none();
    private String advertisedName; // the host of --advertise, or null
    private Service http;
    private final List<AutoCloseable> held = new ArrayList<>(); // let go when the server stops

    public WebApp(String host, int port, World world) {
        this.host = host;
        this.wantedPort = port;
        this.log = world.out();
        this.clock = world.clock();
    }

    /** A server for the {@link #HOST} and {@link #PORT} options on the command line, not started yet. */
    public static WebApp fromOptions(Options options, World world) {
        return fromOptions(options, world, PORT);
    }

    /** As {@link #fromOptions(Options, World)}, for a stage whose --port option has a default of its own. */
    public static WebApp fromOptions(Options options, World world, Options.Option port) {
        String host = options.text(HOST);
        if (host.isBlank()) throw new Options.UsageError(HOST.name() + " needs an address, like 127.0.0.1 or 0.0.0.0");
        WebApp app = new WebApp(host, options.number(port), world);
        app.linkDelay = LinkDelay.of(options, app.authority(app.wantedPort));
        app.advertisedName = hostOf(options.text(ADVERTISE));
        if (app.wantedPort != 0) app.checkCanListen();
        return app;
    }

    /** The host of an address as a neighbour writes it (http:// may be left out), lowercased; null if it has none. */
    private static String hostOf(String address) {
        if (address == null) return null;
        try {
            String host = URI.create(address.contains("://") ? address.strip() : "http://" + address.strip()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null; // not an address: the stage refuses it, saying why
        }
    }

    /** As {@link #fromOptions(Options, World)}, for a stage whose port is another one unless told. */
    public static WebApp fromOptions(Options options, World world, int defaultPort) {
        return fromOptions(options, world, PORT.withDefault(defaultPort));
    }

    /**
     * Binds the address for a moment: a stage prints its state before it starts serving, and a
     * taken port should stop it before that, as a malformed --port does.
     *
     * @throws CannotListen when the address cannot be bound
     */
    private void checkCanListen() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty binds: a port a closed node left a moment ago is free
            probe.bind(new InetSocketAddress(host, wantedPort));
        } catch (IOException e) {
            throw cannotListen(e);
        }
    }

    private CannotListen cannotListen(Exception cause) {
        return new CannotListen("cannot listen on " + authority(wantedPort) + " (" + cause.getMessage()
                + "); is another node running there? Choose another --port, or --port 0 for a free one", cause);
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

        // Spark tries routes in the order they are added: literal paths go first, so that a pattern
        // such as /transactions/:id never takes /transactions/new, whatever order a stage declares them in.
        List<String> paths = new ArrayList<>(routes.keySet());
        paths.sort(Comparator.comparing(WebApp::isPattern));
        for (String path : paths) {
            Map<String, Handler> handlers = routes.get(path);
            for (String method : METHODS) {
                // HEAD runs the GET handler, as in Flask; Jetty leaves the body out of the answer.
                Handler handler = handlers.get(method.equals("HEAD") ? "GET" : method);
                if (handler == null) handler = request -> methodNotAllowed(handlers.keySet());
                Handler chosen = handler;
                spark.Route route = (request, response) -> respond(request, response, () -> answer(chosen, request));
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
            http.options(path, (request, response) -> respond(request, response, () -> options));
        }
        // Spark comes here for a path without routes, and for a method a path has no route for (TRACE, say).
        http.notFound((request, response) -> respond(request, response, () -> notFound(request)));
        http.internalServerError((request, response) ->
                finish(request, response, Reply.error(500, "Internal Server Error")));
        // Each answer above writes its own access-log line. (Spark's after-filters would fail on a
        // CONNECT request, whose target has no path, and answer it 500.)

        http.awaitInitialization();
        if (failure.get() != null) {
            http.stop();
            throw cannotListen(failure.get());
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
        return "http://" + authority(port());
    }

    /** host:port, with an IPv6 address in brackets as URLs write it: [::1]:5000 */
    private String authority(int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Something the node holds while it serves (a data directory's lock, say), let go once the server has stopped. */
    public WebApp holding(AutoCloseable resource) {
        held.add(resource);
        return this;
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop();
            http.awaitStop();
        }
        for (AutoCloseable resource : held) {
            try {
                resource.close();
            } catch (Exception e) {
                log.println("closing " + resource + ": " + e.getMessage());
            }
        }
        held.clear();
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

    /** Answers a request that no web page sent (see {@link #refusal}) with the reply {@code work} makes. */
    private String respond(Request request, Response response, Supplier<Reply> work) {
        linkDelay.cross();
        Reply refused = refusal(request);
        return finish(request, response, refused != null ? refused : work.get());
    }

    private Reply answer(Handler handler, Request request) {
        try {
            return handler.handle(request);
        } catch (Rejected e) {
            return Reply.error(e.status(), e.getMessage(), e.fields());
        } catch (RuntimeException e) {
            // A bug of ours: the node's log gets the trace, as Flask's does, the client only a plain 500.
            log.println("Exception on " + target(request) + " [" + request.requestMethod() + "]");
            e.printStackTrace(log);
            return Reply.error(500, "Internal Server Error");
        } catch (OutOfMemoryError e) {
            // Too much at once (huge chains from many neighbours, say): this request gives up, the node goes on.
            log.println("Out of memory on " + target(request) + " [" + request.requestMethod() + "]; answered 503");
            return Reply.error(503, "Service Unavailable: the node is out of memory; try again later");
        }
    }

    /** What Spark answers when no route is for a request's path and method. */
    private Reply notFound(Request request) {
        // The path as sent, which is what Spark looked for among the routes: /%63hain or /./chain
        // found no route, and answering as if they had would point a client to a route that missed.
        String path = request.raw().getRequestURI();
        if (path == null) {
            // CONNECT host:port asks the node to be a proxy to that address: a node is none. Jetty
            // would keep the connection for a tunnel until the idle timeout; the answer closes it.
            Reply error = Reply.error(405, "Method Not Allowed: " + request.requestMethod() + " asks for a proxy, and a node is none");
            return new Reply(405, error.contentType(), error.body(), Map.of("Connection", "close"));
        }
        Map<String, Handler> handlers = routes.get(path);
        if (handlers == null) {
            handlers = routes.entrySet().stream().filter(route -> matches(route.getKey(), path))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (handlers != null) return methodNotAllowed(handlers.keySet());
        if (path.equals("/")) return Reply.error(404, "Not Found: no route /; this node's routes are " + routeList());
        return Reply.error(404, "Not Found: no route " + path);
    }

    /** A path with a {@code :name} part, which stands for any one part of a request's path. */
    private static boolean isPattern(String path) {
        return path.contains("/:");
    }

    /** Does the request's path fit the pattern, part for part? */
    private static boolean matches(String pattern, String path) {
        if (!isPattern(pattern)) return false;
        String[] wanted = pattern.split("/", -1);
        String[] given = path.split("/", -1);
        if (wanted.length != given.length) return false;
        for (int i = 0; i < wanted.length; i++) {
            if (!wanted[i].startsWith(":") && !wanted[i].equals(given[i])) return false;
            if (wanted[i].startsWith(":") && given[i].isEmpty()) return false;
        }
        return true;
    }

    /** The route table, as "GET /chain, POST /transactions/new, ..." */
    private String routeList() {
        List<String> all = new ArrayList<>();
        routes.forEach((path, handlers) -> handlers.keySet().forEach(method -> all.add(method + " " + path)));
        return String.join(", ", all);
    }

    private String finish(Request request, Response response, Reply reply) {
        response.status(reply.status());
        response.type(reply.contentType());
        reply.headers().forEach(response::header);
        logAccess(request, reply.status());
        return reply.body();
    }

    /** One line per request, as Flask's development server (Werkzeug) writes it. */
    private void logAccess(Request request, int status) {
        String when = LOG_DATE.format(Instant.ofEpochMilli((long) (clock.getAsDouble() * 1000)));
        log.printf("%s - - [%s] \"%s %s %s\" %d -%n", request.ip(), when, request.requestMethod(), target(request),
                request.protocol(), status);
    }

    /**
     * The request's target as it was sent, still %-encoded (decoded, a %0a in it could forge a line
     * of the log), with its query: /chain?x=1, or host:port for a CONNECT.
     */
    private static String target(Request request) {
        return SafeJetty.target(request.raw());
    }

    /**
     * Why a request is refused before its route runs, or null: one Jetty would let through
     * malformed ({@link SafeJetty#whyMalformed}), a 400; or one that a web page sent, a 403. A page the
     * villager opens can make their browser send requests to a node on their computer or network:
     * a form or script POSTs a payment (as text/plain, which needs no consent of the node), an
     * image GETs /mine, and a name of the page's own that points to 127.0.0.1 (DNS rebinding) lets
     * its scripts read the answers too. Browsers say who sends (Origin; Sec-Fetch-Site, where even
     * an image says it), and which name they asked for (Host). curl, Postman and other nodes send
     * no Origin or Sec-Fetch-Site, and ask by an address, localhost or the name --host or --advertise gave.
     */
    private Reply refusal(Request request) {
        String malformed = SafeJetty.whyMalformed(request.raw());
        if (malformed != null) return Reply.error(400, "Bad Request: " + malformed);
        String hostHeader = request.headers("Host"); // absent only in HTTP/1.0, which no browser still sends
        if (hostHeader != null && !isOwnName(hostName(hostHeader))) {
            return Reply.error(403, "Forbidden: this node is not " + hostName(hostHeader) + " (Host: " + hostHeader
                    + "); ask it by an IP address, localhost, or the name given to --host" + (advertisedName == null ? "" : " or --advertise"));
        }
        // The node's own origin is http:// and the name and port the request was sent to.
        String ownOrigin = "http://" + (hostHeader != null ? hostHeader : authority(port()));
        String origin = request.headers("Origin");
        if (origin != null && !withoutPort80(origin).equalsIgnoreCase(withoutPort80(ownOrigin))) {
            return Reply.error(403, "Forbidden: a node takes no requests from other sites' web pages (Origin: " + origin
                    + "; this node is " + ownOrigin + ")");
        }
        // same-site is another port or subdomain of this site: another origin all the same.
        String site = request.headers("Sec-Fetch-Site");
        if ("cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site)) {
            return Reply.error(403, "Forbidden: a node takes no requests from other sites' web pages (Sec-Fetch-Site: " + site + ")");
        }
        return null;
    }

    /** The name in a Host header: 127.0.0.1 of 127.0.0.1:5000, [::1] of [::1]:5000 */
    private static String hostName(String hostHeader) {
        int end = hostHeader.startsWith("[") ? hostHeader.indexOf(']') + 1 : hostHeader.lastIndexOf(':');
        return end > 0 ? hostHeader.substring(0, end) : hostHeader;
    }

    /**
     * Is {@code name} an IP address (in any spelling {@link HostLiteral} reads, as the list of
     * neighbours does), localhost, the --host name or the --advertise one? No other name can be a
     * rebinding attacker's.
     */
    private boolean isOwnName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String own = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.equals(own) || lower.equals("[" + own + "]") || lower.equals(advertisedName)) return true;
        try {
            return HostLiteral.read(lower) != null;
        } catch (IllegalArgumentException e) {
            return false; // meant as an address, and none: 999.1.1.1
        }
    }

    private static String withoutPort80(String origin) {
        return origin.endsWith(":80") ? origin.substring(0, origin.length() - 3) : origin;
    }

    /**
     * The request body as a JSON object, whatever the Content-Type says (Postman users often forget
     * it). Malformed JSON or another kind of value is a 400, a body over {@link #MAX_BODY_BYTES} a 413.
     */
    public static Map<String, Object> jsonObject(Request request) {
        String text = bodyText(request);
        if (text.isBlank()) {
            throw new Rejected(400, "the body is not valid JSON: it is empty; send a JSON object, like {\"key\": \"value\"}"
                    + " (with curl: -d '{\"key\": \"value\"}')");
        }
        Object value;
        try {
            value = PyJson.loads(text);
        } catch (PyJson.JsonException e) {
            Matcher quoted = SINGLE_QUOTED.matcher(text);
            if (quoted.find()) { // as Python prints a dict: {'nodes': [...]}
                throw new Rejected(400, "the body is not valid JSON: JSON needs double quotes (\"" + quoted.group(1)
                        + "\"), not Python's single quotes (" + quoted.group() + ")");
            }
            throw new Rejected(400, "the body is not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?>)) throw new Rejected(400, "the body must be a JSON object, like {\"key\": value}");
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        return object;
    }

    private static String bodyText(Request request) {
        if (request.raw().getContentLengthLong() > MAX_DRAINED_BYTES) throw tooLarge();
        byte[] bytes = SafeJetty.readBody(request.raw(), MAX_BODY_BYTES, MAX_DRAINED_BYTES);
        if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
        try {
            return Utf8.strict(bytes);
        } catch (CharacterCodingException e) {
            throw new Rejected(400, "the body is not UTF-8 text");
        }
    }

    private static Rejected tooLarge() {
        return new Rejected(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
}

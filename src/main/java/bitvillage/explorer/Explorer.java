package bitvillage.explorer;

import bitvillage.stages.Stages;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.client.HttpFetch;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Utf8;
import bitvillage.util.web.AtMostAtOnce;
import bitvillage.util.web.WebApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import spark.Request;

/**
 * The village explorer: a web page that draws every villager's chain as it changes, with buttons
 * for the villagers' routes, and a workbench to tamper with a copy of a chain.
 *
 * <p>The page never talks to a node itself. It asks this server, which passes each request on to
 * one of the villagers it was given (and to no other address: it is no open proxy), and answers
 * what the villager answered. The same server serves, at {@code GET /chain}, the tampered copy the
 * page sent it last, so that a villager who registers the explorer as a neighbour and resolves
 * judges the copy by its own rules.
 */
public final class Explorer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8000;
    public static final int MAX_VILLAGERS = 20;
    /** The oldest stage the page can draw: B8 is the first with GET /chain. */
    private static final int FIRST_DRAWN_STAGE = 8;
    /** As large as a chain a node accepts from a neighbour (B10's 32 MiB), and a little more for the wrapping. */
    static final int MAX_ANSWER_BYTES = (32 << 20) + (1 << 16);
    /** Mining at many zeros and resolving with slow neighbours take a while; no request waits longer. */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(120);
    /**
     * Once a villager has sent its answer's head, its work is done: the whole body (at most 32 MiB, on
     * loopback well under a second) must follow within this, or the page gets a 504. HttpClient's own
     * timeout bounds only the head, and a villager sending a byte every half second would hold the
     * request open for ever (issue 17, item 7).
     */
    static final Duration BODY_DEADLINE = Duration.ofSeconds(5);
    /** How long a page's ask for changes waits for one: less than a connection may stay silent (30 s). */
    private static final Duration CHANGES_WAIT = Duration.ofSeconds(20);
    /** Pages following the village at once: each waiting ask holds a server thread. */
    private static final int MAX_FOLLOWING_PAGES = 16;
    /** What an ETag may hold (RFC 9110: visible ASCII, and quotes); CR or LF would split our request to the villager. */
    private static final Pattern ETAG = Pattern.compile("[\\x21-\\x7e]{1,200}");

    /**
     * The routes the page may ask a villager for, as the refusal names them and as a path must match;
     * any other path is refused before a villager hears of it. Ids are B12's 32 hex digits or B16's 64.
     */
    private static final Map<String, String> GET_ROUTES = orderedPairs(
            "/chain", "/chain",
            "/mine", "/mine",
            "/nodes/resolve", "/nodes/resolve",
            "/transactions/pending", "/transactions/pending",
            "/transactions/<id>", "/transactions/(?:[0-9a-f]{32}|[0-9a-f]{64})",
            "/balance/<address>", "/balance/[0-9a-f]{64}",
            "/coins/<address>", "/coins/[0-9a-f]{64}");
    private static final Map<String, String> POST_ROUTES = orderedPairs(
            "/transactions/new", "/transactions/new",
            "/nodes/register", "/nodes/register",
            "/nodes/forget", "/nodes/forget");
    private static final Pattern GET_PATHS = Pattern.compile(String.join("|", GET_ROUTES.values()));
    private static final Pattern POST_PATHS = Pattern.compile(String.join("|", POST_ROUTES.values()));

    /** The page's files, in the jar under explorer/, with their content types. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "explorer.css", "text/css; charset=utf-8",
            "explorer.js", "text/javascript; charset=utf-8",
            "pyjson.js", "text/javascript; charset=utf-8",
            "sha256.js", "text/javascript; charset=utf-8");
    /** Scripts and styles only from this server: the page works offline, and nothing else runs in it. */
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
            "Cache-Control", "no-store");

    public static final List<Options.Option> OPTIONS = List.of(
            new Options.Option("--stage", "S", "stage of the villagers to start, from B8 on (default the newest)"),
            new Options.Option("--villagers", "N", "how many villagers to start, 1 to " + MAX_VILLAGERS + " (default 2)"),
            new Options.Option("--node", "URL",
                    "draw a running node instead, like 127.0.0.1:5000 (repeatable, up to " + MAX_VILLAGERS + ")"),
            WebApp.HOST,
            new Options.Option(WebApp.PORT.name(), "N",
                    "port of the page (default " + DEFAULT_PORT + "; 0 picks a free one)"));

    /** A villager the page draws: its letter and where it listens. */
    public record Villager(String name, String url) {}

    private final WebApp app;
    private final List<Villager> villagers;
    private final List<WebApp> startedNodes;
    private final HttpClient http = HttpFetch.client(Duration.ofSeconds(5));
    /** The chain served at GET /chain, as the page sent it: null until the page serves one. */
    private final AtomicReference<Map<String, Object>> servedCopy = new AtomicReference<>();
    private final VillageWatch watch;
    private final AtMostAtOnce following = new AtMostAtOnce("pages following the village", MAX_FOLLOWING_PAGES, 5);
    private final SignatureVerdicts signatureVerdicts = new SignatureVerdicts();
    private final CoinVerdicts coinVerdicts = new CoinVerdicts();

    private Explorer(WebApp app, List<Villager> villagers, List<WebApp> startedNodes) {
        this.app = app;
        this.villagers = villagers;
        this.startedNodes = startedNodes;
        // A run of its own: a page that followed an earlier run of the explorer starts again from nothing.
        this.watch = new VillageWatch(villagers, http, Long.toHexString(new SecureRandom().nextLong()));
    }

    /**
     * Starts the villagers (or takes the --node addresses), then the page's server, and prints
     * where each one is. Answers what to close on Ctrl+C.
     */
    public static AutoCloseable start(Options options, World world) throws Exception {
        List<String> nodes = options.all("--node");
        if (!nodes.isEmpty() && (options.has("--stage") || options.has("--villagers"))) {
            throw new Options.UsageError("--node draws running nodes; --stage and --villagers start new ones: give one or the other");
        }
        if (nodes.size() > MAX_VILLAGERS) throw new Options.UsageError("--node: the page draws at most " + MAX_VILLAGERS + " villagers");
        int count = options.number("--villagers", 2, 1, MAX_VILLAGERS);
        Stages.Stage stage = nodes.isEmpty() ? stageToStart(options.text("--stage", null)) : null;
        List<String> urls = new ArrayList<>();
        for (String node : nodes) {
            try {
                String url = NodeAddress.normalise(node);
                if (urls.contains(url)) throw new Options.UsageError("--node: " + url + " is given twice");
                urls.add(url);
            } catch (IllegalArgumentException e) {
                throw new Options.UsageError("--node: " + e.getMessage());
            }
        }
        // Our own server's log would be one line per poll, several a second: the page shows what matters.
        World quiet = new World(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                world.clock(), world.nodeIds());
        WebApp app = WebApp.fromOptions(options, quiet, DEFAULT_PORT); // a taken --port stops us before any villager starts
        List<WebApp> started = new ArrayList<>();
        try {
            if (stage != null) {
                for (int i = 0; i < count; i++) {
                    WebApp node = (WebApp) stage.command().body().run(Options.parse(new String[] {"--port", "0"}, stage.command().options()), quiet);
                    started.add(node);
                    urls.add(node.url());
                }
            }
            List<Villager> villagers = new ArrayList<>();
            for (int i = 0; i < urls.size(); i++) villagers.add(new Villager(String.valueOf((char) ('A' + i)), urls.get(i)));
            Explorer explorer = new Explorer(app, List.copyOf(villagers), started);
            explorer.routes().start();
            PrintStream out = world.out();
            for (Villager villager : villagers) {
                out.println("Villager " + villager.name() + (stage == null ? "" : " (" + stage.id() + ")") + ": " + villager.url());
            }
            out.println("The explorer's page: " + app.url() + "/ (open it in a browser; Press CTRL+C to quit)");
            // With only the page's server to stop, hand it back as it is (a page test maps its port).
            return started.isEmpty() ? app : explorer;
        } catch (RuntimeException e) {
            for (WebApp node : started) node.close();
            throw e;
        }
    }

    /** The stage whose villagers to start: --stage, or the newest stage. */
    private static Stages.Stage stageToStart(String wanted) {
        Stages.Stage stage = wanted == null ? Stages.newest() : Stages.findOrNull(wanted);
        if (stage == null || stage.number() < FIRST_DRAWN_STAGE) {
            throw new Options.UsageError("--stage: the explorer draws stages from B" + FIRST_DRAWN_STAGE
                    + " on (the first with GET /chain), not " + wanted);
        }
        return stage;
    }

    private WebApp routes() {
        app.get("/", request -> file("index.html"));
        for (String name : FILES.keySet()) {
            if (!name.equals("index.html")) app.get("/" + name, request -> file(name));
        }
        app.get("/api/village", request -> WebApp.Reply.json(200, village()));
        app.get("/api/changes", this::changes);
        app.get("/api/ask", request -> ask(request, "GET"));
        app.post("/api/ask", request -> ask(request, "POST"));
        app.post("/api/copy", this::serveCopy);
        app.post("/api/signatures", this::judgeSignatures);
        app.post("/api/coin-signatures", this::judgeCoinSignatures);
        app.get("/chain", request -> servedChain());
        return app;
    }

    private static WebApp.Reply file(String name) {
        try (InputStream in = Explorer.class.getResourceAsStream("/explorer/" + name)) {
            if (in == null) throw new IllegalStateException("the jar has no explorer/" + name);
            return new WebApp.Reply(200, FILES.get(name), new String(in.readAllBytes(), StandardCharsets.UTF_8), PAGE_HEADERS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the page needs to start: the villagers, and the explorer's own address for a served copy. */
    private Map<String, Object> village() {
        List<Object> list = new ArrayList<>();
        for (Villager villager : villagers) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", villager.name());
            entry.put("url", villager.url());
            list.add(entry);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("villagers", list);
        answer.put("copy_address", app.url());
        return answer;
    }

    /**
     * {@code /api/ask?node=URL&path=/chain}: the request passed on to that villager, and its answer:
     * {@code {"villager": "A", "status": 200, "body": "...", "etag": "..."}}, the body as the villager
     * sent it, and its ETag when it sent one. With {@code &etag=...} the villager is asked
     * {@code If-None-Match}, and a 304 comes back with an empty body.
     */
    private WebApp.Reply ask(Request request, String method) {
        String node = request.queryParams("node");
        String path = request.queryParams("path");
        if (node == null || path == null) throw new WebApp.Rejected(400, "ask with ?node=URL&path=/route");
        Villager villager = villagers.stream().filter(v -> v.url().equals(node)).findFirst()
                .orElseThrow(() -> new WebApp.Rejected(403, "Forbidden: " + node
                        + " is not one of this explorer's villagers; it passes requests on only to them"));
        boolean get = method.equals("GET");
        if (!(get ? GET_PATHS : POST_PATHS).matcher(path).matches()) {
            throw new WebApp.Rejected(404, "the explorer passes on " + method + " " + String.join(", ", (get ? GET_ROUTES : POST_ROUTES).keySet())
                    + " only, not " + path);
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(villager.url() + path)).timeout(NODE_TIMEOUT);
        // The page polls GET /chain: with the ETag of the chain it holds, an unchanged chain costs a
        // 304 and no body, on the villager's side and on ours.
        String known = request.queryParams("etag");
        if (known != null && !ETAG.matcher(known).matches()) {
            throw new WebApp.Rejected(400, "etag: printable ASCII with no spaces, at most 200 characters (as a villager's ETag is)");
        }
        if (known != null && method.equals("GET")) forward.header("If-None-Match", known);
        if (method.equals("POST")) {
            forward.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(PyJson.dumps(WebApp.jsonObject(request)), StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<byte[]> answer;
            try {
                answer = http.sendAsync(forward.build(), head -> new WholeBody(MAX_ANSWER_BYTES, BODY_DEADLINE)).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof TimeoutException) {
                    return WebApp.Reply.error(504, "villager " + villager.name() + " did not finish its answer within "
                            + BODY_DEADLINE.toSeconds() + " s of starting it");
                }
                if (cause instanceof TooLarge) {
                    return WebApp.Reply.error(502, "villager " + villager.name() + " answered more than " + (MAX_ANSWER_BYTES >> 20) + " MiB");
                }
                if (cause instanceof IOException io) throw io;
                throw new IOException(cause);
            }
            watch.lookSoon(villager); // what the page asked may have changed the villager: the page hears of it at once
            byte[] body = answer.body();
            // The villager's answer travels inside a 200 of ours, so that the page sees a villager's 404
            // as an answer to show, and the browser does not log it as a failed load of the page's.
            Map<String, Object> passed = new LinkedHashMap<>();
            passed.put("villager", villager.name());
            passed.put("status", (long) answer.statusCode());
            passed.put("body", Utf8.strict(body));
            answer.headers().firstValue("ETag").ifPresent(etag -> passed.put("etag", etag));
            return WebApp.Reply.json(200, passed);
        } catch (ConnectException e) {
            return WebApp.Reply.error(502, "villager " + villager.name() + " does not answer (" + villager.url() + "): is it running?");
        } catch (HttpTimeoutException e) {
            return WebApp.Reply.error(504, "villager " + villager.name() + " did not answer within " + NODE_TIMEOUT.toSeconds() + " s");
        } catch (CharacterCodingException e) {
            return WebApp.Reply.error(502, "villager " + villager.name() + " answered text that is not UTF-8");
        } catch (IOException e) {
            if (e.getCause() instanceof HttpTimeoutException late) return WebApp.Reply.error(504, "villager " + villager.name() + ": " + late.getMessage());
            return WebApp.Reply.error(502, "villager " + villager.name() + " did not answer whole (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WebApp.Reply.error(503, "the explorer is stopping");
        }
    }

    /** A map of (key, value) pairs in the order given. */
    private static Map<String, String> orderedPairs(String... keysAndValues) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) pairs.put(keysAndValues[i], keysAndValues[i + 1]);
        return Collections.unmodifiableMap(pairs);
    }

    /**
     * {@code POST /api/signatures {"payments": [...]}}: the explorer's own verdict on each payment's
     * signature, from the payment's fields (the page sends what a villager's chain holds).
     */
    private WebApp.Reply judgeSignatures(Request request) {
        Map<String, Object> body = WebApp.jsonObject(request);
        if (!(body.get("payments") instanceof List<?> payments)) throw new WebApp.Rejected(400, "send {\"payments\": [payment, ...]}");
        if (payments.size() > SignatureVerdicts.MAX_PER_ASK) {
            throw new WebApp.Rejected(400, "at most " + SignatureVerdicts.MAX_PER_ASK + " payments at a time, not " + payments.size());
        }
        return WebApp.Reply.json(200, Map.of("verdicts", signatureVerdicts.judge(payments)));
    }

    /**
     * {@code POST /api/coin-signatures {"transactions": [{"transaction": TX, "spent": [...]}, ...]}}: the
     * explorer's own verdict on each B17 transaction's inputs, each against the owner of the coin it spends.
     */
    private WebApp.Reply judgeCoinSignatures(Request request) {
        Map<String, Object> body = WebApp.jsonObject(request);
        if (!(body.get("transactions") instanceof List<?> asks)) {
            throw new WebApp.Rejected(400, "send {\"transactions\": [{\"transaction\": TX, \"spent\": [TX or null, ...]}, ...]}");
        }
        if (asks.size() > CoinVerdicts.MAX_PER_ASK) {
            throw new WebApp.Rejected(400, "at most " + CoinVerdicts.MAX_PER_ASK + " transactions at a time, not " + asks.size());
        }
        if (CoinVerdicts.spentCount(asks) > CoinVerdicts.MAX_SPENT_PER_ASK) {
            throw new WebApp.Rejected(400, "at most " + CoinVerdicts.MAX_SPENT_PER_ASK + " spent transactions at a time");
        }
        return WebApp.Reply.json(200, Map.of("verdicts", coinVerdicts.judge(asks)));
    }

    /** A villager's answer grew past the explorer's cap. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * A villager's body, read whole within a deadline that starts with its head, and at most
     * {@code cap} bytes: past either, the subscription is cancelled (the connection is let go) and
     * the answer fails with a TimeoutException or TooLarge. No byte of it is quoted in an error.
     */
    static final class WholeBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int cap;
        private final CompletableFuture<byte[]> result;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        WholeBody(int cap, Duration deadline) {
            this.cap = cap;
            this.result = new CompletableFuture<byte[]>().orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((body, failure) -> {
                Flow.Subscription s = subscription;
                if (failure != null && s != null) s.cancel();
            });
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (result.isDone()) s.cancel();
            else s.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer item : items) {
                if (bytes.size() + item.remaining() > cap) {
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public synchronized void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    /** {@code POST /api/copy {"chain": [...]}}: from now on, GET /chain answers this chain. */
    private WebApp.Reply serveCopy(Request request) {
        Map<String, Object> body = WebApp.jsonObject(request);
        if (!(body.get("chain") instanceof List<?> chain)) throw new WebApp.Rejected(400, "send {\"chain\": [block, ...]}");
        Map<String, Object> served = new LinkedHashMap<>();
        served.put("chain", chain);
        served.put("length", (long) chain.size());
        servedCopy.set(served);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("message", "The explorer serves this copy at " + app.url() + "/chain; register that address with a villager and resolve");
        answer.put("address", app.url());
        answer.put("length", (long) chain.size());
        return WebApp.Reply.json(200, answer);
    }

    /** The copy, shaped as a node's GET /chain answer, for villagers who registered the explorer. */
    private WebApp.Reply servedChain() {
        Map<String, Object> copy = servedCopy.get();
        if (copy == null) return WebApp.Reply.error(404, "the explorer serves no copy yet: open a copy on its page and serve it");
        return WebApp.Reply.json(200, copy);
    }

    /**
     * {@code GET /api/changes?epoch=E&since=V}: what changed in the village since version V of the
     * explorer's run E, as soon as something changes (or after {@link #CHANGES_WAIT}, nothing); the page
     * asks again at once. Without a version, or with another run's, everything the explorer holds.
     */
    private WebApp.Reply changes(Request request) {
        String epoch = request.queryParamOrDefault("epoch", "");
        String since = request.queryParamOrDefault("since", "0");
        if (!since.matches("[0-9]{1,18}")) throw new WebApp.Rejected(400, "since: the version the page holds, a whole number from 0");
        return following.run(() -> {
            try {
                return WebApp.Reply.json(200, watch.changesSince(epoch, Long.parseLong(since), CHANGES_WAIT));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return WebApp.Reply.error(503, "the explorer is stopping");
            }
        });
    }

    /** Why a villager gave no whole answer, as the page says it. */
    static String whyNoAnswer(Villager villager, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "villager " + villager.name() + " did not finish its answer within " + BODY_DEADLINE.toSeconds() + " s of starting it";
        }
        if (cause instanceof TooLarge) return "villager " + villager.name() + " answered more than " + (MAX_ANSWER_BYTES >> 20) + " MiB";
        if (cause instanceof ConnectException) return "villager " + villager.name() + " does not answer (" + villager.url() + "): is it running?";
        if (cause instanceof HttpTimeoutException) return "villager " + villager.name() + " did not answer in time";
        return "villager " + villager.name() + " did not answer whole (" + cause.getClass().getSimpleName() + ")";
    }

    @Override
    public void close() {
        watch.close();
        app.close();
        for (WebApp node : startedNodes) node.close();
    }
}

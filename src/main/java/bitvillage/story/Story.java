package bitvillage.story;

import bitvillage.keys.Keys;
import bitvillage.util.cli.Command;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.client.HttpFetch;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;

/**
 * What the story commands (walkthrough, forge, attack, fees, signatures, coins) share: the nodes they talk to and the
 * names the story gives them, the requests and their answers, the checked steps, and --slow's wait.
 * Each command keeps its own steps; this is only how they are told.
 *
 * <p>A story command is a {@link Play}: Story starts it with the options and the world given, and
 * the command's steps tell it.
 *
 * <p>A node listens wherever it could; the story calls it by a name that reads the same on every
 * computer ({@code <A>}, or the book's {@code http://127.0.0.1:5000}). Answers are shown with the
 * names, and requests go out with the real addresses. Closing the story stops the nodes it started.
 */
public final class Story implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    // The book's supplement A: 小美 buys 大華's jeans for 699, then takes the payment back.
    static final String PAYER = "小美";
    static final String SELLER = "大華";
    static final long PRICE = 699;
    // Their keys: the pages' brain wallets, public, so that signatures and ids repeat on every computer.
    static final byte[] PAYER_KEY = Keys.fromSeed(PAYER);
    static final byte[] SELLER_KEY = Keys.fromSeed(SELLER);
    static final String PAYER_ADDRESS = Keys.address(PAYER_KEY);
    static final String SELLER_ADDRESS = Keys.address(SELLER_KEY);

    /** --slow, for a story told in a classroom. */
    static final Options.Option SLOW = new Options.Option("--slow", null, "wait for Enter before each step (for a classroom)");

    /** A story command's steps, played on the story its options and world tell: true when every check agreed. */
    @FunctionalInterface
    interface Steps {
        boolean play(Story story, Options options) throws InterruptedException;
    }

    /**
     * A story command, as the launcher and the tests run it: its name on the command line, who its
     * checks quote ("Book" or "Lesson"), and its steps.
     */
    public record Play(String command, String authority, Steps steps) implements Command.CheckedStory {
        /** Plays the story as the launcher does: --slow reads Enter from standard input, notices go to standard error. */
        @Override
        public boolean run(Options options, World world) throws InterruptedException {
            return run(options, world, System.in, System.err);
        }

        /**
         * Plays the story; with {@code --slow}, each step waits for a line from {@code keyboard}.
         * Notices that are not part of the story (where the nodes listen) go to {@code notices}.
         */
        public boolean run(Options options, World world, InputStream keyboard, PrintStream notices)
                throws InterruptedException {
            return steps.play(new Story(world, notices, command, options.has(SLOW.name()) ? keyboard : null, authority), options);
        }
    }

    /** A node's answer: the status (0 when none came), the body with the story's names, and that body as JSON (or null). */
    record Answer(int status, String text, Object json) {
        Map<?, ?> object() {
            return json instanceof Map<?, ?> map ? map : Map.of();
        }

        Object get(String key) {
            return object().get(key);
        }

        List<?> list(String key) {
            return get(key) instanceof List<?> list ? list : List.of();
        }

        String statusLine() {
            return status == 0 ? "no answer" : status + " " + HttpStatus.getMessage(status);
        }
    }

    private final World world;
    private final PrintStream notices; // where the nodes really listen: not part of the story
    private final String command;
    private final BufferedReader keyboard; // null unless --slow
    private final String authority; // "Book" or "Lesson": who the checks quote
    private final HttpClient http = HttpFetch.client(Duration.ofSeconds(5));
    private final Map<String, String> urls = new LinkedHashMap<>(); // A, B, M -> real address
    private final Map<String, String> who = new LinkedHashMap<>(); // A -> villager A
    private final Map<String, String> names = new LinkedHashMap<>(); // real address -> the story's name
    private final AtomicReference<Map<String, Object>> served = new AtomicReference<>(Map.of());
    private final List<WebApp> started = new ArrayList<>(); // stopped by close(), the last first
    private final List<String> failedSteps = new ArrayList<>();
    private int checks;
    private String currentStep;

    /** A story told on {@code world}, its notices to {@code notices} as {@code command}; {@code keyboard} is null unless --slow. */
    Story(World world, PrintStream notices, String command, InputStream keyboard, String authority) {
        this.world = world;
        this.notices = notices;
        this.command = command;
        this.authority = authority;
        this.keyboard = keyboard == null ? null
                : new BufferedReader(new InputStreamReader(keyboard, StandardCharsets.UTF_8));
    }

    /** The world the story is told in: its output is the story. */
    World world() {
        return world;
    }

    // --- the nodes -------------------------------------------------------------------------------

    /**
     * The world the story's nodes run in. They share its clock and ids, so a repeatable world repeats
     * the story; their own logs (startup lines, one line per request) would bury it, so they print nowhere.
     */
    World nodeWorld() {
        return new World(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                world.clock(), world.nodeIds());
    }

    /** A node the story calls {@code key} ({@code who} in full), listening on {@code url}, shown as {@code name}. */
    void node(String key, String who, String url, String name) {
        urls.put(key, url);
        this.who.put(key, who);
        names.put(url, name);
    }

    /** A node just started on a free port, shown as {@code <key>}; the notices say where it listens, and {@link #close} stops it. */
    void onFreePort(String key, String who, WebApp node) {
        started.add(node);
        node(key, who, node.url(), "<" + key + ">");
        notice(who + " listens on " + node.url());
    }

    /** Starts 小美's node M: a small server of hers on a free port that answers {@code GET /chain} with the chain given to {@link #serve}. */
    void startNodeM(World nodeWorld) {
        onFreePort("M", PAYER + "'s node M",
                new WebApp(HOST, 0, nodeWorld).get("/chain", request -> WebApp.Reply.json(200, served.get())).start());
    }

    /** Stops the nodes started with {@link #onFreePort}, the last first. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
    }

    /** What node M answers from now on: the chain as a node serves it. */
    void serve(List<Map<String, Object>> chain) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chain", chain);
        answer.put("length", (long) chain.size());
        answer.put("last_bk_t", chain.isEmpty() ? 0.0 : ((Number) chain.get(chain.size() - 1).get("timestamp")).doubleValue());
        served.set(answer);
    }

    Object servedChain() {
        return served.get().get("chain");
    }

    String url(String key) {
        return urls.get(key);
    }

    void notice(String text) {
        notices.println(command + ": " + text);
    }

    /** The real addresses written as the story's names. */
    String named(String text) {
        for (Map.Entry<String, String> name : names.entrySet()) text = replaceUrl(text, name.getKey(), name.getValue());
        return text;
    }

    /** The story's names written as the real addresses. */
    private String real(String text) {
        for (Map.Entry<String, String> name : names.entrySet()) text = replaceUrl(text, name.getValue(), name.getKey());
        return text;
    }

    private static String replaceUrl(String text, String from, String to) {
        if (from.equals(to)) return text;
        // http://127.0.0.1:500 must not match the start of http://127.0.0.1:5002
        return text.replaceAll(Pattern.quote(from) + "(?!\\d)", Matcher.quoteReplacement(to));
    }

    /** Sends a request to node {@code to}, prints nothing, and answers what came back. */
    Answer exchange(String method, String to, String path, Object body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urls.get(to) + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(real(PyJson.dumps(body)), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = HttpFetch.send(http, request.build(), ServedChain.MAX_BYTES).get();
        } catch (ExecutionException e) {
            return new Answer(0, "(" + who.get(to) + " did not answer: " + e.getCause() + ")", null);
        }
        String text = named(response.body());
        Object json;
        try {
            json = PyJson.loads(text);
        } catch (PyJson.JsonException e) {
            json = null;
        }
        return new Answer(response.statusCode(), text, json);
    }

    /** Sends a request, prints it and the gist of the answer, the wallets' addresses as names and hashes cut short. */
    Answer told(String method, String to, String path, Object body, Function<Answer, String> gist) throws InterruptedException {
        world.out().println(shortened(method + " <" + to + ">" + path + (body == null ? "" : " " + named(oneLine(body)))));
        Answer answer = exchange(method, to, path, body);
        world.out().println(shortened("  " + answer.statusLine() + gist.apply(answer)));
        return answer;
    }

    /** The text with the two wallets' addresses as {@code <小美>} and {@code <大華>}, and signatures (128 hex digits) and ids (64) cut short. */
    static String shortened(String text) {
        return text.replace(PAYER_ADDRESS, "<" + PAYER + ">").replace(SELLER_ADDRESS, "<" + SELLER + ">")
                .replaceAll("\\b([0-9a-f]{16})[0-9a-f]{112}\\b", "$1…")
                .replaceAll("\\b([0-9a-f]{12})[0-9a-f]{52}\\b", "$1…");
    }

    // --- steps and checks ------------------------------------------------------------------------

    /** Starts step {@code number}: a blank line and its title. */
    void heading(String number, String title) {
        currentStep = number;
        world.out().println();
        world.out().println("Step " + number + ". " + title);
    }

    /** A step that waits for Enter (with --slow) right after its title. */
    void step(String number, String title) {
        heading(number, title);
        waitForEnter("for step " + number);
    }

    /** With --slow, says "(press Enter {@code what})" and waits for a line; at the end of input, carries on. */
    void waitForEnter(String what) {
        if (keyboard == null) return;
        world.out().println("(press Enter " + what + ")");
        try {
            keyboard.readLine(); // null at the end of input: carry on without waiting
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the keyboard: " + e.getMessage(), e);
        }
    }

    /** The check line: what the book or lesson says, and whether the answers agree (OK) or how they differ (NOT SO). */
    void expect(String says, List<String> differences) {
        checks++;
        if (differences.isEmpty()) {
            world.out().println(authority + ": " + says + ". OK");
        } else {
            world.out().println(authority + ": " + says + ". NOT SO: " + String.join("; ", differences));
            failedSteps.add(currentStep);
        }
    }

    int checks() {
        return checks;
    }

    boolean allAsSaid() {
        return failedSteps.isEmpty();
    }

    /** The last line: {@code allWell} when every check agreed, else {@code notAs} and the steps that did not. */
    void summarise(String allWell, String notAs) {
        world.out().println();
        if (failedSteps.isEmpty()) {
            world.out().println(allWell);
        } else {
            world.out().println(notAs + ": " + (failedSteps.size() == 1 ? "step " : "steps ")
                    + String.join(", ", failedSteps) + " (see NOT SO above).");
        }
    }

    /** Differences between the answer's fields and the values expected (a 200 is expected too), by key. */
    static List<String> fields(Answer answer, Map<String, Object> expected) {
        List<String> differences = new ArrayList<>();
        if (answer.status() != 200) {
            differences.add(answer.status() == 0 ? "no answer" : "status " + answer.status() + ", not 200");
            return differences;
        }
        if (!(answer.json() instanceof Map<?, ?>)) {
            differences.add("the answer is not a JSON object");
            return differences;
        }
        expected.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(field -> {
            Object actual = answer.get(field.getKey());
            if (!field.getValue().equals(actual)) {
                differences.add(field.getKey() + " is " + (actual == null ? "missing" : PyJson.dumps(actual))
                        + ", not " + PyJson.dumps(field.getValue()));
            }
        });
        return differences;
    }

    /** The answer has this status and names this id. */
    static List<String> answered(Answer answer, int status, String id) {
        List<String> problems = new ArrayList<>();
        if (answer.status() != status) problems.add("status " + answer.status() + ", not " + status);
        if (!id.equals(answer.get("id"))) problems.add("the id is " + answer.get("id") + ", not " + id);
        return problems;
    }

    /** The answer has this status and its error says {@code mentions}. */
    static List<String> refused(Answer answer, int status, String mentions) {
        List<String> problems = new ArrayList<>();
        if (answer.status() != status) problems.add("status " + answer.status() + ", not " + status);
        if (!(answer.get("error") instanceof String error && error.contains(mentions))) problems.add("the error does not say " + mentions);
        return problems;
    }

    static List<String> both(List<String> differences, List<String> more) {
        List<String> all = new ArrayList<>(differences);
        all.addAll(more);
        return all;
    }

    /** JSON on one line, as a reader writes it: sorted keys, 小美 rather than \\u5c0f\\u7f8e. */
    static String oneLine(Object value) {
        return PyJson.pretty(value).replaceAll(",\n\\s*", ", ").replaceAll("\n\\s*", "");
    }
}

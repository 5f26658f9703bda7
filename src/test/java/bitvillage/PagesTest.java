package bitvillage;

import bitvillage.stages.Stages;
import bitvillage.testing.Http;
import bitvillage.testing.Settled;
import bitvillage.util.cli.Command;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every chapter page against the code, as chapters/README.md describes: console blocks are run and
 * their output compared, included code regions compared with the tagged regions in the sources.
 *
 * <p>With -Dbitvillage.writePages=true the test writes what it saw into the pages instead (outputs
 * and included regions); review the diff before committing it.
 */
class PagesTest {
    static final Path CHAPTERS = Path.of("chapters");
    static final String JAR = "java -jar target/bitvillage.jar";
    static final boolean WRITE = Boolean.getBoolean("bitvillage.writePages");

    private static final Pattern INCLUDE = Pattern.compile("<!-- include: (\\S+)#(\\S+) -->");
    private static final Pattern RUNNING_ON = Pattern.compile(" \\* Running on http://[^ ]*:(\\d+)/");
    /** A line of a node's access log, as Flask's development server writes it: {@code 127.0.0.1 - - [date] "GET / HTTP/1.1" 200 -}. */
    private static final Pattern ACCESS_LOG_LINE = Pattern.compile("(?m)^\\S+ - - \\[[^\\]]*\\] \"[^\"\\n]*\" \\d{3} -\\R");

    static Stream<Path> pages() throws IOException {
        return StageOutputTest.filesEndingWith(CHAPTERS, ".md");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void pageMatchesTheCode(Path page) throws Exception {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<String> written = new ArrayList<>();
        try (Session session = new Session()) {
            int i = 0;
            while (i < lines.size()) {
                String line = lines.get(i);
                written.add(line);
                i++;
                Matcher include = INCLUDE.matcher(line.strip());
                if (include.matches()) {
                    i = checkInclude(page, lines, i, include.group(1), include.group(2), written);
                } else if (line.strip().equals("```console")) {
                    i = runConsole(page, lines, i, session, written);
                }
            }
        }
        if (WRITE) Files.write(page, written, StandardCharsets.UTF_8);
    }

    /** The ```java block after an include comment must be the tagged region; answers where the page goes on. */
    private static int checkInclude(Path page, List<String> lines, int start, String file, String region,
            List<String> written) throws IOException {
        assertTrue(start < lines.size() && lines.get(start).strip().equals("```java"),
                page + ": the include of " + file + "#" + region + " must be followed by a ```java block");
        written.add(lines.get(start));
        int end = closingFence(page, lines, start + 1);
        List<String> expected = region(page, file, region);
        if (WRITE) {
            written.addAll(expected);
        } else {
            assertEquals(String.join("\n", expected), String.join("\n", lines.subList(start + 1, end)),
                    page + ": the code shown differs from " + file + "#" + region);
        }
        written.add(lines.get(end));
        return end + 1;
    }

    /** The lines between // tag::REGION[] and // end::REGION[], without their common indentation. */
    static List<String> region(Path page, String file, String region) throws IOException {
        Path source = Path.of(file);
        assertTrue(Files.exists(source), page + " includes " + file + ", which does not exist");
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("// tag::" + region + "[]")) from = i + 1;
            if (line.equals("// end::" + region + "[]")) to = i;
        }
        if (from < 0 || to < from) fail(page + " includes region '" + region + "' of " + file + ", which is gone");
        List<String> body = lines.subList(from, to);
        int indent = body.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return body.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList();
    }

    /** Runs each $ command of a console block and compares what it prints; answers where the page goes on. */
    private static int runConsole(Path page, List<String> lines, int start, Session session, List<String> written)
            throws Exception {
        int end = closingFence(page, lines, start);
        int i = start;
        while (i < end) {
            String command = lines.get(i);
            assertTrue(command.startsWith("$ "), page + ": a console block must start with a $ command, not: " + command);
            written.add(command);
            int next = i + 1;
            while (next < end && !lines.get(next).startsWith("$ ")) next++;
            List<String> shown = trimTrailingBlanks(lines.subList(i + 1, next));
            List<String> actual = trimTrailingBlanks(List.of(session.run(page, command.substring(2), shown).split("\n", -1)));
            if (WRITE) {
                written.addAll(actual);
            } else {
                assertEquals(masked(String.join("\n", shown)), masked(String.join("\n", actual)),
                        page + ": the output of `" + command.substring(2) + "` differs");
            }
            i = next;
        }
        written.add(lines.get(end));
        return end + 1;
    }

    private static int closingFence(Path page, List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("```")) return i;
        }
        return fail(page + ": a code block is not closed");
    }

    private static List<String> trimTrailingBlanks(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) end--;
        return lines.subList(0, end);
    }

    /** Hides what differs from run to run in the real world: node ids and timestamps. */
    static String masked(String text) {
        return text.replaceAll("\\b[0-9a-f]{32}\\b", "<id>")
                .replaceAll("(\"(?:timestamp|last_bk_t)\": )[0-9.e+-]+", "$1<time>")
                .replaceAll("\\[\\d\\d/\\w{3}/\\d{4} \\d\\d:\\d\\d:\\d\\d]", "[<time>]");
    }

    /** The servers a page starts, and how the ports the page shows map to the ports they really got. */
    static final class Session implements AutoCloseable {
        private final List<AutoCloseable> servers = new ArrayList<>();
        private final Map<Integer, Integer> ports = new LinkedHashMap<>(); // page port -> real port
        private final List<String> gossiping = new ArrayList<>(); // the B18 villagers the page started, by their real URL
        private final Set<String> dataDirs = new HashSet<>(); // the --data directories the page named, emptied when first named
        // One clock and one sequence of ids for the whole page, so two villagers differ as in real life.
        private final World pageWorld = World.fixed(System.out);
        private final RewindableClock clock = new RewindableClock(pageWorld.clock());

        String run(Path page, String command, List<String> shown) throws Exception {
            List<String> words = words(command);
            if (command.startsWith(JAR + " ") || command.equals(JAR)) return launch(page, words.subList(3, words.size()), shown);
            if (words.get(0).equals("curl")) return curl(page, words.subList(1, words.size()));
            return fail(page + ": the page test cannot run `" + command + "`; show only " + JAR + " and curl commands");
        }

        /**
         * Runs a stage in this JVM in the repeatable world. A stage that serves gets a free port; the
         * page shows the port it asked for with --port, or else the one its "Running on" line shows.
         */
        private String launch(Path page, List<String> arguments, List<String> shown) throws Exception {
            List<String> args = new ArrayList<>(arguments);
            Integer pagePort = null;
            int portAt = args.indexOf("--port");
            if (portAt >= 0) {
                pagePort = Integer.valueOf(args.get(portAt + 1));
                args.set(portAt + 1, "0");
            } else if (!args.isEmpty() && !args.contains("--help") && listens(BitVillage.find(args.get(0)))) {
                pagePort = shownPort(page, shown);
                args.addAll(List.of("--port", "0"));
            }
            args.replaceAll(this::toRealPorts); // a --neighbour names a node the page started
            int dataAt = args.indexOf("--data");
            if (dataAt >= 0 && dataDirs.add(args.get(dataAt + 1))) emptied(page, args.get(dataAt + 1));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            AutoCloseable server;
            try {
                server = BitVillage.launch(args.toArray(String[]::new), new World(out, clock, pageWorld.nodeIds()));
            } catch (StageFailed e) { // a reader sees the launcher's last line too (attack's exit 3)
                return toPagePorts(bytes.toString(StandardCharsets.UTF_8) + "bitvillage: " + e.getMessage() + "\n");
            }
            // What the stage printed until it was ready; its access log goes on in the background, and a line of it
            // may come before the stage is ready (with --join, the villager joined greets us while we still join it):
            // the page shows the access log only where it says so, in a block of its own.
            String printed = ACCESS_LOG_LINE.matcher(bytes.toString(StandardCharsets.UTF_8)).replaceAll("");
            if (server != null) {
                servers.add(server);
                if (server instanceof WebApp app && pagePort != null) ports.put(pagePort, app.port());
                if (server instanceof WebApp app && gossips(args.get(0))) gossiping.add(app.url());
            }
            return toPagePorts(printed);
        }

        /** A notebook the page names starts empty, as for a reader who runs the page's commands once: only under target/. */
        private static void emptied(Path page, String dir) throws IOException {
            if (!dir.startsWith("target/") || dir.contains("..")) fail(page + ": a page's --data lives under target/, not in " + dir);
            if (!Files.exists(Path.of(dir))) return;
            try (Stream<Path> paths = Files.walk(Path.of(dir))) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
            }
        }

        private static boolean listens(Command command) {
            return command.options().stream().anyMatch(option -> option.name().equals("--port"));
        }

        /** The port a stage started without --port listens on, as the page shows it: its default. */
        private static Integer shownPort(Path page, List<String> shown) {
            for (String line : shown) {
                Matcher running = RUNNING_ON.matcher(line);
                if (running.find()) return Integer.valueOf(running.group(1));
            }
            return fail(page + ": a stage started without --port must show its \" * Running on\" line, with the port");
        }

        /** From B18 on, villagers pass blocks and payments on in the background. */
        private static boolean gossips(String stage) {
            Stages.Stage found = Stages.findOrNull(stage);
            return found != null && found.number() >= 18;
        }

        /** The subset of curl the pages use: -s, -i, -X METHOD, -H 'K: V', -d 'BODY', URL. */
        private String curl(Path page, List<String> words) throws Exception {
            boolean include = false;
            String method = null;
            String body = null;
            String url = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < words.size(); i++) {
                switch (words.get(i)) {
                    case "-s" -> { }
                    case "-i" -> include = true;
                    case "-X" -> method = words.get(++i);
                    case "-H" -> {
                        String[] header = words.get(++i).split(":\\s*", 2);
                        headers.put(header[0], header[1]);
                    }
                    case "-d" -> body = words.get(++i);
                    default -> {
                        if (words.get(i).startsWith("-")) fail(page + ": the page test's curl has no " + words.get(i));
                        url = words.get(i);
                    }
                }
            }
            if (url == null) fail(page + ": a curl command without a URL");
            if (method == null) method = body == null ? "GET" : "POST";
            // curl sends a body as a form unless told otherwise; our nodes read JSON whatever it says.
            if (body != null && !headers.containsKey("Content-Type")) {
                headers.put("Content-Type", "application/x-www-form-urlencoded");
            }
            HttpRequest.Builder request = Http.request(toRealPorts(url))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(toRealPorts(body), StandardCharsets.UTF_8));
            headers.forEach(request::header);
            // A reader's next command comes after the gossip has settled: each B18 villager's GET /nodes says "gossip_in_flight": 0.
            // Each look is a request, and each request a read of the page's clock (its access log line): how many
            // looks it took differs from run to run, so the clock forgets them, and the page stays the same.
            clock.forget(Settled.await(gossiping));
            HttpResponse<String> response = Http.send(request.build());
            StringBuilder shown = new StringBuilder();
            if (include) {
                shown.append("HTTP/1.1 ").append(response.statusCode()).append(' ')
                        .append(HttpStatus.getMessage(response.statusCode())).append('\n');
                for (String name : List.of("Content-Type", "Allow")) { // in the order Jetty sends them
                    response.headers().firstValue(name).ifPresent(value ->
                            shown.append(name).append(": ").append(value).append('\n'));
                }
                shown.append('\n');
            }
            shown.append(response.body());
            return toPagePorts(shown.toString());
        }

        /** Page ports to real ones wherever a page names a node: in a URL, a JSON body, a --neighbour. */
        private String toRealPorts(String text) {
            for (Map.Entry<Integer, Integer> port : ports.entrySet()) {
                text = text.replaceAll("(127\\.0\\.0\\.1|localhost|0\\.0\\.0\\.0):" + port.getKey() + "\\b",
                        "$1:" + port.getValue());
            }
            return text;
        }

        private String toPagePorts(String text) {
            for (Map.Entry<Integer, Integer> port : ports.entrySet()) {
                text = text.replaceAll("(127\\.0\\.0\\.1|localhost|0\\.0\\.0\\.0):" + port.getValue() + "\\b",
                        "$1:" + port.getKey());
            }
            return text;
        }

        @Override
        public void close() throws IOException {
            for (AutoCloseable server : servers) {
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IOException("could not stop a server the page started", e);
                }
            }
        }
    }

    /**
     * The page's repeatable clock, which can forget reads: those of the test's own requests, made while
     * waiting for gossip to settle, whose number differs from run to run. It answers the same times, in
     * the same order, as the clock it wraps would without those reads.
     */
    static final class RewindableClock implements DoubleSupplier {
        private final DoubleSupplier clock;
        private final List<Double> times = new ArrayList<>(); // the wrapped clock's answers, in order
        private long next; // which of them the next read answers

        RewindableClock(DoubleSupplier clock) {
            this.clock = clock;
        }

        @Override
        public synchronized double getAsDouble() {
            while (times.size() <= next) times.add(clock.getAsDouble());
            return times.get((int) next++);
        }

        /** Forgets the last {@code reads} reads: the next read answers what the first of them did. */
        synchronized void forget(int reads) {
            next -= reads;
        }
    }

    /** Splits a command line as a shell does for the pages' needs: spaces, 'single' and "double" quotes. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else word.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                if (word == null) word = new StringBuilder();
            } else if (c == ' ') {
                if (word != null) words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                word.append(c);
            }
        }
        if (word != null) words.add(word.toString());
        return words;
    }

    @Test
    void wordsSplitsLikeAShell() {
        assertEquals(List.of("curl", "-s", "-H", "Content-Type: application/json", "-d", "{\"nodes\": [\"x\"]}", "u"),
                words("curl -s -H 'Content-Type: application/json' -d '{\"nodes\": [\"x\"]}' u"));
    }

    @Test
    void maskingHidesIdsAndTimestampsOnly() {
        assertEquals("id <id>, \"timestamp\": <time>, [<time>] 35293",
                masked("id 9e87d069508a4165a992f405923fef9b, \"timestamp\": 1795770021.2578123, [27/Nov/2026 09:00:21] 35293"));
    }

    @Test
    void everyStageHasARowInTheTableOfContentsAndAPage() throws IOException {
        String contents = Files.readString(CHAPTERS.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher link = Pattern.compile("\\]\\(([\\w-]+\\.md)\\)").matcher(contents);
        while (link.find()) {
            assertTrue(Files.exists(CHAPTERS.resolve(link.group(1))), "chapters/README.md links to a missing page: " + link.group(1));
        }
        for (Command command : BitVillage.COMMANDS) {
            assertTrue(contents.contains("`" + command.line() + "`"), "chapters/README.md has no row for " + command.id());
        }
    }
}

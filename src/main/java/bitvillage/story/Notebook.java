package bitvillage.story;

import static bitvillage.story.Story.PAYER;
import static bitvillage.story.Story.PAYER_ADDRESS;
import static bitvillage.story.Story.PAYER_KEY;
import static bitvillage.story.Story.PRICE;
import static bitvillage.story.Story.SELLER;
import static bitvillage.story.Story.SELLER_ADDRESS;

import bitvillage.keys.Keys;
import bitvillage.stages.B19Notebook;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.FileNotebook;
import bitvillage.stages.taught.NotebookLines;
import bitvillage.stages.taught.Notebook.Note;
import bitvillage.story.Story.Answer;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.netns.OwnJvm;
import bitvillage.util.web.WebApp;
import bitvillage.wallet.Pay;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stage B19's lesson, played on real villagers: what a notebook keeps across {@code kill -9}, and what the
 * village gives back to one who lost it. 小美's villager A is a B19 process of its own (this JVM's java and
 * class path, {@link OwnJvm}) with {@code --data} in a temporary directory, so that it can really be killed
 * with SIGKILL: it takes her payment to 大華 and mines it, is killed, and starts again on its notebook
 * holding both. 大華's villager B (B19 in this process, in memory) joins A and mines a block on hers. A is
 * killed again, its notebook deleted, and it starts on an empty directory with {@code --join} B: it fetches
 * B's tip and its parent from him, each judged by every rule. Both listen on free ports (standard error
 * says which), called {@code <A>} and {@code <B>}; the temporary directory is {@code <DIR>}, removed at the end.
 */
public final class Notebook {
    public static final List<Options.Option> OPTIONS = List.of(Story.SLOW);

    /** The notebook command: checked against the lesson. */
    public static final Story.Play PLAY = new Story.Play("notebook", "Lesson", (story, options) -> new Notebook(story).play());

    static final int ZEROS = 3; // enough to be a proof, few enough to mine at once
    static final long FEE = 1;
    static final long DEADLINE_MILLIS = 60_000; // a JVM starts in a second or two, a catch-up in less; a busy machine is slower
    private static final List<String> VILLAGER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Pattern RUNNING_ON = Pattern.compile(" \\* Running on (http://\\S+)/ ");
    private static final int SIGKILL = 9;

    private final World world;
    private final Story story;
    private final Path root; // <DIR>'s parent: the notebook and the villagers' logs
    private final Path data; // <DIR>, A's --data
    private Process villagerA; // the running process of A, or null
    private int startsOfA;
    private WebApp villagerB;

    private Notebook(Story story) {
        this.world = story.world();
        this.story = story;
        try {
            this.root = Files.createTempDirectory("bitvillage-notebook");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory: " + e.getMessage(), e);
        }
        this.data = root.resolve("villager-a");
    }

    private boolean play() throws InterruptedException {
        Thread killOnExit = new Thread(this::stopA); // Ctrl+C must not leave A running on its own
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try (story) {
            story.notice("<DIR> is " + data + " (with --slow, look into it between the steps; it is removed at the end)");
            introduce();
            story();
        } finally {
            stopA();
            if (villagerB != null) villagerB.close();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now, or has: A is being killed either way
            }
            delete(root);
        }
        story.summarise("All " + story.checks() + " checks came out as the lesson says: what a villager accepted outlives"
                + " kill -9 in its notebook, and a lost notebook is asked back from the village, block by block, each judged.",
                "Not as the lesson says");
        return story.allAsSaid();
    }

    private void introduce() {
        PrintStream out = world.out();
        out.println("Stage B19, a villager's notebook. A is " + PAYER + "'s villager, a B19 process of its own with --data <DIR>, so");
        out.println("that it can be killed with kill -9 (SIGKILL: no goodbye, no flush, no shutdown hook). B is " + SELLER
                + "'s villager, B19 in");
        out.println("memory. Both " + ZEROS + " zeros, each mining to its owner's key. <A>, <B> stand for their addresses (free ports,");
        out.println("given on standard error), <DIR> for a temporary directory. A block is shown by its height and who mined");
        out.println("it, ids by their first 12 hex digits. Each step does real things, shows the answers and checks them.");
    }

    // tag::story[]
    /** The lesson in six steps: accept and mine, kill -9, start on the notebook, a neighbour, the notebook lost, asked back. */
    private void story() throws InterruptedException {
        story.step("1", "A starts on an empty notebook. " + PAYER + " pays " + SELLER + " " + PRICE + " at A, who answers 201;"
                + " A mines block 2.");
        startA();
        Map<String, Object> jeans = CoinSelection.pay(PAYER_KEY, Pay.spendable(
                story.exchange("GET", "A", "/coins/" + PAYER_ADDRESS, null).json()), SELLER_ADDRESS, PRICE, FEE);
        String jeansId = CoinTransaction.id(jeans);
        Answer paid = send("POST", "A", "/transactions/new", jeans);
        send("GET", "A", "/mine", null);
        story.expect("A took the payment (201) and holds it confirmed in block 2, which it mined",
                Story.both(Story.answered(paid, 201, jeansId), confirmedIn(jeansId, 2)));

        story.step("2", "A is killed with kill -9. What it answered is in its notebook, <DIR>/notebook.jsonl, forced to disk first.");
        List<String> killed = killA();
        List<Note> notes = notesShown();
        if (!kinds(notes).equals(List.of("payment", "block 2"))) killed.add("its notes are " + kinds(notes));
        story.expect("A died of SIGKILL; its notebook holds the payment (noted before the 201), then block 2 (before /mine"
                + " answered)", killed);

        story.step("3", "A starts again on its notebook: every note read again, block 2 judged again by every rule.");
        startA();
        story.expect("A holds block 2, mined by " + PAYER + ", and the payment confirmed in it: nothing it answered was lost",
                Story.both(tipIs("A", 2, PAYER), confirmedIn(jeansId, 2)));

        story.step("4", SELLER + "'s villager B starts in memory with --join <A>; A greets him with its tip, which he fetches.");
        world.out().println("B mines block 3 and announces it to A, who fetches it.");
        startB();
        List<String> fetched = tipIs("B", 2, PAYER);
        send("GET", "B", "/mine", null);
        story.expect("B fetched block 2 from A; both hold block 3, mined by " + SELLER, fetched.isEmpty()
                ? Story.both(tipIs("A", 3, SELLER), tipIs("B", 3, SELLER)) : fetched);

        story.step("5", "A is killed with kill -9 again, and its notebook is lost: <DIR> is deleted.");
        List<String> lost = killA();
        delete(data);
        world.out().println("  rm -r <DIR>: " + (Files.exists(data) ? "still there" : "gone"));
        if (Files.exists(data)) lost.add("<DIR> is still there");
        story.expect("A died of SIGKILL, and its notebook is gone", lost);

        story.step("6", "A starts on an empty <DIR> with --join <B>. B greets it with his tip, block 3; A fetches it, then its");
        world.out().println("parent, block 2, from B, judges each by every rule, and notes each in its new notebook.");
        startA("--join", villagerB.url());
        story.expect("A holds block 3, mined by " + SELLER + ", and the payment confirmed in block 2 again; its new notebook"
                + " holds blocks 2 and 3", Story.both(tipIs("A", 3, SELLER), Story.both(confirmedIn(jeansId, 2), notedAgain())));

        PrintStream out = world.out();
        out.println();
        out.println("The notebook kept what A alone had: a payment it answered 201 and a block it had just mined. The village");
        out.println("gave back what it had heard of, each block judged again. Had A lost its notebook before B fetched block 2,");
        out.println("the payment would be gone: asking the others gives back only what the others have.");
    }
    // end::story[]

    // --- the villagers ---------------------------------------------------------------------------

    /** Starts A, B19 in a JVM of its own on {@code --data <DIR>}, its output to a log; waits until it listens. */
    private void startA(String... more) throws InterruptedException {
        List<String> command = new ArrayList<>(OwnJvm.command(VILLAGER_JVM, B19Notebook.class));
        command.addAll(List.of("--port", "0", "--zeros", "" + ZEROS, "--seed", PAYER, "--data", data.toString()));
        command.addAll(List.of(more));
        Path log = root.resolve("villager-a-" + ++startsOfA + ".log");
        world.out().println("  A starts: B19 --zeros " + ZEROS + " --seed " + PAYER + " --data <DIR>"
                + (more.length == 0 ? "" : " " + story.named(String.join(" ", more))));
        try {
            villagerA = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start villager A: " + e.getMessage(), e);
        }
        String url = listening(log);
        story.node("A", PAYER + "'s villager A", url, "<A>");
        story.notice(PAYER + "'s villager A (process " + villagerA.pid() + ") listens on " + url);
    }

    /** The address A's log says it runs on, once it does; fails with the log if A stops or stays silent. */
    private String listening(Path log) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            String text = read(log);
            Matcher running = RUNNING_ON.matcher(text);
            if (running.find()) return running.group(1);
            if (!villagerA.isAlive()) throw new IllegalStateException("villager A stopped (exit status " + villagerA.exitValue() + "):\n" + text);
            Thread.sleep(100); // a poll while a JVM starts: it says it listens only in its log
        }
        throw new IllegalStateException("villager A did not start within " + DEADLINE_MILLIS / 1000 + " s:\n" + read(log));
    }

    /** Kills A with SIGKILL (what {@code Process.destroyForcibly} sends on Linux and macOS); the differences from a death by it. */
    private List<String> killA() throws InterruptedException {
        villagerA.destroyForcibly();
        List<String> differences = new ArrayList<>();
        if (!villagerA.waitFor(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)) {
            differences.add("A still runs");
            return differences;
        }
        int status = villagerA.exitValue();
        world.out().println("  kill -9 A: exit status " + status + (status == 128 + SIGKILL ? " (128 + 9, SIGKILL)" : ""));
        if (status != 128 + SIGKILL) differences.add("its exit status is " + status + ", not " + (128 + SIGKILL));
        villagerA = null;
        return differences;
    }

    /** Kills A, if it runs, and waits until it is gone. */
    private void stopA() {
        Process process = villagerA;
        if (process == null) return;
        try {
            process.destroyForcibly().waitFor(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // killed all the same; only not waited for
        }
    }

    /** Starts B, 大華's villager, B19 in this process and in memory, joining A; on a real clock, as A's. */
    private void startB() {
        World nodeWorld = new World(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                World::pythonTime, story.nodeWorld().nodeIds());
        String[] options = {"--port", "0", "--zeros", "" + ZEROS, "--seed", SELLER, "--join", story.url("A")};
        villagerB = B19Notebook.start(Options.parse(options, B19Notebook.OPTIONS), nodeWorld);
        story.onFreePort("B", SELLER + "'s villager B", villagerB);
        world.out().println("  B starts: B19 --zeros " + ZEROS + " --seed " + SELLER + " --join <A>");
    }

    // --- what the story looks at -----------------------------------------------------------------

    /** A's notes, printed one a line: the kind, and the payment's id or the block's height. */
    private List<Note> notesShown() {
        List<Note> notes;
        try {
            notes = NotebookLines.read(data.resolve(FileNotebook.NOTES), false, line -> { });
        } catch (IOException | RuntimeException e) {
            world.out().println("  <DIR>/notebook.jsonl cannot be read: " + e.getMessage());
            return List.of();
        }
        for (int i = 0; i < notes.size(); i++) {
            Note note = notes.get(i);
            String shown = note.kind().equals("payment") ? "payment " + Story.shortened(String.valueOf(note.entry().get("id"))) : kind(note);
            world.out().println("  line " + (i + 1) + ": " + shown);
        }
        return notes;
    }

    /** "payment", or "block N": what a note is, to compare (the payment's id is checked by the step's requests). */
    private static List<String> kinds(List<Note> notes) {
        return notes.stream().map(Notebook::kind).toList();
    }

    private static String kind(Note note) {
        return note.kind().equals("block") ? "block " + note.entry().get("index") : note.kind();
    }

    /** A's new notebook, once it caught up: its notes printed; the differences from "block 2, block 3". */
    private List<String> notedAgain() {
        List<String> notes = kinds(notesShown());
        return notes.equals(List.of("block 2", "block 3")) ? List.of() : List.of("its new notes are " + notes);
    }

    /** Asks A where the payment is; the differences from "confirmed, in block {@code height}". */
    private List<String> confirmedIn(String id, long height) throws InterruptedException {
        return Story.fields(send("GET", "A", "/transactions/" + id, null), Map.of("status", "confirmed", "block", height));
    }

    /** Waits until the villager's tip is block {@code height}, mined by {@code miner}; prints it; the differences. */
    private List<String> tipIs(String key, long height, String miner) throws InterruptedException {
        boolean inTime = await(key, height, miner);
        String shown = shownTip(key);
        world.out().println("  " + key + "'s tip: " + shown);
        String expected = "block " + height + ", mined by " + miner;
        if (shown.equals(expected)) return List.of();
        return List.of(key + "'s tip is " + shown + (inTime ? "" : " after " + DEADLINE_MILLIS / 1000 + " s") + ", not " + expected);
    }

    /** Waits until the villager's tip is block {@code height}, mined by {@code miner}: true if in time. */
    private boolean await(String key, long height, String miner) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        String expected = "block " + height + ", mined by " + miner;
        while (System.currentTimeMillis() < deadline) {
            if (shownTip(key).equals(expected)) return true;
            Thread.sleep(50); // a poll, not a wait for the answer: we stop as soon as it is there
        }
        return false;
    }

    /** "block N, mined by WHO" for the villager's last block, or "no answer". */
    private String shownTip(String key) throws InterruptedException {
        List<?> chain = story.exchange("GET", key, "/chain", null).list("chain");
        if (chain.isEmpty()) return "no answer";
        Map<?, ?> tip = (Map<?, ?>) chain.get(chain.size() - 1);
        return "block " + tip.get("index") + ", mined by " + minerOf(tip);
    }

    /** Who a block's reward pays: 小美, 大華, or nobody here (genesis). */
    private static String minerOf(Map<?, ?> block) {
        List<?> transactions = (List<?>) block.get("transactions");
        Map<?, ?> reward = (Map<?, ?>) transactions.get(0);
        Object address = ((Map<?, ?>) ((List<?>) reward.get("outputs")).get(0)).get("address");
        for (String owner : List.of(PAYER, SELLER)) if (Keys.address(Keys.fromSeed(owner)).equals(address)) return owner;
        return "nobody here";
    }

    private Answer send(String method, String to, String path, Object body) throws InterruptedException {
        return story.told(method, to, path, body, Notebook::gist);
    }

    private static String gist(Answer answer) {
        if (answer.get("error") != null) return ": " + answer.get("error");
        if ("New Block Forged".equals(answer.get("message"))) return ": block " + answer.get("index");
        if (answer.get("status") != null) {
            return ": " + answer.get("status") + (answer.get("block") == null ? "" : ", in block " + answer.get("block"));
        }
        if (answer.get("message") != null) return ": " + answer.get("message") + (answer.get("id") == null ? "" : "; id " + answer.get("id"));
        return "";
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(the log cannot be read: " + e.getMessage() + ")";
        }
    }

    /** Removes a directory and all in it; what cannot be removed stays (a temporary directory, the system's to clear). */
    private static void delete(Path directory) {
        if (!Files.exists(directory)) return;
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (IOException e) {
            // left for the system: the story is told either way
        }
    }
}

package bitvillage.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage as a reader starts it ({@code java -jar target/bitvillage.jar B19 --port 0 ...}), in a JVM
 * of its own on the test's class path, so that a test can kill it as a crash does: SIGKILL, which no
 * shutdown hook, no {@code finally} and no close survives. What it prints, the access log too, goes to
 * a file, read while it runs.
 */
public final class VillagerProcess implements AutoCloseable {
    private static final Pattern RUNNING = Pattern.compile("(?m)^ \\* Running on (http://127\\.0\\.0\\.1:\\d+)/ \\(Press CTRL\\+C to quit\\)$");
    /** How a process killed by signal 9 exits, as Java reports it on Linux: 128 + 9. */
    public static final int KILLED_BY_SIGKILL = 128 + 9;
    private static final long WAIT_SECONDS = 120; // a JVM's start and a notebook's replay on a busy 2-core machine

    private final Process process;
    private final Path printed;

    private VillagerProcess(Process process, Path printed) {
        this.process = process;
        this.printed = printed;
    }

    /** {@code bitvillage.BitVillage} with {@code args}, printing to {@code printed} (stdout and stderr together). */
    public static VillagerProcess start(Path printed, String... args) throws IOException {
        // A villager lives a few seconds on 2 busy cores: the quick compiler alone and one GC thread start it sooner.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "bitvillage.BitVillage"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(printed.toFile()).start();
        return new VillagerProcess(process, printed);
    }

    /** Waits for its {@code * Running on} line: its URL. Fails, with what it printed, if it exits first. */
    public String awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean alive = process.isAlive(); // before reading: a line printed just before it exited is read too
            Matcher running = RUNNING.matcher(printed());
            if (running.find()) return running.group(1);
            if (!alive) throw new AssertionError("the villager exited (status " + process.exitValue() + ") before it listened:\n" + printed());
            Thread.sleep(20);
        }
        throw new AssertionError("the villager did not listen within " + WAIT_SECONDS + " s:\n" + printed());
    }

    /** Waits for it to stop by itself, as a start that is refused does: its exit status. */
    public int awaitExit() throws InterruptedException {
        assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "the villager is still running after " + WAIT_SECONDS + " s");
        return process.exitValue();
    }

    /** SIGKILL ({@link Process#destroyForcibly} on Linux), and the proof that it was: the exit status of signal 9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertEquals(KILLED_BY_SIGKILL, awaitExit(), "killed by SIGKILL");
    }

    /** Everything it printed so far. */
    public String printed() throws IOException {
        return Files.readString(printed, StandardCharsets.UTF_8);
    }

    public long pid() {
        return process.pid();
    }

    /** Kills it if it still runs: a test that failed leaves no villager behind. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroyForcibly();
        try {
            process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

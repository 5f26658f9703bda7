package bitvillage.util.netns;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the ip and nft commands that build and cut the namespaces: each to its end, its output read whole. */
final class Shell {
    private Shell() {}

    private static final long DEADLINE_SECONDS = 60; // ip and nft answer at once; a stuck one must not hold the village

    /** Runs the command; a failure is an exception saying the command and what it printed. */
    static void run(String... command) {
        runWithInput(null, command);
    }

    /** Runs the command with {@code input} on its standard input (null: none); fails as {@link #run} does. */
    static String runWithInput(String input, String... command) {
        Result result = execute(input, command);
        if (result.status != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output.strip());
        return result.output;
    }

    /** Runs the command; what went wrong, as a line, or nothing. */
    static List<String> tryRun(String... command) {
        try {
            runWithInput(null, command);
            return List.of();
        } catch (IllegalStateException e) {
            return List.of(e.getMessage());
        }
    }

    /** What the command printed, or nothing if it failed: for listings, where nothing listed is the answer. */
    static String tryOutput(String... command) {
        try {
            return runWithInput(null, command);
        } catch (IllegalStateException e) {
            return "";
        }
    }

    /**
     * Where the command is: on the PATH, or in /usr/sbin or /sbin, where Debian puts ip and nft and
     * which an ordinary user's PATH may leave out; null when it is nowhere.
     */
    static String locate(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return Path.of(dir, command).toString();
        }
        return null;
    }

    private record Result(int status, String output) {}

    private static Result execute(String input, String... command) {
        List<String> words = new ArrayList<>(List.of(command));
        String located = locate(command[0]);
        if (located != null) words.set(0, located);
        Process process;
        try {
            process = new ProcessBuilder(words).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + DEADLINE_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " was interrupted", e);
        }
    }
}

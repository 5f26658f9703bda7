package bitvillage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long a reader waits for stage B2: from starting {@code java -cp <our jar> bitvillage.BitVillage B2}
 * to the end of its output, the new block. That is the JVM starting, our classes loading, the book's
 * loop mining nonce 35293 before the JIT has compiled much of it, and the JSON printed.
 */
final class StartupBench {
    private StartupBench() {}

    /** The median of {@code runs} runs in seconds, after one untimed run that fills the disk cache. */
    static double medianSeconds(int runs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), "bitvillage.BitVillage", "B2");
        if (runs > 1) runOnce(command);
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) seconds.add(runOnce(command));
        return Bench.median(seconds);
    }

    private static double runOnce(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("B2 did not finish within a minute");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (process.exitValue() != 0 || !output.contains("Nonce of the new block: 35293") || !output.contains("New Block Forged")) {
            throw new IllegalStateException("B2 did not print its result (exit status " + process.exitValue() + "):\n" + output);
        }
        return seconds;
    }
}

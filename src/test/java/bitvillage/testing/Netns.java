package bitvillage.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.util.netns.Namespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests of --netns share: they run only where namespaces can be made (root, ip, nft: CI runs as
 * root), and afterwards nothing of theirs may be left, asked of the system itself: no namespace, link or
 * nftables table tagged with this JVM's process id, and no process of ours still running.
 */
public final class Netns {
    private Netns() {}

    /** Skips the test, saying why, where namespaces cannot be made. */
    public static void assumeAvailable() {
        String whyNot = Namespaces.whyNot();
        Assumptions.assumeTrue(whyNot == null, () -> "skipped: " + whyNot);
    }

    /** Fails if a namespace, link, nftables table or child process of this JVM's runs is still here. */
    public static void assertNothingLeft(String when) throws Exception {
        String tag = "bv" + ProcessHandle.current().pid() + "x";
        List<String> left = new ArrayList<>();
        for (String line : output("ip", "netns", "list").split("\n")) if (line.contains("bitvillage-" + tag)) left.add("namespace " + line);
        for (String line : output("ip", "-o", "link", "show").split("\n")) if (line.contains(": " + tag)) left.add("link " + line);
        for (String line : output("nft", "list", "tables").split("\n")) if (line.contains("bitvillage_" + tag)) left.add("table " + line);
        for (ProcessHandle child : ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()) {
            left.add("process " + child.pid() + " " + child.info().commandLine().orElse("?"));
        }
        assertEquals(List.of(), left, "left behind " + when);
    }

    /** The namespaces of this JVM's runs, by name. */
    public static List<String> namespacesOfThisJvm() throws IOException, InterruptedException {
        String tag = "bitvillage-bv" + ProcessHandle.current().pid() + "x";
        return allNamespaces().stream().filter(name -> name.startsWith(tag)).toList();
    }

    /** Every network namespace, by name. */
    public static List<String> allNamespaces() throws IOException, InterruptedException {
        return output("ip", "netns", "list").lines().map(line -> line.split("\\s+")[0]).toList();
    }

    /** The processes running in these namespaces. */
    public static List<ProcessHandle> processesIn(List<String> namespaces) throws IOException, InterruptedException {
        List<ProcessHandle> processes = new ArrayList<>();
        for (String namespace : namespaces) {
            for (String pid : output("ip", "netns", "pids", namespace).split("\\s+")) {
                if (pid.matches("\\d+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(processes::add);
            }
        }
        return processes;
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }
}

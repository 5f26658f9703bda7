package bitvillage.check;

import bitvillage.stages.Stages;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.web.HostLiteral;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * {@code java -jar target/bitvillage.jar check B10 http://127.0.0.1:5000}: runs the contract of a
 * stage over HTTP against any node, ours, the book's Python program, or one a learner wrote in Go
 * or Rust, and prints each check with pass, fail or skip and why. It ends with status 0 only when
 * no check failed. The consensus checks (B10 on) run against a villager that check starts
 * itself on 127.0.0.1; check sends nothing anywhere but to the node given and that villager.
 */
public final class Check {
    private Check() {}

    /** How the launcher names this job. */
    public static final String ID = "check";

    /** The stage and the URL, given before the options. */
    private static final Options.Option WORDS = new Options.Option("WORDS", "STAGE URL",
            "the stage whose contract to check (B" + Contract.FIRST_STAGE + " ... B" + Contract.LAST_STAGE
                    + "), then the node's URL, like http://127.0.0.1:5000; B15 fills the node's mempool: start it with --mempool-bytes 2000");

    private static final Options.Option TIMEOUT = Options.Option.number("--timeout", "N",
            "seconds to wait for each answer of the node", 10, 1, 600);

    public static final List<Options.Option> OPTIONS = List.of(WORDS,
            new Options.Option("--strict", null,
                    "also check what our nodes add to the book: refusals of bad input, a neighbour's length not trusted"),
            TIMEOUT);

    /** Reads {@code STAGE URL [--strict] [--timeout N]}, runs the checks, and fails when one of them did. */
    public static void run(Options options, World world) {
        List<String> words = options.all(WORDS.name());
        if (words.size() != 2) {
            throw new UsageError("check needs a stage and the node's URL, like: check B10 http://127.0.0.1:5000");
        }
        int stage = stageNumber(words.get(0));
        String base = nodeBase(words.get(1));
        Duration timeout = Duration.ofSeconds(options.number(TIMEOUT));
        List<Contract.Finding> results = run(stage, base, options.has("--strict"), timeout, world.out());
        long failed = results.stream().filter(result -> result.verdict() == Contract.Verdict.FAIL).count();
        if (failed > 0) {
            String first = results.stream().filter(result -> result.verdict() == Contract.Verdict.FAIL)
                    .findFirst().orElseThrow().name();
            throw new StageFailed(failed + " of " + results.size() + " checks failed; the first: " + first);
        }
    }

    /** Runs the contract of stage {@code stage} against the node at {@code base}, printing each check. */
    static List<Contract.Finding> run(int stage, String base, boolean strict, Duration timeout, PrintStream out) {
        out.println("Checking " + base + " against the contract of B" + stage + (strict ? ", --strict" : "") + ":");
        NodeClient node = new NodeClient(base, timeout, Contract.MOST_BYTES_READ);
        List<Contract.Finding> results = Contract.of(stage, strict, node, out).run();
        long passed = results.stream().filter(result -> result.verdict() == Contract.Verdict.PASS).count();
        long failed = results.stream().filter(result -> result.verdict() == Contract.Verdict.FAIL).count();
        out.println(results.size() + " checks: " + passed + " passed, " + failed + " failed, "
                + (results.size() - passed - failed) + " skipped");
        return results;
    }

    /**
     * A stage whose contract check knows, B3 ... B18, by any name the launcher knows it by: the book's
     * stages that serve HTTP, and Part II's.
     */
    static int stageNumber(String name) {
        Stages.Stage stage = Stages.findOrNull(name);
        if (stage != null && stage.number() >= Contract.FIRST_STAGE && stage.number() <= Contract.LAST_STAGE) {
            return stage.number();
        }
        throw new UsageError("check knows the contracts of B" + Contract.FIRST_STAGE + " ... B" + Contract.LAST_STAGE
                + " (the stages that serve HTTP), not " + name);
    }

    /**
     * The node's address as http://host:port, written as a neighbour's address is
     * ({@link NodeAddress}). Only a node on this computer: the villager that the consensus checks
     * start listens on 127.0.0.1, where only such a node can reach it.
     */
    static String nodeBase(String url) {
        String base;
        try {
            base = NodeAddress.normalise(url);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage() + "; give the node's URL like http://127.0.0.1:5000");
        }
        String host = URI.create(base).getHost();
        InetAddress literal = HostLiteral.read(host); // a name would need a DNS look-up: only localhost is ours
        if (literal == null ? !host.equals("localhost") : !literal.isLoopbackAddress()) {
            throw new UsageError("check talks only to a node on this computer: 127.0.0.1, localhost or [::1], not " + host);
        }
        return base;
    }
}

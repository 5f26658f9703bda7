package bitvillage;

import bitvillage.bench.Bench;
import bitvillage.check.Check;
import bitvillage.explorer.Explorer;
import bitvillage.race.OddsCommand;
import bitvillage.stages.B00Blockchain;
import bitvillage.stages.B01Transactions;
import bitvillage.stages.B02Mining;
import bitvillage.stages.B03Hello;
import bitvillage.stages.B04SecondRoute;
import bitvillage.stages.B05Post;
import bitvillage.stages.B06ReceiveJson;
import bitvillage.stages.B07MineRoute;
import bitvillage.stages.B08ChainRoute;
import bitvillage.stages.B09RegisterNodes;
import bitvillage.stages.B10Consensus;
import bitvillage.stages.B11SecondNode;
import bitvillage.stages.B12Confirmations;
import bitvillage.stages.B13ProofOfWork;
import bitvillage.stages.B14Fees;
import bitvillage.util.Options;
import bitvillage.util.Options.UsageError;
import bitvillage.util.WebApp;
import bitvillage.util.World;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The jar's front door: {@code java -jar target/bitvillage.jar B2} runs stage B2; with no argument it
 * lists the stages.
 */
public final class BitVillage {
    private BitVillage() {}

    /** What a stage does when it runs; a stage that serves HTTP answers the server, to stop it later. */
    @FunctionalInterface
    public interface Body {
        AutoCloseable run(Options options, World world) throws Exception;
    }

    /** One line of the table of contents. */
    public record Stage(String id, String teaches, String section, List<Options.Option> options, Body body) {
        public String command() {
            return "java -jar target/bitvillage.jar " + id;
        }
    }

    public static final List<Stage> STAGES = List.of(
            new Stage("digest", "a message's fingerprint: hash functions", "B-2-0", Digest.OPTIONS,
                    (options, world) -> { Digest.run(options, world); return null; }),
            new Stage("B0", "a blockchain and its genesis block", "B-2-1", B00Blockchain.OPTIONS,
                    (options, world) -> { B00Blockchain.run(options, world); return null; }),
            new Stage("B1", "transactions wait for the next block", "B-2-1", B01Transactions.OPTIONS,
                    (options, world) -> { B01Transactions.run(options, world); return null; }),
            new Stage("B2", "mining: proof of work", "B-2-2", B02Mining.OPTIONS,
                    (options, world) -> { B02Mining.run(options, world); return null; }),
            new Stage("B3", "a web server: GET / says hello", "B-3-1", B03Hello.OPTIONS, B03Hello::start),
            new Stage("B4", "a second route: GET /new", "B-3-1", B04SecondRoute.OPTIONS, B04SecondRoute::start),
            new Stage("B5", "POST only: GET /new gets 405", "B-3-1", B05Post.OPTIONS, B05Post::start),
            new Stage("B6", "receiving JSON: POST /nodes/register", "B-3-2", B06ReceiveJson.OPTIONS,
                    B06ReceiveJson::start),
            new Stage("B7", "mining over HTTP: GET /mine", "B-3-2", B07MineRoute.OPTIONS, B07MineRoute::start),
            new Stage("B8", "the whole chain: GET /chain", "B-3-2", B08ChainRoute.OPTIONS, B08ChainRoute::start),
            new Stage("B9", "neighbours: /nodes/register keeps them", "B-4", B09RegisterNodes.OPTIONS,
                    B09RegisterNodes::start),
            new Stage("B10", "consensus: the longest valid chain wins", "B-4", B10Consensus.OPTIONS,
                    B10Consensus::start),
            new Stage("B11", "a second villager on port 5002", "B-5", B11SecondNode.OPTIONS,
                    B11SecondNode::start),
            new Stage("walkthrough", "two villagers agree, step by step", "B-5", Walkthrough.OPTIONS,
                    (options, world) -> {
                        if (!Walkthrough.run(options, world)) {
                            throw new StageFailed("the walkthrough did not turn out as the book says (see NOT SO above)");
                        }
                        return null;
                    }),
            new Stage("B12", "confirmations: GET /transactions/<id>", "-", B12Confirmations.OPTIONS,
                    B12Confirmations::start),
            new Stage("forge", "six confirmations undone, at no work", "-", Forge.OPTIONS,
                    (options, world) -> {
                        if (!Forge.run(options, world)) {
                            throw new StageFailed("the forgery did not come out as the lesson says (see NOT SO above)");
                        }
                        return null;
                    }),
            new Stage("B13", "proof of work over the whole block", "-", B13ProofOfWork.OPTIONS,
                    B13ProofOfWork::start),
            new Stage("attack", "the 51% race, live: a double spend", "A", Attack.OPTIONS,
                    (options, world) -> { Attack.run(options, world); return null; }),
            new Stage("B14", "fees: the miner's pool, by fee rate", "B", B14Fees.OPTIONS, B14Fees::start),
            new Stage("fees", "a mempool, a full block, an eviction", "B", Fees.OPTIONS,
                    (options, world) -> {
                        if (!Fees.run(options, world)) {
                            throw new StageFailed("the fees story did not come out as the lesson says (see NOT SO above)");
                        }
                        return null;
                    }),
            new Stage("bench", "how fast is our village?", "-", Bench.OPTIONS,
                    (options, world) -> { Bench.run(options, world); return null; }),
            new Stage("odds", "odds that a double spend wins the race", "A", OddsCommand.OPTIONS,
                    (options, world) -> { OddsCommand.run(options, world); return null; }),
            new Stage("diff", "what a stage adds to the one it grows from", "-", StageDiff.OPTIONS,
                    (options, world) -> { StageDiff.run(options, world); return null; }),
            new Stage(Check.ID, "does a node keep a stage's contract?", "-", Check.OPTIONS,
                    (options, world) -> { Check.run(options, world); return null; }),
            new Stage("explorer", "the village drawn live in a browser", "-", Explorer.OPTIONS, Explorer::start));

    /** A stage that checks its own outcome found it wrong: the launcher shows why and exits with status 1. */
    public static final class StageFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public StageFailed(String message) {
            this(message, 1);
        }

        /** An outcome with an exit status of its own (attack: 3 when the attack failed). */
        public StageFailed(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public static void main(String[] args) throws Exception {
        World world = World.real();
        try {
            AutoCloseable server = launch(args, world);
            if (server != null) Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server)));
        } catch (UsageError e) {
            System.err.println("bitvillage: " + e.getMessage());
            System.err.println();
            PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
            Stage stage = args.length == 0 ? null : findOrNull(args[0]);
            if (stage == null) printStages(err);
            else printUsage(stage, err);
            System.exit(2);
        } catch (StageFailed | WebApp.CannotListen e) {
            System.err.println("bitvillage: " + e.getMessage());
            System.exit(e instanceof StageFailed failed ? failed.status() : 1);
        }
    }

    /**
     * Runs the stage the arguments name, in the given world. With no arguments, or only
     * {@code --help}, prints what there is to run.
     */
    public static AutoCloseable launch(String[] args, World world) throws Exception {
        if (args.length == 0) {
            printStages(world.out());
            return null;
        }
        if (args[0].equals("--help") || args[0].equals("-h")) {
            printHelp(world.out());
            return null;
        }
        if (args[0].startsWith("-")) throw new UsageError("give a stage first, then its options: " + args[0]);
        Stage stage = find(args[0]);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Options options = Options.parse(rest, stage.options());
        if (options.has("--help")) {
            printUsage(stage, world.out());
            return null;
        }
        return stage.body().run(options, world);
    }

    /**
     * Finds a stage by its id or by the book's program for it: B2, b2, B02, B-2 and B-2.py all name
     * stage B2. {@code B-N} is the book's program B-N.py, not its section B-N.
     */
    public static Stage find(String name) {
        Stage stage = findOrNull(name);
        if (stage != null) return stage;
        String nearest = nearestId(name);
        throw new UsageError("unknown stage: " + name + (nearest == null ? "" : " (did you mean " + nearest + "?)"));
    }

    private static Stage findOrNull(String name) {
        String wanted = name.toUpperCase(Locale.ROOT)
                .replaceFirst("^B-(\\d+)(\\.PY)?$", "B$1")
                .replaceFirst("^B0(?=\\d)", "B");
        for (Stage stage : STAGES) {
            if (stage.id().equalsIgnoreCase(wanted)) return stage;
        }
        return null;
    }

    /**
     * The stage id nearest to {@code name} when it is a typing slip away: one letter added, dropped or
     * changed (two in a longer word such as walkthrough); between equally near ids, one of the same length
     * (B1O is B10 mistyped rather than B1 with a letter too many).
     */
    private static String nearestId(String name) {
        String typed = name.toUpperCase(Locale.ROOT);
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (Stage stage : STAGES) {
            String id = stage.id().toUpperCase(Locale.ROOT);
            int slips = editDistance(typed, id);
            int rank = slips * 2 + (id.length() == typed.length() ? 0 : 1);
            if (slips <= (id.length() > 4 ? 2 : 1) && rank < best) {
                best = rank;
                nearest = stage.id();
            }
        }
        return nearest;
    }

    private static int editDistance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) row[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                int change = diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(change, Math.min(above, row[j - 1]) + 1);
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    private static void printUsage(Stage stage, PrintStream out) {
        String section = stage.section().equals("-") ? "" : " (book section " + stage.section() + ")";
        out.println("Stage " + stage.id() + ": " + stage.teaches() + section);
        String words = stage.options().stream().filter(Options.Option::collectsWords)
                .map(option -> " " + option.valueName()).collect(Collectors.joining());
        out.println("usage: " + stage.command() + words + " [options]");
        out.print(Options.describe(stage.options()));
    }

    public static void printStages(PrintStream out) {
        out.println("Bit Village: a blockchain built stage by stage. Stages:");
        for (Stage stage : STAGES) {
            out.printf("  %-12s %-42s %-6s %s%n", stage.id(), stage.teaches(), stage.section(), stage.command());
        }
        out.println("Options of a stage: java -jar target/bitvillage.jar STAGE --help");
    }

    private static void printHelp(PrintStream out) {
        out.println("usage: java -jar target/bitvillage.jar [STAGE [OPTIONS]]");
        out.println("  with no STAGE, list the stages;");
        out.println("  STAGE is a stage's id (B0 ... B14, or B00 ... B14) or another job in the list below, then its options;");
        out.println("  B-N and B-N.py name the stage of the book's program B-N.py (B-2.py is B2), not book section B-N;");
        out.println("  STAGE --help explains the options of that stage.");
        out.println("An unknown stage or option ends with exit status 2.");
        out.println();
        printStages(out);
    }

    private static void close(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("bitvillage: while stopping: " + e.getMessage());
        }
    }
}

package bitvillage;

import bitvillage.bench.Bench;
import bitvillage.check.Check;
import bitvillage.diff.StageDiff;
import bitvillage.explorer.Explorer;
import bitvillage.race.OddsCommand;
import bitvillage.stages.Stages;
import bitvillage.story.Attack;
import bitvillage.story.Coins;
import bitvillage.story.Fees;
import bitvillage.story.Forge;
import bitvillage.story.Notebook;
import bitvillage.story.Partition;
import bitvillage.story.Signatures;
import bitvillage.story.Walkthrough;
import bitvillage.util.cli.Command;
import bitvillage.util.cli.Nearest;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import bitvillage.village.Village;
import bitvillage.wallet.Pay;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The jar's front door: {@code java -jar target/bitvillage.jar B2} runs stage B2; with no argument it
 * lists what there is to run. The stages come from {@link Stages}; this class adds the stories that
 * play a stage's lesson by themselves, and the tools.
 */
public final class BitVillage {
    private BitVillage() {}

    /** The stories, each listed after the stage whose lesson it plays. */
    private static final Map<String, Command> STORY_AFTER = Map.of(
            "B11", Command.story("walkthrough", "two villagers agree, step by step", "B-5", Walkthrough.OPTIONS,
                    Walkthrough.PLAY, "the walkthrough did not turn out as the book says (see NOT SO above)"),
            "B12", Command.story("forge", "six confirmations undone, at no work", "-", Forge.OPTIONS, Forge.PLAY,
                    "the forgery did not come out as the lesson says (see NOT SO above)"),
            "B13", Command.job("attack", "the 51% race, live: a double spend", "A", Attack.OPTIONS, Attack::run),
            "B15", Command.story("fees", "a mempool, a full block, an eviction", "B", Fees.OPTIONS, Fees.PLAY,
                    "the fees story did not come out as the lesson says (see NOT SO above)"),
            "B16", Command.story("signatures", "forgeries and double spends refused, live", "B-1", Signatures.OPTIONS,
                    Signatures.PLAY, "the signatures story did not come out as the lesson says (see NOT SO above)"),
            "B17", Command.story("coins", "change, a coin spent twice, maturity, live", "B-1", Coins.OPTIONS, Coins.PLAY,
                    "the coins story did not come out as the lesson says (see NOT SO above)"),
            "B18", Command.story("partition", "a village cut in two, and healed", "B-1", Partition.OPTIONS, Partition.PLAY,
                    "the partition story did not come out as the lesson says (see NOT SO above)"),
            "B19", Command.story("notebook", "kill -9, the notebook kept, one asked back", "B-1", Notebook.OPTIONS, Notebook.PLAY,
                    "the notebook story did not come out as the lesson says (see NOT SO above)"));

    private static final List<Command> TOOLS = List.of(
            Command.job("bench", "how fast is our village?", "-", Bench.OPTIONS, Bench::run),
            Command.job("odds", "odds that a double spend wins the race", "A", OddsCommand.OPTIONS, OddsCommand::run),
            Command.job("diff", "what a stage adds to the one it grows from", "-", StageDiff.OPTIONS, StageDiff::run),
            Command.job("pay", "a signed payment, sent to a node", "B-1", Pay.OPTIONS, Pay::run),
            Command.job(Check.ID, "does a node keep a stage's contract?", "-", Check.OPTIONS, Check::run),
            new Command("explorer", "the village drawn live in a browser", "-", Explorer.OPTIONS, Explorer::start),
            new Command("village", "many B19 villagers at once, talking", "B-1", Village.OPTIONS, Village::run));

    /** Everything the launcher runs, in the order it lists them. */
    public static final List<Command> COMMANDS = commands();

    private static List<Command> commands() {
        List<Command> all = new ArrayList<>();
        for (Stages.Stage stage : Stages.ALL) {
            all.add(stage.command());
            if (STORY_AFTER.containsKey(stage.id())) all.add(STORY_AFTER.get(stage.id()));
        }
        all.addAll(TOOLS);
        return List.copyOf(all);
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
            Command command = args.length == 0 ? null : findOrNull(args[0]);
            if (command == null) printCommands(err);
            else printUsage(command, err);
            System.exit(2);
        } catch (StageFailed | WebApp.CannotListen e) {
            System.err.println("bitvillage: " + e.getMessage());
            System.exit(e instanceof StageFailed failed ? failed.status() : 1);
        }
    }

    /**
     * Runs the command the arguments name, in the given world. With no arguments, or only
     * {@code --help}, prints what there is to run.
     */
    public static AutoCloseable launch(String[] args, World world) throws Exception {
        if (args.length == 0) {
            printCommands(world.out());
            return null;
        }
        if (args[0].equals("--help") || args[0].equals("-h")) {
            printHelp(world.out());
            return null;
        }
        if (args[0].startsWith("-")) throw new UsageError("give a stage first, then its options: " + args[0]);
        Command command = find(args[0]);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Options options = Options.parse(rest, command.options());
        if (options.has("--help")) {
            printUsage(command, world.out());
            return null;
        }
        return command.body().run(options, world);
    }

    /** A command by its id; a stage also by the book's program for it (B2, b2, B02, B-2 and B-2.py). */
    public static Command find(String name) {
        Command command = findOrNull(name);
        if (command != null) return command;
        String nearest = Nearest.among(name, COMMANDS.stream().map(Command::id).toList());
        throw new UsageError("unknown stage: " + name + (nearest == null ? "" : " (did you mean " + nearest + "?)"));
    }

    private static Command findOrNull(String name) {
        String wanted = Stages.canonical(name);
        for (Command command : COMMANDS) {
            if (command.id().equalsIgnoreCase(wanted)) return command;
        }
        return null;
    }

    private static void printUsage(Command command, PrintStream out) {
        String section = command.section().equals("-") ? "" : " (book section " + command.section() + ")";
        out.println("Stage " + command.id() + ": " + command.teaches() + section);
        String words = command.options().stream().filter(Options.Option::collectsWords)
                .map(option -> " " + option.valueName()).collect(Collectors.joining());
        out.println("usage: " + command.line() + words + " [options]");
        out.print(Options.describe(command.options()));
    }

    public static void printCommands(PrintStream out) {
        out.println("Bit Village: a blockchain built stage by stage. Stages:");
        for (Command command : COMMANDS) {
            out.printf("  %-12s %-42s %-6s %s%n", command.id(), command.teaches(), command.section(), command.line());
        }
        out.println("Options of a stage: java -jar target/bitvillage.jar STAGE --help");
    }

    private static void printHelp(PrintStream out) {
        String first = Stages.ALL.get(1).id();
        String last = Stages.newest().id();
        out.println("usage: java -jar target/bitvillage.jar [STAGE [OPTIONS]]");
        out.println("  with no STAGE, list the stages;");
        out.println("  STAGE is a stage's id (" + first + " ... " + last + ", or B00 ... " + last
                + ") or another job in the list below, then its options;");
        out.println("  B-N and B-N.py name the stage of the book's program B-N.py (B-2.py is B2), not book section B-N;");
        out.println("  STAGE --help explains the options of that stage.");
        out.println("An unknown stage or option ends with exit status 2.");
        out.println();
        printCommands(out);
    }

    private static void close(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("bitvillage: while stopping: " + e.getMessage());
        }
    }
}

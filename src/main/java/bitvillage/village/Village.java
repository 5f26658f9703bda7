package bitvillage.village;

import bitvillage.explorer.Explorer;
import bitvillage.stages.B18Gossip;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.client.NeighbourCalls;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.netns.Namespaces;
import bitvillage.util.netns.OwnJvm;
import bitvillage.util.web.LinkDelay;
import bitvillage.util.web.WebApp;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The village command: many B18 villagers at once, in this process, on free ports, each a neighbour
 * of the next as a topology says (registered both ways, as {@code /nodes/register} does by hand), and
 * the explorer drawing them. With {@code --mine-every}, a villager picked at random mines now and then,
 * and the blocks spread by gossip alone. With {@code --netns}, each villager is a process of its own in
 * a Linux network namespace of its own ({@link Namespaces}), and a cut link drops packets. Closing the
 * village (Ctrl+C) stops every villager and removes the namespaces.
 */
public final class Village implements AutoCloseable {
    /** Who is whose neighbour: each villager to the next, that and the last to the first, or each to every other. */
    public enum Topology {
        LINE, RING, MESH;

        /** The pairs of villagers (by number) that are neighbours, each pair once. */
        List<int[]> links(int count) {
            List<int[]> links = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                for (int j = i + 1; j < count; j++) {
                    boolean next = j == i + 1;
                    boolean closesRing = this == RING && i == 0 && j == count - 1 && count > 2;
                    if (this == MESH || next || closesRing) links.add(new int[] {i, j});
                }
            }
            return links;
        }

        static Topology named(String name) {
            for (Topology topology : values()) {
                if (topology.name().toLowerCase(Locale.ROOT).equals(name)) return topology;
            }
            throw new Options.UsageError("--topology is line, ring or mesh, not " + name);
        }
    }

    public static final int MAX_VILLAGERS = 20;
    private static final Options.Option VILLAGERS = Options.Option.number("--villagers", "N", "how many villagers to start", 5, 2, MAX_VILLAGERS);
    private static final Options.Option TOPOLOGY = Options.Option.text("--topology", "NAME",
            "line (each villager a neighbour of the next), ring (and the last of the first) or mesh (everyone of everyone)", "line");
    private static final Options.Option MINE_EVERY = new Options.Option("--mine-every", "SECONDS",
            "every so many seconds, 1 to 3600, a villager picked at random mines a block (default: nobody mines)");
    private static final Options.Option SEED = Options.Option.number("--seed", "N", "the seed of who mines when, so a village repeats", 1, 0, Integer.MAX_VALUE);
    private static final Options.Option PORT = Options.Option.number(WebApp.PORT.name(), "N",
            "port of the explorer's page (0 picks a free one)", Explorer.DEFAULT_PORT, 0, 65_535);
    /** --netns: each villager in a network namespace of its own (needs root). */
    public static final Options.Option NETNS = new Options.Option("--netns", null,
            "each villager a process in a Linux network namespace of its own, on a bridge (needs root, ip and nft)");
    public static final List<Options.Option> OPTIONS = List.of(VILLAGERS, TOPOLOGY, MINE_EVERY, SEED, PORT, NETNS, LinkDelay.OPTION);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** In a namespace every villager has an address of its own, so all listen on the book's port. */
    private static final int PORT_IN_NAMESPACE = 5000;
    /** A new JVM on a busy two-core machine can take this long to listen. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(180);
    // Five JVMs at once: small heaps, and no optimising compiler for a node that mostly waits.
    private static final List<String> VILLAGER_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final List<String> urls = new ArrayList<>();
    private final List<WebApp> villagers = new ArrayList<>(); // in this process, stopped by close(), the last first
    private final List<Process> processes = new ArrayList<>(); // with --netns, villager i's process
    private final List<AutoCloseable> alsoClosing = new ArrayList<>(); // the explorer, the miners
    private final NeighbourCalls calls = new NeighbourCalls(TIMEOUT);
    private Namespaces namespaces; // with --netns
    private Path logs; // with --netns: each villager's output, shown if it fails

    private Village() {}

    /** The village command: the villagers, the explorer, and the miners if asked; prints where each listens. */
    public static AutoCloseable run(Options options, World world) throws Exception {
        Topology topology = Topology.named(options.text(TOPOLOGY));
        List<String> villagerOptions = options.has(LinkDelay.OPTION.name())
                ? List.of(LinkDelay.OPTION.name(), options.text(LinkDelay.OPTION.name(), null)) : List.of();
        Village village = options.has(NETNS.name()) ? startInNamespaces(options.number(VILLAGERS), topology, villagerOptions)
                : start(options.number(VILLAGERS), topology, villagerOptions, world);
        try {
            PrintStream out = world.out();
            for (int i = 0; i < village.size(); i++) {
                out.println("Villager " + name(i) + " (B18): " + village.url(i) + ", neighbours "
                        + village.neighbourNames(i, topology).stream().collect(Collectors.joining(", ")));
            }
            List<String> drawn = new ArrayList<>(List.of("--port", "" + options.number(PORT)));
            for (int i = 0; i < Math.min(Explorer.MAX_VILLAGERS, village.size()); i++) drawn.addAll(List.of("--node", village.url(i)));
            AutoCloseable explorer = Explorer.start(Options.parse(drawn.toArray(String[]::new), Explorer.OPTIONS), quiet(world));
            village.alsoClosing.add(explorer);
            String page = explorer instanceof WebApp app ? app.url() + "/" : "(no page)";
            out.println("The explorer's page: " + page + " draws villagers A to " + name(Math.min(Explorer.MAX_VILLAGERS, village.size()) - 1));
            if (village.namespaces != null) {
                out.println("Network namespaces: " + village.namespaces.namespace(0) + " to " + village.namespaces.namespace(village.size() - 1)
                        + " (ip netns list). Cut the link between A and B (delete for add heals it):");
                out.println("  " + village.namespaces.cutCommand(0, 1));
            }
            if (options.has(MINE_EVERY.name())) village.mineEvery(options.number(MINE_EVERY.name(), 0, 1, 3600), options.number(SEED), world);
            out.println("Press CTRL+C to stop the village" + (village.namespaces == null ? "." : " and remove its namespaces."));
            return village;
        } catch (RuntimeException e) {
            village.close();
            throw e;
        }
    }

    /**
     * Starts {@code count} B18 villagers, each with these options besides a free port and its own reward
     * seed ("villager A", ...), and makes them neighbours as {@code topology} says. On failure stops them all.
     */
    public static Village start(int count, Topology topology, List<String> villagerOptions, World world) {
        Village village = new Village();
        try {
            for (int i = 0; i < count; i++) {
                List<String> args = new ArrayList<>(List.of("--port", "0", "--seed", "villager " + name(i)));
                args.addAll(villagerOptions);
                WebApp villager = B18Gossip.start(Options.parse(args.toArray(String[]::new), B18Gossip.OPTIONS), quiet(world));
                village.villagers.add(villager);
                village.urls.add(NodeAddress.normalise(villager.url()));
            }
            for (int[] link : topology.links(count)) village.connect(link[0], link[1]);
            return village;
        } catch (RuntimeException e) {
            village.close();
            throw e;
        }
    }

    /**
     * As {@link #start}, but each villager a process of its own (this JVM's java and class path), in a
     * network namespace of its own, listening on its namespace's address, port 5000. Refuses with exit
     * status 2 and one line when namespaces cannot be made here. On failure removes it all.
     */
    public static Village startInNamespaces(int count, Topology topology, List<String> villagerOptions) {
        String whyNot = Namespaces.whyNot();
        if (whyNot != null) throw new StageFailed(whyNot, 2);
        Village village = new Village();
        try {
            village.namespaces = Namespaces.create(count);
            village.logs = Files.createTempDirectory("bitvillage-" + village.namespaces.tag());
            for (int i = 0; i < count; i++) {
                List<String> command = new ArrayList<>(OwnJvm.command(VILLAGER_JVM, B18Gossip.class));
                command.addAll(List.of("--host", village.namespaces.address(i), "--port", "" + PORT_IN_NAMESPACE, "--seed", "villager " + name(i)));
                command.addAll(villagerOptions);
                village.processes.add(village.namespaces.start(i, command, village.log(i)));
                village.urls.add(NodeAddress.normalise("http://" + village.namespaces.address(i) + ":" + PORT_IN_NAMESPACE));
            }
            for (int i = 0; i < count; i++) village.awaitListening(i);
            for (int[] link : topology.links(count)) village.connect(link[0], link[1]);
            return village;
        } catch (IOException e) {
            village.close();
            throw new IllegalStateException("cannot start the villagers: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            village.close();
            throw e;
        }
    }

    private Path log(int i) {
        return logs.resolve("villager-" + name(i) + ".log");
    }

    /** Waits until villager {@code i} answers; fails with its output if it stopped, or did not answer in time. */
    private void awaitListening(int i) {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (whyStopped() != null) throw new IllegalStateException(whyStopped() + ":\n" + output(i));
            if (calls.get(url(i), "/nodes", 1 << 20).ok()) return;
            try {
                Thread.sleep(200); // a poll while a JVM starts: it says nothing when it is ready but by answering
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while villager " + name(i) + " started", e);
            }
        }
        throw new IllegalStateException("villager " + name(i) + " did not answer within " + START_DEADLINE.toSeconds() + " s:\n" + output(i));
    }

    private String output(int i) {
        try {
            return Files.readString(log(i), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(its output cannot be read: " + e.getMessage() + ")";
        }
    }

    /** With --netns, which villager's process has stopped, and how; null while all run (always, in this process). */
    public String whyStopped() {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) return "villager " + name(i) + " stopped (exit status " + processes.get(i).exitValue() + ")";
        }
        return null;
    }

    /** True when the villagers are in network namespaces of their own, and a cut drops packets. */
    public boolean inNamespaces() {
        return namespaces != null;
    }

    /** Villager {@code a} and villager {@code b} become each other's neighbours. */
    public void connect(int a, int b) {
        register(a, b);
        register(b, a);
    }

    /**
     * Cuts the link between villagers {@code a} and {@code b}: with --netns, every packet between them is
     * dropped, and neither knows; in this process, they forget each other, as Bitcoin Core's tests disconnect nodes.
     */
    public void cut(int a, int b) {
        if (namespaces != null) {
            namespaces.cut(a, b);
            return;
        }
        for (int[] pair : List.of(new int[] {a, b}, new int[] {b, a})) {
            NeighbourCalls.Answer answer = calls.post(url(pair[0]), "/nodes/forget", Map.of("nodes", List.of(url(pair[1]))));
            if (!answer.ok()) throw new IllegalStateException("villager " + name(pair[0]) + " did not forget " + name(pair[1]) + ": " + answer);
        }
    }

    /** Heals a cut: with --netns, packets cross again; in this process, the two register each other again. */
    public void heal(int a, int b) {
        if (namespaces != null) namespaces.heal(a, b);
        else connect(a, b);
    }

    private void register(int at, int neighbour) {
        NeighbourCalls.Answer answer = calls.post(url(at), "/nodes/register", Map.of("nodes", List.of(url(neighbour))));
        if (!answer.ok()) throw new IllegalStateException("villager " + name(at) + " did not register " + name(neighbour) + ": " + answer);
    }

    /** Villager {@code i}'s address, as it announces itself to its neighbours. */
    public String url(int i) {
        return urls.get(i);
    }

    public int size() {
        return urls.size();
    }

    /** A villager's letter: A, B, ... */
    public static String name(int i) {
        return String.valueOf((char) ('A' + i));
    }

    private List<String> neighbourNames(int i, Topology topology) {
        List<String> names = new ArrayList<>();
        for (int[] link : topology.links(size())) {
            if (link[0] == i) names.add(name(link[1]));
            if (link[1] == i) names.add(name(link[0]));
        }
        return names.stream().sorted().toList();
    }

    /** Every {@code seconds}, a villager the seeded random picks mines a block; its neighbours hear of it by gossip. */
    private void mineEvery(int seconds, int seed, World world) {
        Random random = new Random(seed);
        ScheduledExecutorService miners = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "village miner");
            thread.setDaemon(true); // Ctrl+C stops the village whatever it is mining
            return thread;
        });
        alsoClosing.add(miners::shutdownNow);
        miners.scheduleWithFixedDelay(() -> {
            int miner = random.nextInt(size());
            NeighbourCalls.Answer mined = calls.get(url(miner), "/mine", 1 << 20);
            Object index = mined.object() == null ? null : mined.object().get("index");
            world.out().println(index == null ? "Villager " + name(miner) + " could not mine: " + mined.problem()
                    : "Villager " + name(miner) + " mined block " + index);
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    /** The villagers' own logs (a line per request, many a second) would bury what the village command says. */
    private static World quiet(World world) {
        return new World(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), world.clock(), world.nodeIds());
    }

    /** Stops the miners, the explorer and the villagers, the last started first; removes the namespaces and the villagers' output. */
    @Override
    public void close() {
        for (int i = alsoClosing.size() - 1; i >= 0; i--) {
            try {
                alsoClosing.get(i).close();
            } catch (Exception e) {
                System.err.println("village: while stopping: " + e.getMessage());
            }
        }
        for (int i = villagers.size() - 1; i >= 0; i--) villagers.get(i).close();
        if (namespaces != null) namespaces.close(); // stops the villagers' processes first
        if (logs != null) {
            try (var files = Files.list(logs)) {
                for (Path file : files.toList()) Files.delete(file);
                Files.delete(logs);
            } catch (IOException e) {
                System.err.println("village: cannot remove " + logs + ": " + e.getMessage());
            }
        }
    }
}

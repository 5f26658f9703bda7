package bitvillage.util.netns;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computers of our own on one Linux machine: each a network namespace with its own address, joined
 * by a virtual cable (a veth pair) to one bridge, the switch they share. The bridge has an address
 * too, so this process, in the machine's own namespace, reaches every one of them. A link between
 * two of them is cut by an nftables rule on the bridge that drops their packets, and healed by
 * taking it off again: packets are lost, not refused, as when a real cable is pulled.
 *
 * <p>Everything one run makes carries a tag of its own, {@code bv<pid>x<n>} (a link name has at most 15 characters), so runs side by side never
 * meet; closing removes it all, the processes in the namespaces first, and so does a shutdown hook on
 * Ctrl+C. A run killed outright leaves its things behind: the next run removes those whose process is gone.
 */
public final class Namespaces implements AutoCloseable {
    /** Each run's addresses are a /24 of 10.77.0.0/16, a private range. */
    private static final String SUBNET_PREFIX = "10.77.";
    private static final Pattern TAG = Pattern.compile("bv(\\d+)x([0-9a-z]+)");
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "bitvillage-netns.lock");

    private final String tag;
    private final int count;
    private final String subnet; // 10.77.N.
    private final List<Process> processes = new ArrayList<>();
    private final Thread onShutdown = new Thread(this::close, "namespaces cleanup");
    private boolean closed;

    private Namespaces(String tag, int count, String subnet) {
        this.tag = tag;
        this.count = count;
        this.subnet = subnet;
    }

    /**
     * Why namespaces cannot be made here, in one line, or null when they can: root (or CAP_SYS_ADMIN and
     * CAP_NET_ADMIN), {@code ip} and {@code nft}.
     */
    public static String whyNot() {
        List<String> missing = new ArrayList<>();
        if (Shell.locate("ip") == null) missing.add("the ip command (Debian: apt-get install iproute2)");
        if (Shell.locate("nft") == null) missing.add("the nft command (Debian: apt-get install nftables)");
        if (!hasAdminCapabilities()) missing.add("root, or the capabilities CAP_SYS_ADMIN and CAP_NET_ADMIN (run it with sudo)");
        return missing.isEmpty() ? null : "--netns needs " + String.join(", and ", missing);
    }

    /** CAP_SYS_ADMIN (21) and CAP_NET_ADMIN (12) in the effective set, as /proc/self/status shows it in hex. */
    private static boolean hasAdminCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                    long needed = (1L << 21) | (1L << 12);
                    return (effective & needed) == needed;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /**
     * Makes {@code count} namespaces on a bridge of their own, on a /24 of 10.77.0.0/16 that no address
     * of this machine uses yet, and the nftables table that cuts their links. First removes what runs
     * killed outright left behind. On failure removes what it made.
     *
     * @throws IllegalStateException saying which command failed and what it said
     */
    public static Namespaces create(int count) {
        if (count < 1 || count > 36) throw new IllegalArgumentException("1 to 36 namespaces, not " + count);
        String tag = "bv" + ProcessHandle.current().pid() + "x" + Integer.toString(RUNS.incrementAndGet(), 36);
        // Two runs starting at once must not pick the same subnet: choosing and claiming it go together.
        try (FileChannel file = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            file.lock(); // released as the file closes
            removeLeftovers();
            Namespaces namespaces = new Namespaces(tag, count, freeSubnet());
            Runtime.getRuntime().addShutdownHook(namespaces.onShutdown); // Ctrl+C while we build removes what is built
            try {
                namespaces.build();
            } catch (RuntimeException e) {
                namespaces.close();
                throw e;
            }
            return namespaces;
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + LOCK + ": " + e.getMessage(), e);
        }
    }

    private void build() {
        // Bridged packets skip iptables: a machine whose FORWARD policy is DROP (Docker sets it so) would drop them all.
        Shell.run("ip", "link", "add", bridge(), "type", "bridge", "nf_call_iptables", "0", "nf_call_ip6tables", "0", "nf_call_arptables", "0");
        Shell.run("ip", "addr", "add", subnet + "1/24", "dev", bridge());
        Shell.run("ip", "link", "set", bridge(), "up");
        for (int i = 0; i < count; i++) {
            Shell.run("ip", "netns", "add", namespace(i));
            Shell.run("ip", "link", "add", hostSide(i), "type", "veth", "peer", "name", inside(i), "netns", namespace(i));
            Shell.run("ip", "link", "set", hostSide(i), "master", bridge(), "up");
            Shell.run("ip", "-n", namespace(i), "addr", "add", address(i) + "/24", "dev", inside(i));
            Shell.run("ip", "-n", namespace(i), "link", "set", inside(i), "up");
            Shell.run("ip", "-n", namespace(i), "link", "set", "lo", "up");
        }
        // A set of (in, out) bridge ports whose packets are dropped: cutting adds both directions, healing removes them.
        Shell.runWithInput("table bridge " + table() + " {\n"
                + "  set cut { type ifname . ifname; }\n"
                + "  chain forward { type filter hook forward priority 0; policy accept; iifname . oifname @cut drop; }\n"
                + "}\n", "nft", "-f", "-");
    }

    /** The address of namespace {@code i}, as other namespaces and this process reach it. */
    public String address(int i) {
        return subnet + (i + 2);
    }

    /** The tag every name of this run carries. */
    public String tag() {
        return tag;
    }

    public String namespace(int i) {
        return "bitvillage-" + tag + "-" + Integer.toString(i, 36);
    }

    private String bridge() {
        return tag + "-br";
    }

    private String hostSide(int i) {
        return tag + "-h" + Integer.toString(i, 36);
    }

    private String inside(int i) {
        return tag + "-n" + Integer.toString(i, 36);
    }

    private String table() {
        return "bitvillage_" + tag;
    }

    /**
     * Starts {@code command} inside namespace {@code i} ({@code ip netns exec}), its output to {@code log};
     * closing stops it, or kills it if it will not stop.
     */
    public synchronized Process start(int i, List<String> command, Path log) throws IOException {
        List<String> inNamespace = new ArrayList<>(List.of(Shell.locate("ip"), "netns", "exec", namespace(i)));
        inNamespace.addAll(command);
        Process process = new ProcessBuilder(inNamespace).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    /** Drops every packet between namespaces {@code a} and {@code b}, both ways. */
    public void cut(int a, int b) {
        Shell.run("nft", "add", "element", "bridge", table(), "cut", pair(a, b));
    }

    /** Lets packets between {@code a} and {@code b} through again. */
    public void heal(int a, int b) {
        Shell.run("nft", "delete", "element", "bridge", table(), "cut", pair(a, b));
    }

    /** The command that cuts the link between {@code a} and {@code b}, as a reader types it; {@code delete} for {@code add} heals it. */
    public String cutCommand(int a, int b) {
        return "nft add element bridge " + table() + " cut '" + pair(a, b) + "'";
    }

    private String pair(int a, int b) {
        return "{ \"" + hostSide(a) + "\" . \"" + hostSide(b) + "\", \"" + hostSide(b) + "\" . \"" + hostSide(a) + "\" }";
    }

    /** Stops the processes, then removes the namespaces, their links, the bridge and the table; says on standard error what it could not. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(onShutdown);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already (this is the hook), or the hook was never added: nothing to take off
        }
        for (Process process : processes) process.destroy();
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (String problem : remove(tag)) System.err.println("namespaces: while removing: " + problem);
    }

    /**
     * Removes what the run tagged {@code tag} made: kills what still runs in its namespaces, deletes
     * them (their end of each cable goes with them), then its other links, the bridge and its table.
     * Answers what it could not remove.
     */
    private static List<String> remove(String tag) {
        List<String> problems = new ArrayList<>();
        for (String namespace : namespaces()) {
            if (!namespace.startsWith("bitvillage-" + tag + "-")) continue;
            killAllIn(namespace);
            problems.addAll(Shell.tryRun("ip", "netns", "delete", namespace));
        }
        for (String link : links()) {
            // Deleting a namespace deletes its end of the cable, and the kernel then our end, a moment later.
            if (link.startsWith(tag + "-h")) {
                Shell.tryRun("ip", "link", "delete", link).stream().filter(problem -> !problem.contains("Cannot find device")).forEach(problems::add);
            }
        }
        if (links().contains(tag + "-br")) problems.addAll(Shell.tryRun("ip", "link", "delete", tag + "-br"));
        if (tables().contains("bitvillage_" + tag)) problems.addAll(Shell.tryRun("nft", "delete", "table", "bridge", "bitvillage_" + tag));
        return problems;
    }

    /** Kills every process in the namespace and waits for each to end: a namespace whose processes live on keeps its cable. */
    private static void killAllIn(String namespace) {
        for (String pid : Shell.tryOutput("ip", "netns", "pids", namespace).split("\\s+")) {
            if (!pid.matches("\\d+")) continue;
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
                process.destroyForcibly();
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // it did not end in time: deleting the namespace below says what stays
                }
            });
        }
    }

    /** Removes what runs killed outright left: everything tagged with the id of a process that is gone. */
    private static void removeLeftovers() {
        Set<String> tags = new HashSet<>();
        List<String> names = new ArrayList<>(namespaces());
        names.addAll(links());
        names.addAll(tables());
        for (String name : names) {
            Matcher tag = TAG.matcher(name);
            if (tag.find() && ProcessHandle.of(Long.parseLong(tag.group(1))).isEmpty()) tags.add(tag.group());
        }
        for (String tag : tags) {
            for (String problem : remove(tag)) System.err.println("namespaces: while removing what a killed run left: " + problem);
        }
    }

    /** A 10.77.N. that no address of this machine is in yet. */
    private static String freeSubnet() {
        String addresses = Shell.tryOutput("ip", "-o", "-4", "addr", "show");
        for (int n = 1; n < 255; n++) {
            if (!addresses.contains(" " + SUBNET_PREFIX + n + ".")) return SUBNET_PREFIX + n + ".";
        }
        throw new IllegalStateException("every subnet of 10.77.0.0/16 is in use on this machine");
    }

    private static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : Shell.tryOutput("ip", "netns", "list").split("\n")) {
            if (line.startsWith("bitvillage-")) names.add(line.split("\\s+")[0]);
        }
        return names;
    }

    private static List<String> links() {
        List<String> names = new ArrayList<>();
        for (String line : Shell.tryOutput("ip", "-o", "link", "show").split("\n")) {
            String[] fields = line.split(":\\s+");
            if (fields.length < 2) continue;
            String name = fields[1].split("@")[0];
            if (TAG.matcher(name).lookingAt()) names.add(name);
        }
        return names;
    }

    private static List<String> tables() {
        List<String> names = new ArrayList<>();
        for (String line : Shell.tryOutput("nft", "list", "tables", "bridge").split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 3 && words[2].startsWith("bitvillage_bv")) names.add(words[2]);
        }
        return names;
    }
}

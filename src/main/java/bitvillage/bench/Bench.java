package bitvillage.bench;

import static bitvillage.bench.Figure.atLeast;
import static bitvillage.bench.Figure.atMost;

import bitvillage.race.Odds;
import bitvillage.stages.B10Consensus.Blockchain;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code java -jar target/bitvillage.jar bench}: how fast our village is, measured against the
 * targets of issue 5 (the book's Python node mines about 1.3 M nonces per second here). The page
 * "How fast is our village?" explains each figure. Progress goes to standard error, so that
 * {@code --json} leaves standard output to the JSON.
 */
public final class Bench {
    private Bench() {}

    public static final List<Options.Option> OPTIONS = List.of(
            new Options.Option("--json", null, "print the figures as JSON instead of a table"),
            new Options.Option("--quick", null,
                    "a run of seconds with small chains, to see that every figure comes out; targets not judged"));

    /** The Python node's rate on this machine, as issue 5 measured it: 888273 nonces in about 0.68 s. */
    static final double PYTHON_MILLIONS_PER_SECOND = 1.3;

    /**
     * How much to measure.
     *
     * @param quick          a quick run, whose figures are not judged
     * @param warmSeconds    how long each miner and the server run before they are timed
     * @param mineSeconds    how long each miner is timed, at least
     * @param minRounds      rounds each miner is timed, at least
     * @param nonceBlocks    blocks of the four-zero chain each miner mines in a round
     * @param startupRuns    launches of B2 (their median counts)
     * @param chainBlocks    blocks in the long chain (validated, resolved, held in memory)
     * @param checkRuns      validations and resolutions of the long chain (their median counts)
     * @param servedBlocks   blocks in the chain that GET /chain serves
     * @param clients        clients asking GET /chain at once
     * @param serveSeconds   how long each of GET /chain's rounds is timed (their median counts)
     * @param payments       payments in the block of B17 whose signatures are verified
     * @param coinBlocks     blocks in the chain of B17 whose unspent set is rebuilt
     */
    public record Settings(boolean quick, double warmSeconds, double mineSeconds, int minRounds, int nonceBlocks,
                           int startupRuns, int chainBlocks, int checkRuns, int servedBlocks, int clients,
                           double serveSeconds, int payments, int coinBlocks) {
        /** The targets' sizes, timed long enough for steady figures: about a minute and a half on two idle cores. */
        public static final Settings FULL = new Settings(false, 1.0, 3.0, 5, 12, 7, 10_000, 5, 1_000, 8, 2.0, 1_000, 10_000);
        /** Every figure, from small chains and short timings: a few seconds. */
        public static final Settings QUICK = new Settings(true, 0.0, 0.0, 1, 2, 1, 200, 1, 100, 2, 0.2, 20, 200);
    }

    public static void run(Options options, World world) throws Exception {
        Settings settings = options.has("--quick") ? Settings.QUICK : Settings.FULL;
        PrintStream progress = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        Report report = measure(settings, progress);
        world.out().print(options.has("--json") ? report.json() : report.table());
    }

    /** Measures everything, part by part, and reports progress as it goes. */
    public static Report measure(Settings settings, PrintStream progress) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> machine = machine(cores);
        List<Figure> figures = new ArrayList<>();
        Map<String, MiningBench.Found> fast = new LinkedHashMap<>();

        MiningBench.Found book = mining(settings, progress, cores, figures, fast);
        blockProof(settings, progress, figures);
        mempool(settings, progress, figures);
        startup(settings, progress, figures);
        List<Long> nonces = longChain(settings, progress, cores, figures);
        serving(settings, progress, nonces, figures);
        races(settings, progress, figures);
        keys(settings, progress, figures);
        coins(settings, progress, figures);
        gossip(settings, progress, figures);
        notebook(settings, progress, figures);

        machine.put("load_after", loadAverage());
        return new Report(machine, settings.quick(), figures, book, fast);
    }

    /**
     * The book's loop, then the fast miner on one thread, two, and every core: their rates, and
     * into {@code fast} what each found. Answers what the book's loop found.
     */
    private static MiningBench.Found mining(Settings settings, PrintStream progress, int cores, List<Figure> figures,
                                            Map<String, MiningBench.Found> fast) {
        progress.println("bench: mining rates (book-faithful loop, fast miner on 1 and 2 threads"
                + (cores > 2 ? " and " + cores : "") + ")...");
        MiningBench.warmUp(MiningBench.BOOK, settings.warmSeconds());
        MiningBench.Speed book = MiningBench.measure(MiningBench.BOOK, settings.nonceBlocks(),
                settings.mineSeconds(), settings.minRounds());
        Map<Integer, Double> fastRates = new LinkedHashMap<>();
        for (int threads : cores > 2 ? List.of(1, 2, cores) : List.of(1, 2)) {
            MiningBench.Miner miner = MiningBench.fast(threads);
            MiningBench.warmUp(miner, settings.warmSeconds());
            MiningBench.Speed result = MiningBench.measure(miner, settings.nonceBlocks(), settings.mineSeconds(),
                    settings.minRounds());
            fast.put(threads == 1 ? "1 thread" : threads + " threads", result.found());
            fastRates.put(threads, result.millionsPerSecond());
        }
        String rate = "M nonces/s";
        figures.add(new Figure("book_faithful_rate", "nonce search, book-faithful loop (B2), 1 thread",
                book.millionsPerSecond(), rate, 2, atLeast(4 * PYTHON_MILLIONS_PER_SECOND)));
        figures.add(new Figure("fast_rate_1_thread", "nonce search, fast miner, 1 thread",
                fastRates.get(1), rate, 2, atLeast(10)));
        figures.add(new Figure("fast_rate_2_threads", "nonce search, fast miner, 2 threads" + (cores == 2 ? " (all cores)" : ""),
                fastRates.get(2), rate, 2, null));
        figures.add(new Figure("fast_speedup_2_threads", "fast miner, 2 threads over 1 thread",
                fastRates.get(2) / fastRates.get(1), "x", 2, atLeast(1.8)));
        if (cores > 2) {
            figures.add(new Figure("fast_rate_all_cores", "nonce search, fast miner, " + cores + " threads (all cores)",
                    fastRates.get(cores), rate, 2, null));
        }
        return book.found();
    }

    /**
     * B13's proof over the whole block, for blocks of 1, 10 and 100 transactions, and what a
     * block costs at 4 zeros (16^4 = 65,536 tries on average), beside the book's puzzle (B2); the
     * search the nodes call, then the plain loop of B13's page, which finds the same nonces.
     */
    private static void blockProof(Settings settings, PrintStream progress, List<Figure> figures) {
        progress.println("bench: B13's proof over the whole block, 1, 10 and 100 transactions...");
        double seconds = Math.max(0.2, settings.mineSeconds());
        double bookRate = figures.stream().filter(figure -> figure.key().equals("book_faithful_rate"))
                .findFirst().orElseThrow().value() * 1e6;
        figures.add(new Figure("b2_puzzle_block_4_zeros", "B2's puzzle, 4 zeros, time per block (65,536 tries)",
                65_536 / bookRate * 1000, "ms", 1, null));
        for (int transactions : List.of(1, 10, 100)) {
            BlockProofBench.noncesPerSecond(BlockProofBench.NODES, transactions, seconds / 4); // untimed: lets the JIT compile the search
            double rate = BlockProofBench.noncesPerSecond(BlockProofBench.NODES, transactions, seconds);
            String held = transactions + (transactions == 1 ? " transaction" : " transactions");
            figures.add(new Figure("b13_rate_" + transactions + "_tx", "nonce search, B13 block of " + held + ", 1 thread",
                    rate / 1e6, "M nonces/s", 3, null));
            figures.add(new Figure("b13_block_4_zeros_" + transactions + "_tx", "B13 block of " + held
                    + ", 4 zeros, time per block", 65_536 / rate * 1000, "ms", 1, null));
        }
        for (int transactions : List.of(1, 100)) {
            BlockProofBench.noncesPerSecond(BlockProofBench.PLAIN, transactions, seconds / 4); // untimed, as above
            double rate = BlockProofBench.noncesPerSecond(BlockProofBench.PLAIN, transactions, seconds);
            String held = transactions + (transactions == 1 ? " transaction" : " transactions");
            figures.add(new Figure("b13_plain_rate_" + transactions + "_tx", "  the plain loop of B13's page, " + held,
                    rate / 1e6, "M nonces/s", 3, null));
        }
    }

    /** The miner's pool: choosing a block from a mempool of 10,000 payments (B14), projecting them all, taking one more (B15). */
    private static void mempool(Settings settings, PrintStream progress, List<Figure> figures) {
        int payments = settings.quick() ? 1_000 : 10_000;
        progress.printf("bench: the mempool of B14 and B15, %,d payments...%n", payments);
        MempoolBench.measure(1_000, 3); // untimed: lets the JIT compile the mempool
        MempoolBench.Timings result = MempoolBench.measure(payments, settings.quick() ? 3 : 21);
        String of = String.format(Locale.ROOT, "%,d", payments);
        figures.add(new Figure("b14_choose_block", "B14, choosing the next block from a mempool of " + of + " payments",
                result.chooseMillis(), "ms", 3, atMost(50)));
        figures.add(new Figure("b15_project_blocks", "B15, projecting the blocks of all " + of + " payments",
                result.projectMillis(), "ms", 2, null));
        figures.add(new Figure("b15_admit_payment", "B15, one more payment into a mempool of " + of,
                result.admitMillis(), "ms", 2, null));
    }

    /** A reader's wait for B2, in a process of its own. */
    private static void startup(Settings settings, PrintStream progress, List<Figure> figures) throws Exception {
        progress.println("bench: launching B2 " + settings.startupRuns() + " time(s)...");
        figures.add(new Figure("b2_start_to_result", "B2, from process start to the printed block",
                StartupBench.medianSeconds(settings.startupRuns()), "s", 3, atMost(0.6)));
    }

    /** A long chain: mined, held in memory, validated, resolved. Answers its nonces, genesis first. */
    private static List<Long> longChain(Settings settings, PrintStream progress, int cores, List<Figure> figures)
            throws Exception {
        int blocks = settings.chainBlocks();
        progress.printf("bench: mining a %,d-block chain at %d zeros with the fast miner on %d threads...%n",
                blocks, NodeBench.ZEROS, cores);
        NodeBench.Mined mined = NodeBench.mineNonces(blocks, progress);
        long heapBefore = NodeBench.heapInUse();
        Blockchain longChain = NodeBench.chainOf(mined.nonces(), blocks);
        long heapWith = NodeBench.heapInUse();
        figures.add(new Figure("long_chain_mining", String.format(Locale.ROOT, "mining the %,d-block chain (%,d M nonces)",
                blocks, mined.tried() / 1_000_000), mined.seconds(), "s", 1, null));
        figures.add(new Figure("heap_in_use", String.format(Locale.ROOT, "heap in use, %,d-block chain held", blocks),
                heapWith / 1048576.0, "MiB", 1, atMost(64)));
        figures.add(new Figure("heap_of_chain", String.format(Locale.ROOT, "  of which the %,d blocks", blocks),
                (heapWith - heapBefore) / 1048576.0, "MiB", 1, null));

        progress.printf("bench: validating and resolving the %,d-block chain...%n", blocks);
        List<Map<String, Object>> chain = longChain.chain();
        NodeBench.validateSeconds(chain, settings.checkRuns()); // untimed: lets the JIT compile the checks
        figures.add(new Figure("validate_chain", String.format(Locale.ROOT, "validChain over %,d blocks", blocks),
                1000 * NodeBench.validateSeconds(chain, settings.checkRuns()), "ms", 1, atMost(200)));
        figures.add(new Figure("resolve", String.format(Locale.ROOT, "GET /nodes/resolve, neighbour has %,d", blocks),
                1000 * NodeBench.resolveSeconds(longChain, settings.checkRuns()), "ms", 0, null));
        return mined.nonces();
    }

    /** GET /chain under many clients: from the stage's route, and from a node that wrote the answer once. */
    private static void serving(Settings settings, PrintStream progress, List<Long> nonces, List<Figure> figures)
            throws Exception {
        int served = settings.servedBlocks();
        progress.printf("bench: GET /chain on a %,d-block chain, %d clients at once...%n", served, settings.clients());
        Blockchain servedChain = NodeBench.chainOf(nonces, served);
        NodeBench.Serving serving = NodeBench.serveChain(servedChain, settings.clients(), settings.warmSeconds(),
                settings.serveSeconds());
        String what = String.format(Locale.ROOT, "GET /chain (%,d blocks, %d clients)", served, settings.clients());
        figures.add(new Figure("chain_requests_per_second", what, serving.requestsPerSecond(), "req/s", 0, atLeast(2000)));
        figures.add(new Figure("chain_latency_p50", "  latency, median (p50)", serving.p50Millis(), "ms", 2, null));
        figures.add(new Figure("chain_latency_p99", "  latency, p99", serving.p99Millis(), "ms", 2, null));
        NodeBench.Written answer = NodeBench.chainJson(servedChain, settings.checkRuns() * 20);
        figures.add(new Figure("chain_json", String.format(Locale.ROOT, "  writing one answer as JSON (%,d KB)",
                answer.bytes() / 1000), answer.millis(), "ms", 2, null));
        NodeBench.Serving writtenOnce = NodeBench.serveWrittenOnce(servedChain, settings.clients(),
                settings.warmSeconds(), settings.serveSeconds());
        figures.add(new Figure("chain_written_once_requests_per_second", "  the same answer written once, sent to all",
                writtenOnce.requestsPerSecond(), "req/s", 0, null));
    }

    /** The double-spend simulation of the odds command (supplement A): a million races on one core. */
    private static void races(Settings settings, PrintStream progress, List<Figure> figures) {
        int races = settings.quick() ? 10_000 : 1_000_000;
        progress.printf("bench: simulating %,d double-spend races, q = 0.3, z = 6...%n", races);
        Odds.simulate(0.3, 6, races / 10, 2); // untimed: lets the JIT compile the race
        long start = System.nanoTime();
        Odds.Simulated simulated = Odds.simulate(0.3, 6, races, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        figures.add(new Figure("double_spend_races", String.format(Locale.ROOT,
                "%,d races, q = 0.3, z = 6 (odds), 1 thread", simulated.trials()), seconds, "s", 2,
                atMost(5)));
    }

    /** BIP-340 on our own secp256k1 (issue 19): one signature made, and one verified. */
    private static void keys(Settings settings, PrintStream progress, List<Figure> figures) {
        int perRound = settings.quick() ? 5 : 50;
        progress.printf("bench: BIP-340 signatures, %d keys and messages...%n", perRound);
        KeysBench.measure(3, perRound); // untimed: lets the JIT compile the curve's arithmetic
        KeysBench.Result result = KeysBench.measure(settings.quick() ? 3 : 7, perRound);
        figures.add(new Figure("keys_sign", "BIP-340, signing a payment's hash, 1 thread", result.signMillis(), "ms", 2,
                atMost(20)));
        figures.add(new Figure("keys_verify", "BIP-340, verifying its signature, 1 thread", result.verifyMillis(), "ms",
                2, atMost(30)));
    }

    /**
     * B17's coins (issue 20): a neighbour's block of 1,000 payments validated by the stage's rule,
     * every signature verified, then with the node's cache of verified signatures warm; and the
     * unspent set of a 10,000-block chain rebuilt. No proof of work (0 zeros): the coins' rules are timed.
     */
    private static void coins(Settings settings, PrintStream progress, List<Figure> figures) {
        int payments = settings.payments();
        progress.printf("bench: B17, signing a block of %,d payments, then validating it...%n", payments);
        List<Map<String, Object>> block = CoinsBench.blockOfPayments(payments);
        CoinsBench.coldMillis(CoinsBench.blockOfPayments(Math.min(payments, 50)), 1); // untimed: lets the JIT compile the rules
        int runs = settings.quick() ? 1 : 3;
        String of = String.format(Locale.ROOT, "%,d", payments);
        figures.add(new Figure("b17_block_cold", "B17, a block of " + of + " payments, signatures verified",
                CoinsBench.coldMillis(block, runs) / 1000, "s", 2, atMost(5)));
        figures.add(new Figure("b17_block_warm", "  the same, signatures in the node's cache",
                CoinsBench.warmMillis(block, runs) / 1000, "s", 3, atMost(0.5)));
        int blocks = settings.coinBlocks();
        progress.printf("bench: B17, rebuilding the unspent set of a %,d-block chain...%n", blocks);
        List<Map<String, Object>> chain = CoinsBench.longChain(blocks);
        CoinsBench.rebuildMillis(chain, settings.checkRuns()); // untimed, as above
        figures.add(new Figure("b17_rebuild_unspent", String.format(Locale.ROOT,
                "B17, rebuilding the unspent set of %,d blocks", blocks),
                CoinsBench.rebuildMillis(chain, settings.checkRuns()), "ms", 1, null));
    }

    /**
     * B18's gossip (issue 21): a block mined at one end of 5, 10 and 20 villagers (5 in a quick run),
     * in a line and in a ring, on loopback: how long until every villager holds it, and the bytes
     * its announcements and fetches moved, beside what resolve, every villager downloading each
     * neighbour's whole chain, would move for it.
     */
    private static void gossip(Settings settings, PrintStream progress, List<Figure> figures) throws Exception {
        int blocks = settings.quick() ? 2 : 5;
        for (int villagers : settings.quick() ? List.of(5) : List.of(5, 10, 20)) {
            for (boolean ring : List.of(false, true)) {
                String shape = ring ? "ring" : "line";
                progress.printf("bench: B18, %d villagers in a %s, %d blocks mined at one end...%n", villagers, shape, blocks);
                GossipBench.Spread spread = GossipBench.measure(villagers, ring, blocks);
                String key = "b18_" + shape + "_" + villagers;
                figures.add(new Figure(key + "_spread", "B18, a block to all " + villagers + " villagers in a " + shape
                        + " (" + spread.fetchesPerBlock() + " fetches)", spread.millis(), "ms", 1, ring || villagers != 5 ? null : atMost(2000)));
                figures.add(new Figure(key + "_gossip_bytes", "  bytes per block, announced and fetched", spread.gossipBytes() / 1000, "KB", 2, null));
                figures.add(new Figure(key + "_resolve_bytes", "  bytes per block, were each to resolve instead",
                        spread.resolveBytes() / 1000, "KB", 2, null));
            }
        }
    }

    /**
     * B19's notebook (issue 23): notes forced to disk one by one, and a villager starting on a notebook of
     * 10,000 blocks (200 in a quick run), each holding a signed payment, every block and signature judged again;
     * then the parts of that start, each timed alone.
     */
    private static void notebook(Settings settings, PrintStream progress, List<Figure> figures) throws Exception {
        int appends = settings.quick() ? 50 : 2_000;
        progress.printf("bench: B19, %,d notes forced to disk one by one...%n", appends);
        NotebookBench.appendsPerSecond(appends / 10); // untimed: lets the JIT compile the notebook's lines
        figures.add(new Figure("b19_appends_per_second", String.format(Locale.ROOT,
                "B19, a payment noted and forced, %,d in a row", appends),
                NotebookBench.appendsPerSecond(appends), "notes/s", 0, null));
        int blocks = settings.quick() ? 200 : 10_000;
        String of = String.format(Locale.ROOT, "%,d", blocks);
        progress.printf("bench: B19, building a notebook of %s blocks, each a signed payment...%n", of);
        List<Map<String, Object>> chain = NotebookBench.chain(blocks);
        progress.printf("bench: B19, starting on the notebook of %s blocks, then its parts alone...%n", of);
        NotebookBench.Startup startup = NotebookBench.startOn(chain);
        figures.add(new Figure("b19_start_on_notebook", "B19, starting on a notebook of " + of + " blocks",
                startup.startMillis() / 1000, "s", 2, atMost(60)));
        figures.add(new Figure("b19_start_read", "  reading and parsing its lines, once", startup.readMillis() / 1000, "s", 3, null));
        figures.add(new Figure("b19_start_signatures", "  verifying its " + of + " payments' signatures", startup.signaturesMillis() / 1000,
                "s", 3, null));
        figures.add(new Figure("b19_start_rules", "  every other rule (signatures in the cache)", startup.rulesMillis() / 1000,
                "s", 3, null));
        figures.add(new Figure("b19_start_tree_and_coins", "  the block tree, the best chain and the coins",
                startup.treeAndCoinsMillis() / 1000, "s", 3, null));
    }

    private static Map<String, Object> machine(int cores) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", (long) cores);
        machine.put("cpu", cpuModel());
        machine.put("java", System.getProperty("java.version"));
        machine.put("vm", System.getProperty("java.vm.name"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        machine.put("load_before", loadAverage());
        return machine;
    }

    /** The system load over the last minute, rounded; null where the system does not tell. */
    private static Double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : Math.round(load * 100) / 100.0;
    }

    /** The processor's name where Linux tells it, else "unknown processor". */
    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the name is only a courtesy
        }
        return "unknown processor";
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}

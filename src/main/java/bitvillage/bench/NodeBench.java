package bitvillage.bench;

import bitvillage.stages.B10Consensus.Blockchain;
import bitvillage.stages.B10Consensus;
import bitvillage.util.cli.World;
import bitvillage.util.client.HttpFetch;
import bitvillage.util.mining.FastMiner;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The node at work: a long chain mined, held in memory, checked, fetched from a neighbour, and
 * served to many clients at once. The nodes are stage B10's, on real sockets; they write their
 * access log to nowhere (formatting each line still costs what it costs).
 */
final class NodeBench {
    private NodeBench() {}

    static final int ZEROS = 4; // the book's difficulty
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A world whose output goes nowhere, with the repeatable clock, so every run mines the same chain. */
    static World quietWorld() {
        return new World(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
                World.fixedClock(), World.fixedIds());
    }

    /** The nonces of a chain of {@code blocks} blocks, the genesis nonce 100 first. */
    record Mined(List<Long> nonces, double seconds, long tried) {}

    /**
     * Mines the nonces of a chain with the fast miner on every core, as the book's miner would
     * have found them one by one, and reports progress every tenth of the way.
     */
    static Mined mineNonces(int blocks, PrintStream progress) {
        List<Long> nonces = new ArrayList<>(List.of(100L));
        long tried = 0;
        long start = System.nanoTime();
        int step = Math.max(1, blocks / 10);
        while (nonces.size() < blocks) {
            long nonce = FastMiner.findNonce(nonces.get(nonces.size() - 1), ZEROS);
            nonces.add(nonce);
            tried += nonce + 1;
            if (nonces.size() % step == 0) {
                progress.printf("bench:   %,d of %,d blocks mined, %.1f s%n", nonces.size(), blocks,
                        (System.nanoTime() - start) / 1e9);
            }
        }
        return new Mined(List.copyOf(nonces), (System.nanoTime() - start) / 1e9, tried);
    }

    /** A villager's blockchain holding the first {@code blocks} mined blocks, each paying its miner one coin. */
    static Blockchain chainOf(List<Long> nonces, int blocks) {
        Blockchain blockchain = new Blockchain(World.fixedClock(), ZEROS);
        String miner = World.fixedIds().get();
        for (long nonce : nonces.subList(1, blocks)) {
            blockchain.newTransaction("0", miner, 1L);
            blockchain.newBlock(nonce);
        }
        return blockchain;
    }

    /** Bytes of heap in use after a full collection: what the live objects take. */
    static long heapInUse() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The median time in seconds of the book's valid_chain over the whole chain. */
    static double validateSeconds(List<Map<String, Object>> chain, int runs) {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            boolean valid = B10Consensus.validChain(chain, ZEROS);
            seconds.add((System.nanoTime() - start) / 1e9);
            if (!valid) throw new IllegalStateException("the mined chain is not valid: " + B10Consensus.whyInvalid(chain, ZEROS));
        }
        return Bench.median(seconds);
    }

    /**
     * {@code GET /nodes/resolve} on a new villager (genesis only) whose one neighbour serves the
     * long chain: the neighbour writes it as JSON, ours reads, checks and adopts it, and answers
     * it. The median of {@code runs} runs, in seconds.
     */
    static double resolveSeconds(Blockchain longChain, int runs) throws IOException, InterruptedException {
        World world = quietWorld();
        HttpClient client = client();
        List<Double> seconds = new ArrayList<>();
        try (WebApp neighbour = B10Consensus.routes(new WebApp("127.0.0.1", 0, world), longChain,
                world.nodeIds().get(), world, TIMEOUT).start()) {
            for (int i = 0; i < runs; i++) {
                Blockchain ours = new Blockchain(World.fixedClock(), ZEROS);
                ours.addNode(neighbour.url());
                try (WebApp node = B10Consensus.routes(new WebApp("127.0.0.1", 0, world), ours,
                        world.nodeIds().get(), world, TIMEOUT).start()) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = client.send(get(node.url() + "/nodes/resolve"),
                            HttpResponse.BodyHandlers.ofString());
                    seconds.add((System.nanoTime() - start) / 1e9);
                    if (response.statusCode() != 200 || !response.body().contains("Our chain was replaced")
                            || ours.chain().size() != longChain.chain().size()) {
                        throw new IllegalStateException("resolving did not adopt the neighbour's chain: "
                                + response.statusCode() + " " + response.body().lines().limit(5).toList());
                    }
                }
            }
        }
        return Bench.median(seconds);
    }

    /** How long writing the {@code GET /chain} answer as JSON takes, alone; and its size in bytes. */
    record Written(double millis, int bytes) {}

    /**
     * Writes the {@code /chain} answer as the route does, {@code runs} times after as many untimed
     * runs, and answers the median: the share of each request that is JSON writing.
     */
    static Written chainJson(Blockchain blockchain, int runs) {
        List<Double> millis = new ArrayList<>();
        String json = "";
        for (int i = 0; i < 2 * runs; i++) {
            long start = System.nanoTime();
            json = PyJson.pretty(B10Consensus.checkChain(blockchain));
            if (i >= runs) millis.add((System.nanoTime() - start) / 1e6);
        }
        return new Written(Bench.median(millis), json.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Requests per second and latencies, all clients together. */
    record Serving(double requestsPerSecond, double p50Millis, double p99Millis, long requests) {}

    /**
     * {@code clients} clients, each with its own connection, ask stage B10's {@code GET /chain} as
     * fast as the node answers: first for twice {@code warmSeconds} (untimed, while the JIT compiles the
     * route), then {@link #ROUNDS} rounds of {@code seconds}, the median round counting.
     */
    static Serving serveChain(Blockchain blockchain, int clients, double warmSeconds, double seconds) throws Exception {
        World world = quietWorld();
        WebApp node = B10Consensus.routes(new WebApp("127.0.0.1", 0, world), blockchain, world.nodeIds().get(),
                world, TIMEOUT);
        return serve(node, blockchain.chain().size(), clients, warmSeconds, seconds);
    }

    /**
     * The same, from a node that wrote the answer once and sends that text to every client: what
     * the server and the clients cost without writing 1,000 blocks as JSON for each request.
     */
    static Serving serveWrittenOnce(Blockchain blockchain, int clients, double warmSeconds, double seconds) throws Exception {
        WebApp.Reply written = WebApp.Reply.json(200, B10Consensus.checkChain(blockchain));
        WebApp node = new WebApp("127.0.0.1", 0, quietWorld()).get("/chain", request -> written);
        return serve(node, blockchain.chain().size(), clients, warmSeconds, seconds);
    }

    private static Serving serve(WebApp app, int blocks, int clients, double warmSeconds, double seconds) throws Exception {
        try (WebApp node = app.start()) {
            HttpRequest request = get(node.url() + "/chain");
            checkAnswer(request, blocks);
            if (warmSeconds > 0) askAtOnce(request, clients, 2 * warmSeconds);
            List<Serving> rounds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                long[] latencies = askAtOnce(request, clients, seconds);
                double elapsed = (System.nanoTime() - start) / 1e9;
                Arrays.sort(latencies);
                rounds.add(new Serving(latencies.length / elapsed, percentile(latencies, 50) / 1e6,
                        percentile(latencies, 99) / 1e6, latencies.length));
            }
            rounds.sort(Comparator.comparingDouble(Serving::requestsPerSecond));
            return rounds.get(ROUNDS / 2);
        }
    }

    /**
     * Rounds of {@code GET /chain} timed, after a warm-up of twice {@code warmSeconds}: the round of
     * the median rate counts, with its latencies. On a busy machine one round alone swung twofold
     * from run to run (762 against 1,538 requests per second).
     */
    static final int ROUNDS = 3;

    private static void checkAnswer(HttpRequest request, int blocks) throws IOException, InterruptedException {
        HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
        Object answer = PyJson.loads(response.body());
        if (response.statusCode() != 200 || !(answer instanceof Map<?, ?> fields)
                || !Long.valueOf(blocks).equals(fields.get("length"))) {
            throw new IllegalStateException("GET /chain did not answer the chain of " + blocks + " blocks");
        }
    }

    /** Every client's latencies in nanoseconds, one after another. */
    private static long[] askAtOnce(HttpRequest request, int clients, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) results.add(pool.submit(() -> askUntil(request, deadline)));
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> result : results) all.add(result.get());
            return all.stream().flatMapToLong(Arrays::stream).toArray();
        } finally {
            pool.shutdownNow();
        }
    }

    /** One client: asks, waits for the whole answer, asks again, until the deadline; at least once. */
    private static long[] askUntil(HttpRequest request, long deadline) throws IOException, InterruptedException {
        HttpClient client = client();
        long[] latencies = new long[1024];
        int count = 0;
        do {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long latency = System.nanoTime() - start;
            if (response.statusCode() != 200) throw new IllegalStateException("GET /chain answered " + response.statusCode());
            if (count == latencies.length) latencies = Arrays.copyOf(latencies, 2 * count);
            latencies[count++] = latency;
        } while (System.nanoTime() < deadline);
        return Arrays.copyOf(latencies, count);
    }

    /** The latency that {@code percent} % of the requests did not exceed (nearest rank). */
    static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static HttpClient client() {
        return HttpFetch.client(TIMEOUT);
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    }
}

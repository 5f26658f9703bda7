package bitvillage.bench;

import bitvillage.stages.B18Gossip;
import bitvillage.stages.taught.BlockProof;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B18's gossip (issue 21): villagers of B18 on loopback, each registered with its neighbours both
 * ways, in a line or in a ring. A block mined at one end (the line's first villager, or any of the
 * ring's) is timed from the GET /mine sent (mining at 3 zeros included) until every villager holds it ({@code GET /blocks/<hash>} answers 200), with no
 * resolve called; the bytes it moved are counted from {@code GET /nodes}: each announcement's body
 * and each fetched block's, once per link it crossed. Beside them, what B10's resolve would move for
 * the same block: every villager downloading {@code GET /chain} whole from each of its neighbours.
 * Only bodies are counted, no HTTP headers, on either side.
 */
final class GossipBench {
    private GossipBench() {}

    /** Few zeros: the block's proof is not what is timed here, its journey is. */
    static final int ZEROS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long MOST_WAIT_NANOS = 20_000_000_000L;

    /** A block's journey through the village, medians over the blocks mined. */
    record Spread(double millis, double gossipBytes, double resolveBytes, long fetchesPerBlock) {}

    /**
     * Starts {@code villagers} villagers, links them in a line (or a ring), mines {@code blocks}
     * blocks on the first, one at a time, and measures each block's spread.
     */
    static Spread measure(int villagers, boolean ring, int blocks) throws Exception {
        World quiet = new World(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8),
                World::pythonTime, World::uuid4Hex);
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        List<WebApp> apps = new ArrayList<>();
        try {
            for (int i = 0; i < villagers; i++) {
                apps.add(B18Gossip.start(Options.parse(new String[] {"--port", "0", "--zeros", Integer.toString(ZEROS),
                        "--seed", "bench villager " + i}, B18Gossip.OPTIONS), quiet));
            }
            List<String> urls = apps.stream().map(WebApp::url).map(url -> url.replaceAll("/$", "")).toList();
            List<List<String>> neighbours = new ArrayList<>();
            for (int i = 0; i < villagers; i++) neighbours.add(new ArrayList<>());
            for (int i = 0; i < (ring ? villagers : villagers - 1); i++) { // a ring links the last villager to the first too
                int j = (i + 1) % villagers;
                neighbours.get(i).add(urls.get(j));
                neighbours.get(j).add(urls.get(i));
            }
            for (int i = 0; i < villagers; i++) {
                send(http, "POST", urls.get(i) + "/nodes/register", PyJson.dumps(Map.of("nodes", neighbours.get(i))));
            }
            List<Double> millis = new ArrayList<>();
            List<Double> gossip = new ArrayList<>();
            List<Double> resolve = new ArrayList<>();
            long fetches = 0;
            for (int b = 0; b < blocks; b++) {
                long[] before = counted(http, urls);
                long start = System.nanoTime();
                send(http, "GET", urls.get(0) + "/mine", null);
                List<Object> chain = chain(http, urls.get(0));
                @SuppressWarnings("unchecked") // a JSON object's keys are strings
                Map<String, Object> last = (Map<String, Object>) chain.get(chain.size() - 1);
                String hash = BlockProof.hash(last);
                for (String url : urls) {
                    while (send(http, "GET", url + "/blocks/" + hash, null).statusCode() != 200) {
                        if (System.nanoTime() - start > MOST_WAIT_NANOS) {
                            throw new IllegalStateException("block " + last.get("index") + " did not reach " + url + " in 20 s");
                        }
                        Thread.sleep(1);
                    }
                }
                millis.add((System.nanoTime() - start) / 1e6);
                Thread.sleep(50); // the last announcements, to villagers that hold it already, are counted too
                long[] after = counted(http, urls);
                long announced = after[0] - before[0];
                long fetched = after[1] - before[1];
                fetches = fetched;
                int blockBytes = send(http, "GET", urls.get(0) + "/blocks/" + hash, null).body().getBytes(StandardCharsets.UTF_8).length;
                int announcementBytes = PyJson.dumps(Map.of("from", urls.get(0), "hash", hash, "height", last.get("index")))
                        .getBytes(StandardCharsets.UTF_8).length;
                gossip.add((double) announced * announcementBytes + (double) fetched * blockBytes);
                int chainBytes = send(http, "GET", urls.get(0) + "/chain", null).body().getBytes(StandardCharsets.UTF_8).length;
                long downloads = neighbours.stream().mapToLong(List::size).sum(); // every villager asks each of its neighbours
                resolve.add((double) downloads * chainBytes);
            }
            return new Spread(Bench.median(millis), Bench.median(gossip), Bench.median(resolve), fetches);
        } finally {
            apps.forEach(WebApp::close);
        }
    }

    /** The village's totals from GET /nodes: blocks announced, and blocks fetched, over every link. */
    private static long[] counted(HttpClient http, List<String> urls) throws Exception {
        long[] totals = new long[2];
        for (String url : urls) {
            Map<?, ?> nodes = (Map<?, ?>) PyJson.loads(send(http, "GET", url + "/nodes", null).body());
            for (Object entry : (List<?>) nodes.get("nodes")) {
                totals[0] += (Long) ((Map<?, ?>) entry).get("blocks_announced");
                totals[1] += (Long) ((Map<?, ?>) entry).get("blocks_fetched");
            }
        }
        return totals;
    }

    private static List<Object> chain(HttpClient http, String url) throws Exception {
        @SuppressWarnings("unchecked") // read only as objects
        List<Object> chain = (List<Object>) ((Map<?, ?>) PyJson.loads(send(http, "GET", url + "/chain", null).body())).get("chain");
        return chain;
    }

    private static HttpResponse<String> send(HttpClient http, String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}

package bitvillage.check;

import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The neighbour that {@code check} runs for the consensus checks: a tiny node on a free loopback
 * port that answers {@code GET /chain} with whatever chain the check serves at the moment (a valid
 * one, or one that must be refused), and counts how often it was asked. For B18 it is a neighbour
 * that talks too: it serves {@code GET /blocks/<hash>} for the blocks check gives it, and keeps the
 * first announcements a node posts to {@code /gossip/block} (at most {@link #MOST_HEARD}).
 */
final class StubNeighbour implements AutoCloseable {
    /** The miner the villager's blocks pay: an id shaped as the book's node ids are. */
    static final String MINER = "0c7e11a9e5b34f5e9d1a7b3c2f6e8d4a";

    private final WebApp app;
    private final AtomicInteger asked = new AtomicInteger();
    private volatile Map<String, Object> answer;
    /** The most announcements it keeps: a node that floods it fills no memory. */
    static final int MOST_HEARD = 100;
    private final Map<String, Map<String, Object>> blocks = new ConcurrentHashMap<>(); // hash -> block it serves
    private final List<Map<String, Object>> heard = new CopyOnWriteArrayList<>(); // POST /gossip/block, as sent
    private final List<String> fetched = new CopyOnWriteArrayList<>(); // the hashes a node asked GET /blocks/ for

    private StubNeighbour() {
        serve(BookRules.validChain(1, 1.5e9, MINER));
        World quiet = new World(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                World::pythonTime, World::uuid4Hex);
        app = new WebApp("127.0.0.1", 0, quiet).get("/chain", request -> {
            asked.incrementAndGet();
            return WebApp.Reply.json(200, answer);
        }).get("/blocks/:hash", request -> {
            String hash = request.params(":hash");
            if (fetched.size() < MOST_HEARD) fetched.add(hash);
            Map<String, Object> block = blocks.get(hash);
            return block == null ? WebApp.Reply.error(404, "no block " + hash + " here") : WebApp.Reply.json(200, block);
        }).post("/gossip/block", request -> {
            if (heard.size() < MOST_HEARD) heard.add(WebApp.jsonObject(request));
            return WebApp.Reply.json(202, Map.of("message", "We have it already"));
        }).post("/gossip/transaction", request -> WebApp.Reply.json(202, Map.of("message", "We have it already")));
    }

    /** Starts a villager on 127.0.0.1 and a port nobody uses. */
    static StubNeighbour start() {
        StubNeighbour villager = new StubNeighbour();
        villager.app.start();
        return villager;
    }

    /** The address a node registers to reach it: http://127.0.0.1:port */
    String url() {
        return app.url();
    }

    /** From now on, answers this chain with its true length and last block's time, as the book's /chain does. */
    void serve(List<Map<String, Object>> chain) {
        Map<String, Object> last = chain.get(chain.size() - 1);
        serve(chain, (long) chain.size(), last.get("timestamp"));
    }

    /** From now on, answers this chain and claims this length and last block time, true or not. */
    void serve(List<Map<String, Object>> chain, Object length, Object lastBlockTime) {
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("chain", chain);
        next.put("length", length);
        next.put("last_bk_t", lastBlockTime);
        answer = next;
    }

    /** From now on, serves this block at GET /blocks/<its hash>. */
    void hold(String hash, Map<String, Object> block) {
        blocks.put(hash, block);
    }

    /** The announcements a node posted to /gossip/block so far, each as sent. */
    List<Map<String, Object>> heard() {
        return List.copyOf(heard);
    }

    /** The hashes a node asked GET /blocks/ for so far. */
    List<String> fetched() {
        return List.copyOf(fetched);
    }

    /** How many times a node has asked for the chain so far. */
    int asked() {
        return asked.get();
    }

    @Override
    public void close() {
        app.close();
    }
}

package bitvillage.check;

import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The neighbour that {@code check} runs for the consensus checks: a tiny node on a free loopback
 * port that answers {@code GET /chain} with whatever chain the check serves at the moment (a valid
 * one, or one that must be refused), and counts how often it was asked.
 */
final class StubNeighbour implements AutoCloseable {
    /** The miner the villager's blocks pay: an id shaped as the book's node ids are. */
    static final String MINER = "0c7e11a9e5b34f5e9d1a7b3c2f6e8d4a";

    private final WebApp app;
    private final AtomicInteger asked = new AtomicInteger();
    private volatile Map<String, Object> answer;

    private StubNeighbour() {
        serve(BookRules.validChain(1, 1.5e9, MINER));
        World quiet = new World(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
                World::pythonTime, World::uuid4Hex);
        app = new WebApp("127.0.0.1", 0, quiet).get("/chain", request -> {
            asked.incrementAndGet();
            return WebApp.Reply.json(200, answer);
        });
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

    /** How many times a node has asked for the chain so far. */
    int asked() {
        return asked.get();
    }

    @Override
    public void close() {
        app.close();
    }
}

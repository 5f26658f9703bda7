package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.testing.Http;
import bitvillage.testing.Settled;
import bitvillage.testing.WebNode;
import bitvillage.util.python.PyJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * B18 over HTTP, in a line of five villagers: a block mined at one end becomes the other end's tip with
 * no resolve, each link carrying it once (GET /nodes counts); a payment reaches every pool; a late joiner
 * catches up from the tip its neighbour tells it.
 */
class GossipTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private WebNode node(String... more) throws Exception {
        List<String> options = new ArrayList<>(List.of("--zeros", "2", "--seed", "礦工"));
        options.addAll(List.of(more));
        WebNode node = new WebNode("B18", options.toArray(String[]::new));
        closing.add(node);
        return node;
    }

    private List<WebNode> line(int length) throws Exception {
        List<WebNode> line = new ArrayList<>();
        for (int i = 0; i < length; i++) line.add(node());
        for (int i = 0; i + 1 < length; i++) {
            Http.json(line.get(i).postJson("/nodes/register", "{\"nodes\": [\"" + line.get(i + 1).app.url() + "\"]}"), 200);
            Http.json(line.get(i + 1).postJson("/nodes/register", "{\"nodes\": [\"" + line.get(i).app.url() + "\"]}"), 200);
        }
        return line;
    }

    /** Waits while {@code progress} changes; fails only once it has not changed for 20 s. */
    private static void await(BooleanSupplier done, java.util.function.Supplier<Object> progress) throws Exception {
        Object last = progress.get();
        long stalledSince = System.nanoTime();
        while (!done.getAsBoolean()) {
            Thread.sleep(20);
            Object now = progress.get();
            if (!now.equals(last)) {
                last = now;
                stalledSince = System.nanoTime();
            }
            assertTrue(System.nanoTime() - stalledSince < 20e9, "no progress for 20 s: " + now);
        }
    }

    private static Object tip(WebNode node) {
        try {
            List<?> chain = node.chain();
            return chain.get(chain.size() - 1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<Object> tips(List<WebNode> nodes) {
        return nodes.stream().map(GossipTest::tip).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> link(WebNode node, WebNode neighbour) throws Exception {
        for (Object entry : (List<Object>) Http.json(node.get("/nodes"), 200).get("nodes")) {
            if (((Map<String, Object>) entry).get("address").equals(neighbour.app.url())) return (Map<String, Object>) entry;
        }
        throw new AssertionError("no neighbour " + neighbour.app.url());
    }

    @Test
    void aBlockCrossesALineOfFiveEachLinkOnceWithNoResolve() throws Exception {
        List<WebNode> line = line(5);
        long started = System.nanoTime();
        Http.json(line.get(0).get("/mine"), 200);
        Object mined = tip(line.get(0));
        await(() -> tip(line.get(4)).equals(mined), () -> tips(line));
        System.out.printf("B18: a block crossed a line of 5 in %.0f ms%n", (System.nanoTime() - started) / 1e6);
        Settled.awaitNodes(line); // the last announcements counted, and nothing more on its way
        for (WebNode node : line) assertEquals(mined, tip(node));
        for (int i = 0; i + 1 < 5; i++) {
            assertEquals(1L, link(line.get(i), line.get(i + 1)).get("blocks_announced"), "link " + i);
            assertEquals(1L, link(line.get(i + 1), line.get(i)).get("blocks_fetched"), "link " + i);
            assertEquals(0L, link(line.get(i + 1), line.get(i)).get("blocks_announced"), "back over link " + i);
        }
        for (WebNode node : line) assertTrue(!node.printed().contains("/nodes/resolve"), node.printed());
    }

    @Test
    void aPaymentReachesEveryPool() throws Exception {
        List<WebNode> line = line(5);
        Outpoint meisCoin = new Outpoint(CoinTransaction.id(CoinTransaction.genesis()), 0);
        Map<String, Object> payment = CoinSelection.pay(Keys.fromSeed("小美"), Map.of(meisCoin, 1000L),
                Keys.address(Keys.fromSeed("大華")), 10, 1);
        Http.json(line.get(4).postJson("/transactions/new", PyJson.dumps(payment)), 201);
        String path = "/transactions/" + CoinTransaction.id(payment);
        await(() -> line.stream().allMatch(node -> {
            try {
                return node.get(path).statusCode() == 200;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }), () -> line.stream().map(node -> node.printed().length()).toList());
        Settled.awaitNodes(line);
        assertEquals(1L, link(line.get(0), line.get(1)).get("transactions_fetched"));
    }

    @Test
    void aLateJoinerCatchesUpFromItsNeighboursTip() throws Exception {
        List<WebNode> line = line(2);
        for (int i = 0; i < 3; i++) Http.json(line.get(0).get("/mine"), 200);
        await(() -> tip(line.get(1)).equals(tip(line.get(0))), () -> tips(line));
        Settled.awaitNodes(line);
        WebNode late = node("--join", line.get(1).app.url());
        await(() -> tip(late).equals(tip(line.get(0))), () -> tip(late));
        Settled.awaitNodes(List.of(line.get(0), line.get(1), late));
        assertEquals(4, late.chain().size());
        assertTrue(late.printed().contains("Joined " + line.get(1).app.url()), late.printed());
        assertEquals(3L, link(late, line.get(1)).get("blocks_fetched"), "caught up block by block, not by resolve");
    }
}

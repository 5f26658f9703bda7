package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.taught.CoinTransaction;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** B18's neighbours: one that announces blocks it cannot serve, or floods, is dropped; an honest one is not; a stranger is not heard. */
class GossipAttacksTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private WebNode node() throws Exception {
        WebNode node = new WebNode("B18", "--zeros", "2", "--seed", "礦工");
        closing.add(node);
        return node;
    }

    private static String announcement(String from, int i) {
        return "{\"from\": \"" + from + "\", \"hash\": \"" + String.format("%064x", i) + "\", \"height\": 2}";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> dropped(WebNode node) throws Exception {
        return (List<Map<String, Object>>) Http.json(node.get("/nodes"), 200).get("dropped");
    }

    @Test
    void aNeighbourAnnouncingBlocksItCannotServeIsDroppedAndAnHonestOneIsNot() throws Exception {
        WebNode node = node();
        WebNode honest = node();
        String liar = Http.stub("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        }, closing);
        node.postJson("/nodes/register", "{\"nodes\": [\"" + liar + "\", \"" + honest.app.url() + "\"]}");
        honest.postJson("/nodes/register", "{\"nodes\": [\"" + node.app.url() + "\"]}");
        Http.json(honest.get("/mine"), 200);
        for (int i = 0; i < 5; i++) node.postJson("/gossip/block", announcement(liar, i));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (dropped(node).isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(liar, dropped(node).get(0).get("address"));
        assertTrue(((String) dropped(node).get(0).get("reason")).contains("could not serve block"), dropped(node).toString());
        assertEquals(1, dropped(node).size(), "the honest neighbour stays");
        Http.error(node.postJson("/gossip/block", announcement(liar, 9)), 403, "no neighbour of ours");
    }

    @Test
    void aFloodingNeighbourIsRateLimitedThenDropped() throws Exception {
        WebNode node = node();
        WebNode flooder = node();
        node.postJson("/nodes/register", "{\"nodes\": [\"" + flooder.app.url() + "\"]}");
        int refused = 0;
        for (int i = 0; i < 300 && dropped(node).isEmpty(); i++) {
            int status = node.postJson("/gossip/transaction", "{\"from\": \"" + flooder.app.url() + "\", \"id\": \""
                    + CoinTransaction.id(CoinTransaction.genesis()) + "\"}").statusCode(); // one we hold: only the rate counts
            if (status == 429) refused++;
        }
        assertTrue(refused > 0, "announcements past the burst are refused");
        assertEquals(flooder.app.url(), dropped(node).get(0).get("address"));
    }

    @Test
    void aStrangerIsNotHeard() throws Exception {
        WebNode node = node();
        Http.error(node.postJson("/gossip/block", announcement("http://127.0.0.1:9", 1)), 403, "no neighbour of ours");
    }
}

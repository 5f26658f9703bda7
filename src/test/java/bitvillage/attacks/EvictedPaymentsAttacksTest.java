package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.python.PyJson;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17, finding 5: payments vanished. A B15 node forgot the oldest evicted payments once their memory
 * (ten pools' worth) was full, so a payment it had answered 201 could later answer 404. Now every payment
 * it took is confirmed, pending or evicted with the reason, and a full memory refuses new payments instead.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EvictedPaymentsAttacksTest {
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers) server.close();
    }

    @Test
    void aReplacedChainGivesBackFiftyPaymentsAndEveryOneAnswersEvenPastTheMemorysBudget() throws Exception {
        try (WebNode node = new WebNode("B15", "--block-bytes", "200", "--mempool-bytes", "400");
                WebNode miner = new WebNode("B15")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) { // one ~125-byte payment a block
                ids.add(id(i));
                assertEquals(201, pay(node, id(i), "a".repeat(40), 0).statusCode());
                assertEquals(200, node.get("/mine").statusCode());
            }
            for (int i = 0; i < 52; i++) assertEquals(200, miner.get("/mine").statusCode()); // longer, and empty
            byte[] longer = miner.get("/chain").body().getBytes(StandardCharsets.UTF_8);
            String neighbour = Http.stub("/chain", exchange -> {
                exchange.sendResponseHeaders(200, longer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(longer);
                }
            }, servers);
            assertEquals(200, node.postJson("/nodes/register", PyJson.dumps(Map.of("nodes", List.of(neighbour)))).statusCode());
            assertEquals("Our chain was replaced", Http.json(node.get("/nodes/resolve"), 200).get("message"));

            Map<String, Integer> answered = new TreeMap<>(); // by status, or 404
            List<Map<String, Object>> evicted = new ArrayList<>();
            for (String id : ids) {
                HttpResponse<String> answer = node.get("/transactions/" + id);
                Object status = answer.statusCode() == 200 ? Http.json(answer).get("status") : answer.statusCode();
                answered.merge(String.valueOf(status), 1, Integer::sum);
                if ("evicted".equals(status)) evicted.add(Http.json(answer));
            }
            System.out.println("50 payments given back to a 400-byte pool, whose memory of evicted payments holds 4,000 bytes: "
                    + answered);
            assertEquals(Set.of("pending", "evicted"), answered.keySet(), "none unknown: " + answered);
            assertTrue(evicted.size() >= 45, answered.toString());
            for (Map<String, Object> payment : evicted) {
                assertEquals("the pool overflowed when a replaced chain gave payments back", payment.get("reason"));
            }

            HttpResponse<String> refused = pay(node, id(100), "a".repeat(40), 1000);
            Map<String, Object> full = Http.json(refused, 503);
            assertTrue(String.valueOf(full.get("error")).contains("memory of evicted payments"), full.toString());
            assertNull(full.get("fee_to_pay"), "no fee gets in while the memory is full");
            assertEquals(200, node.get("/mine").statusCode());
            assertEquals(201, pay(node, id(101), "a".repeat(40), 0).statusCode(), "a payment that evicts none still enters");
        }
    }

    @Test
    void aFloodOfFreePaymentsNeverMakesTheNodeForgetAnEvictedOneItIsRefusedInstead() throws Exception {
        try (WebNode node = new WebNode("B15")) {
            String honest = id(0);
            assertEquals(201, pay(node, honest, "honest", 0).statusCode());
            int sent = 0;
            while (!"evicted".equals(Http.json(node.get("/transactions/" + honest), 200).get("status"))) {
                assertEquals(201, attack(node, ++sent).statusCode()); // ~600 bytes each, paying 1, 2, 3... coins
                assertTrue(sent < 200, "a 100,000-byte pool holds some 165 of them");
            }
            Map<String, Object> evicted = Http.json(node.get("/transactions/" + honest), 200);
            int outbidAt = sent;

            HttpResponse<String> answer;
            do {
                answer = attack(node, ++sent);
                if (sent % 100 == 0) assertEquals(evicted, Http.json(node.get("/transactions/" + honest), 200), "after " + sent);
                assertTrue(sent < 3_000, "the memory of evicted payments (1,000,000 bytes) fills after some 1,650 evictions");
            } while (answer.statusCode() == 201);
            Map<String, Object> refused = Http.json(answer, 503);
            System.out.println("the honest payment was evicted by attacker payment " + outbidAt + "; payment " + sent
                    + " was refused: " + refused.get("error"));
            assertTrue(String.valueOf(refused.get("error")).contains("memory of evicted payments"), refused.toString());
            assertNull(refused.get("fee_to_pay"), refused.toString());
            assertEquals(evicted, Http.json(node.get("/transactions/" + honest), 200), "still evicted, and why");
            assertEquals("outbid: a payment paying a higher fee rate took its place", evicted.get("reason"));
        }
    }

    private static String id(int i) {
        return String.format("%032x", 0xfeedL << 32 | i);
    }

    /** A payment as large as the route takes from a villager's names, paying {@code n} coins. */
    private static HttpResponse<String> attack(WebNode node, int n) throws Exception {
        return pay(node, id(10_000 + n), "a".repeat(250) + n, "b".repeat(256), n);
    }

    private static HttpResponse<String> pay(WebNode node, String id, String sender, long fee) throws Exception {
        return pay(node, id, sender, "b", fee);
    }

    private static HttpResponse<String> pay(WebNode node, String id, String sender, String recipient, long fee) throws Exception {
        return node.postJson("/transactions/new", PyJson.dumps(Map.of("id", id, "sender", sender,
                "recipient", recipient, "amount", 1, "fee", fee)));
    }
}

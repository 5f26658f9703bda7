package bitvillage.stages;

import static bitvillage.stages.Village.chain;
import static bitvillage.stages.Village.get;
import static bitvillage.stages.Village.mine;
import static bitvillage.stages.Village.outcome;
import static bitvillage.stages.Village.post;
import static bitvillage.stages.Village.register;
import static bitvillage.stages.Village.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.testing.Http;
import bitvillage.util.cli.Options;
import bitvillage.util.guard.TransactionIds;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * B12 between real nodes: ids, {@code GET /transactions/<id>} and its confirmations through mining
 * and chain replacement, and chains with and without ids going both ways between B12, B10 and the
 * book's node.
 */
class ConfirmationsTest {
    private static final Path BOOK_NODE_CHAIN = Path.of("src/test/resources/book-node-chain.json");
    private final Village village = new Village();
    private final List<WebApp> b12Nodes = new ArrayList<>();

    @AfterEach
    void stopTheVillage() {
        b12Nodes.forEach(WebApp::close);
        village.close();
    }

    /** A B12 node on a free port, on the village's clock. */
    private WebApp b12() {
        WebApp node = B12Confirmations.start(Options.parse(new String[] {"--port", "0"}, B12Confirmations.OPTIONS),
                village.world());
        b12Nodes.add(node);
        return node;
    }

    /** Sends a payment and answers its id, after checking the answer's two keys. */
    private static String pay(WebApp node, String sender, String recipient, Object amount) throws Exception {
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("sender", sender);
        payment.put("recipient", recipient);
        payment.put("amount", amount);
        Map<String, Object> answer = post(node, "/transactions/new", payment);
        assertEquals(List.of("id", "message"), List.copyOf(answer.keySet()), answer.toString());
        assertTrue(((String) answer.get("message")).startsWith("Transaction will be added to Block "), answer.toString());
        String id = (String) answer.get("id");
        assertTrue(TransactionIds.wellFormed(id), id);
        return id;
    }

    private static Map<String, Object> status(WebApp node, String id) throws Exception {
        return get(node, "/transactions/" + id);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> transactions(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> copy(List<Map<String, Object>> chain) {
        return (List<Map<String, Object>>) PyJson.loads(PyJson.dumps(chain));
    }

    /** Links every block after the first to the hash of the block before it again, as a forger does. */
    private static void relink(List<Map<String, Object>> chain) {
        for (int i = 1; i < chain.size(); i++) {
            chain.get(i).put("previous_hash", B12Confirmations.Blockchain.hash(chain.get(i - 1)));
        }
    }

    private String serving(List<Map<String, Object>> chain) throws Exception {
        return village.stub(200, PyJson.dumps(Map.of("chain", chain, "length", (long) chain.size())));
    }

    @Test
    void aPaymentIsPendingThenConfirmedAndEachBlockAfterItAddsAConfirmation() throws Exception {
        WebApp node = b12();
        String id = pay(node, "小美", "大華", 699L);
        Map<String, Object> pending = status(node, id);
        assertEquals(List.of("id", "status", "transaction"), List.copyOf(pending.keySet()));
        assertEquals("pending", pending.get("status"));
        assertEquals(Map.of("id", id, "sender", "小美", "recipient", "大華", "amount", 699L), pending.get("transaction"));

        Map<String, Object> block2 = get(node, "/mine");
        for (int blocks = 1; blocks <= 6; blocks++) {
            Map<String, Object> confirmed = status(node, id);
            assertEquals(List.of("block", "confirmations", "id", "status", "transaction"), List.copyOf(confirmed.keySet()));
            assertEquals("confirmed", confirmed.get("status"));
            assertEquals(2L, confirmed.get("block"));
            assertEquals((long) blocks, confirmed.get("confirmations"), "block 2 and the " + (blocks - 1) + " after it");
            assertEquals(pending.get("transaction"), confirmed.get("transaction"));
            if (blocks < 6) mine(node, 1);
        }
        // The miner's reward has an id too, and is found like any payment.
        Map<String, Object> reward = transactions(block2).get(1);
        assertEquals("0", reward.get("sender"));
        assertEquals(6L, status(node, (String) reward.get("id")).get("confirmations"));
        assertEquals(1L, status(node, (String) transactions(chain(node).get(6)).get(0).get("id")).get("confirmations"));
    }

    @Test
    void twoPaymentsAlikeAreTwoPaymentsWithTwoIds() throws Exception {
        WebApp node = b12();
        String first = pay(node, "阿明", "小美", 3L);
        String second = pay(node, "阿明", "小美", 3L);
        assertNotEquals(first, second);
        mine(node, 1);
        List<Map<String, Object>> held = transactions(chain(node).get(1));
        assertEquals(List.of(first, second), held.subList(0, 2).stream().map(t -> t.get("id")).toList());
        assertEquals(2L, status(node, first).get("block"));
        assertEquals(2L, status(node, second).get("block"));
    }

    @Test
    void anIdThatIsNoIdIs400AnUnknownOneIs404AndTheLiteralRouteStillWins() throws Exception {
        WebApp node = b12();
        for (String bad : List.of("abc", "ABCDEF0123456789ABCDEF0123456789", "0123456789abcdef0123456789abcde",
                "0123456789abcdef0123456789abcdef0", "0123456789abcdef0123456789abcdeg", "%20")) {
            HttpResponse<String> answer = Http.get(node.url() + "/transactions/" + bad);
            assertEquals(400, answer.statusCode(), bad + ": " + answer.body());
            assertTrue(answer.body().contains("32 hex digits"), answer.body());
            assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
        }
        HttpResponse<String> unknown = Http.get(node.url() + "/transactions/0123456789abcdef0123456789abcdef");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("no transaction 0123456789abcdef0123456789abcdef"), unknown.body());

        // /transactions/new is a route of its own, found before the pattern: POST pays, GET is 405.
        String id = pay(node, "a", "b", 1L);
        HttpResponse<String> browser = Http.get(node.url() + "/transactions/new");
        assertEquals(405, browser.statusCode(), browser.body());
        assertEquals("OPTIONS, POST", browser.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> postToAnId = Http.call("POST", node.url() + "/transactions/" + id, null);
        assertEquals(405, postToAnId.statusCode(), postToAnId.body());
        assertEquals("GET, HEAD, OPTIONS", postToAnId.headers().firstValue("Allow").orElse(""));
        assertEquals(200, Http.call("HEAD", node.url() + "/transactions/" + id, null).statusCode());
        assertEquals(404, Http.get(node.url() + "/transactions/" + id + "/more").statusCode());
        assertEquals("pending", status(node, id).get("status"), "nothing else changed it");
    }

    @Test
    void whenALongerChainDropsOurBlockThePaymentIsPendingAgainThenConfirmedInTheNewChain() throws Exception {
        WebApp a = b12();
        WebApp b = b12();
        String id = pay(a, "小美", "大華", 699L);
        mine(a, 1);
        assertEquals(1L, status(a, id).get("confirmations"));
        mine(b, 3);
        register(a, b.url());
        assertEquals("Our chain was replaced", resolve(a).get("message"));
        assertEquals("pending", status(a, id).get("status"), "B's chain dropped A's block 2; the payment waits again");
        mine(a, 1);
        Map<String, Object> again = status(a, id);
        assertEquals(5L, again.get("block"));
        assertEquals(1L, again.get("confirmations"));

        // B takes A's longer chain, and the answer follows it.
        register(b, a.url());
        assertEquals("Our chain was replaced", resolve(b).get("message"));
        assertEquals(5L, status(b, id).get("block"));
        mine(b, 2);
        assertEquals(3L, status(b, id).get("confirmations"));
        assertEquals("Our chain was replaced", resolve(a).get("message"));
        assertEquals(3L, status(a, id).get("confirmations"));
    }

    @Test
    void aNewChainThatHoldsOurIdKeepsItOnceEvenWhenItSaysSomethingElse() throws Exception {
        WebApp node = b12();
        String id = pay(node, "小美", "大華", 699L);
        mine(node, 1);
        String stillPending = pay(node, "阿明", "小美", 3L);

        List<Map<String, Object>> forged = copy(chain(node));
        Map<String, Object> payment = transactions(forged.get(1)).get(0);
        payment.put("recipient", "小美");
        transactions(forged.get(1)).add(Map.of("id", stillPending, "sender", "阿明", "recipient", "小美", "amount", 3L));
        forged.get(forged.size() - 1).put("timestamp", 0.0); // earlier than ours: it wins the tie
        relink(forged);
        String forger = serving(forged);
        register(node, forger);
        assertEquals("Our chain was replaced", resolve(node).get("message"));

        Map<String, Object> rewritten = status(node, id);
        assertEquals("confirmed", rewritten.get("status"));
        assertEquals("小美", ((Map<?, ?>) rewritten.get("transaction")).get("recipient"));
        assertEquals("confirmed", status(node, stillPending).get("status"), "our pending payment is in the new chain");
        mine(node, 1);
        assertEquals(1, transactions(chain(node).get(2)).size(), "neither payment came back: block 3 holds only the reward");
    }

    @Test
    void aChainThatHoldsAnIdTwiceOrAnIdThatIsNoIdIsSkipped() throws Exception {
        WebApp node = b12();
        String id = pay(node, "小美", "大華", 699L);
        mine(node, 2);
        List<Map<String, Object>> twice = copy(chain(node));
        transactions(twice.get(2)).add(0, new LinkedHashMap<>(transactions(twice.get(1)).get(0)));
        twice.get(2).put("timestamp", 0.0);
        relink(twice);
        assertEquals("invalid chain: block 3: id " + id + " is held twice", B12Confirmations.whyInvalid(twice, 4));
        assertNull(B10Consensus.whyInvalid(twice, 4), "B10 knows no ids, and takes it");

        List<Map<String, Object>> odd = copy(chain(node));
        transactions(odd.get(1)).get(0).put("id", 42L);
        odd.get(2).put("timestamp", 0.0);
        relink(odd);
        assertTrue(B12Confirmations.whyInvalid(odd, 4).startsWith("invalid chain: block 2: an 'id' is not 32 hex digits"));

        String holdsTwice = serving(twice);
        String holdsOdd = serving(odd);
        register(node, holdsTwice, holdsOdd);
        Map<String, Object> answer = resolve(node);
        assertEquals("Our chain is authoritative", answer.get("message"));
        assertEquals("skipped", outcome(answer, holdsTwice).get("outcome"));
        assertEquals("invalid chain: block 3: id " + id + " is held twice", outcome(answer, holdsTwice).get("reason"));
        assertEquals("skipped", outcome(answer, holdsOdd).get("outcome"));
    }

    @Test
    void b10AdoptsB12sChainWithItsIdsAndB12AdoptsB10sWithout() throws Exception {
        WebApp b12 = b12();
        WebApp b10 = village.node();
        String id = pay(b12, "小美", "大華", 699L);
        mine(b12, 2);
        register(b10, b12.url());
        assertEquals("Our chain was replaced", resolve(b10).get("message"));
        assertEquals(chain(b12), chain(b10));
        assertEquals(id, transactions(chain(b10).get(1)).get(0).get("id"), "B10 keeps the extra key as it came");
        Village.send(b10, "大華", "阿明", 5L);
        mine(b10, 2); // B10's blocks: no ids

        register(b12, b10.url());
        assertEquals("Our chain was replaced", resolve(b12).get("message"));
        List<Map<String, Object>> adopted = chain(b12);
        assertEquals(chain(b10), adopted);
        assertEquals(4L, status(b12, id).get("confirmations"), "block 2 and the three after it, two of them B10's");
        assertEquals(Map.of("sender", "大華", "recipient", "阿明", "amount", 5L), transactions(adopted.get(3)).get(0));
        mine(b12, 1);
        assertNull(B10Consensus.whyInvalid(chain(b12), 4));
        assertNull(B12Confirmations.whyInvalid(chain(b12), 4));
    }

    @Test
    void b12AdoptsTheBookNodesChainMinesOnItAndTheBooksChecksPassOurs() throws Exception {
        WebApp node = b12();
        String bookNode = village.stub(200, Files.readAllBytes(BOOK_NODE_CHAIN));
        register(node, bookNode);
        assertEquals("Our chain was replaced", resolve(node).get("message"));
        String id = pay(node, "小美", "Zoë 🐕", 0.1);
        mine(node, 1);
        List<Map<String, Object>> grown = chain(node);
        assertEquals(5, grown.size());
        assertEquals(5L, status(node, id).get("block"));
        // The book's valid_chain checks only links and nonces, which B10's whyInvalid does as well.
        assertNull(B10Consensus.whyInvalid(grown, 4));
        assertTrue(B12Confirmations.validChain(grown, 4));
    }
}

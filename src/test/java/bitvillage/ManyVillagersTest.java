package bitvillage;

import static bitvillage.WebNode.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B02Mining;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many villagers at one node at once: hundreds of transactions and several miners, all in flight
 * together. Afterwards the chain must be whole, and every transaction in exactly one block, the
 * very block its answer promised.
 */
class ManyVillagersTest {
    static final int TRANSACTIONS = 300;
    static final int MINERS = 6;

    static Stream<String> stages() {
        return WebStagesTest.since("B7"); // B7 is where the blockchain learns to share itself safely
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void concurrentTransactionsAndMinersLoseNothingAndForkNothing(String stage) throws Exception {
        try (WebNode node = new WebNode(stage)) {
            List<CompletableFuture<HttpResponse<String>>> payments = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> mines = new ArrayList<>();
            for (int i = 0; i < TRANSACTIONS; i++) {
                String body = "{\"sender\": \"villager-" + i + "\", \"recipient\": \"market\", \"amount\": " + i + "}";
                payments.add(node.sendAsync(node.request("/transactions/new")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build()));
                if (i % (TRANSACTIONS / MINERS) == TRANSACTIONS / MINERS / 2) {
                    mines.add(node.sendAsync(node.request("/mine").GET().build()));
                }
            }
            assertEquals(MINERS, mines.size());

            Map<String, Long> promised = new HashMap<>(); // sender -> the block its answer named
            for (int i = 0; i < TRANSACTIONS; i++) {
                String message = (String) json(payments.get(i).join(), 201).get("message");
                assertTrue(message.startsWith("Transaction will be added to Block "), message);
                promised.put("villager-" + i, Long.valueOf(message.substring(message.lastIndexOf(' ') + 1)));
            }
            List<Map<String, Object>> forged = new ArrayList<>(); // what each /mine answered
            for (CompletableFuture<HttpResponse<String>> mine : mines) forged.add(json(mine.join(), 200));
            // One more block takes whatever was still pending, so every payment must now be in a block.
            forged.add(json(node.get("/mine"), 200));
            Set<Object> indices = new TreeSet<>();
            forged.forEach(block -> indices.add(block.get("index")));
            assertEquals(LongStream.rangeClosed(2, MINERS + 2).boxed().collect(Collectors.toCollection(TreeSet::new)),
                    indices, "the miners forged blocks 2 to " + (MINERS + 2) + ", no index twice");
            forged.sort(Comparator.comparing(block -> (Long) block.get("index")));
            long lastNonce = 100; // the genesis block's
            for (Map<String, Object> block : forged) {
                long nonce = (Long) block.get("nonce");
                // From B13 on the proof is the block's own hash: assertChainIsWhole checks it below.
                assertTrue(WebStagesTest.proofCoversTheBlock(stage) || B02Mining.Blockchain.validNonce(lastNonce, nonce, 4),
                        "block " + block.get("index") + "'s nonce fits the block before it");
                lastNonce = nonce;
            }

            if (WebStagesTest.since("B8").anyMatch(stage::equals)) {
                Map<String, Object> answer = json(node.get("/chain"), 200);
                List<Map<String, Object>> chain = WebStagesTest.blocks(answer);
                assertEquals((long) MINERS + 2, answer.get("length"));
                assertEquals(MINERS + 2, chain.size());
                WebStagesTest.assertChainIsWhole(stage, chain);
                assertEquals(forged.size(), chain.size() - 1);
            }

            Map<String, Long> foundIn = new HashMap<>();
            for (Map<String, Object> block : forged) {
                int rewards = 0;
                for (Object item : (List<?>) block.get("transactions")) {
                    Map<?, ?> transaction = (Map<?, ?>) item;
                    String sender = (String) transaction.get("sender");
                    if (sender.equals("0")) {
                        rewards++;
                        continue;
                    }
                    Long before = foundIn.put(sender, (Long) block.get("index"));
                    assertEquals(null, before, sender + " is in block " + before + " and in block " + block.get("index"));
                    assertEquals(Long.valueOf(sender.substring("villager-".length())), transaction.get("amount"));
                }
                assertEquals(1, rewards, "block " + block.get("index") + " pays its miner once");
            }
            assertEquals(promised, foundIn, "every payment is in the block its answer named, none lost");

            if (WebStagesTest.since("B12").anyMatch(stage::equals)) {
                // By id: every payment answered an id, and that id is in exactly one block, the one promised.
                Map<String, Long> idsPromised = new HashMap<>();
                for (int i = 0; i < TRANSACTIONS; i++) {
                    idsPromised.put((String) json(payments.get(i).join(), 201).get("id"), promised.get("villager-" + i));
                }
                assertEquals(TRANSACTIONS, idsPromised.size(), "no two payments share an id");
                Map<Object, Long> idsFound = new HashMap<>();
                for (Map<String, Object> block : forged) {
                    for (Object item : (List<?>) block.get("transactions")) {
                        Map<?, ?> transaction = (Map<?, ?>) item;
                        if ("0".equals(transaction.get("sender"))) continue;
                        assertEquals(null, idsFound.put(transaction.get("id"), (Long) block.get("index")),
                                "id " + transaction.get("id") + " is held twice");
                    }
                }
                assertEquals(idsPromised, idsFound, "every id is in the block its payment's answer named");
                Map<String, Object> asked = json(node.get("/transactions/" + idsPromised.keySet().iterator().next()), 200);
                assertEquals("confirmed", asked.get("status"));
            }
        }
    }
}

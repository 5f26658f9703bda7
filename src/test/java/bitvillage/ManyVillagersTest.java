package bitvillage;

import static bitvillage.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.testing.WebNode;
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

    /** The stages whose answer promises a block; from B14 on a better fee may overtake, see {@link #feeStages()}. */
    static Stream<String> stages() {
        return WebStagesTest.since("B7") // B7 is where the blockchain learns to share itself safely
                .filter(stage -> WebStagesTest.fees().noneMatch(stage::equals));
    }

    static Stream<String> feeStages() {
        return WebStagesTest.fees();
    }

    /**
     * B14 on: payments with fees from 0 to 9 and miners at once; from B15 on, into a mempool too
     * small for them all. Every accepted payment ends in exactly one block, or pending, or (B15)
     * evicted and said so; a refused one was told the fee to pay; every block's reward is exactly 1
     * plus its fees.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("feeStages")
    void concurrentPaymentsWithFeesEndInOneBlockOrPendingOrEvictedAndEachRewardIsOnePlusItsFees(String stage)
            throws Exception {
        boolean full = WebStagesTest.fullPool().anyMatch(stage::equals);
        String[] options = full ? new String[] {"--block-bytes", "1000", "--mempool-bytes", "6000"} : new String[] {"--block-bytes", "1000"};
        try (WebNode node = new WebNode(stage, options)) {
            List<CompletableFuture<HttpResponse<String>>> payments = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> mines = new ArrayList<>();
            java.util.SplittableRandom random = new java.util.SplittableRandom(14);
            for (int i = 0; i < TRANSACTIONS; i++) {
                String body = "{\"sender\": \"villager-" + i + "\", \"recipient\": \"market\", \"amount\": " + i
                        + ", \"fee\": " + random.nextInt(10) + "}";
                payments.add(node.sendAsync(node.request("/transactions/new")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build()));
                if (i % (TRANSACTIONS / MINERS) == TRANSACTIONS / MINERS / 2) {
                    mines.add(node.sendAsync(node.request("/mine").GET().build()));
                }
            }
            List<String> accepted = new ArrayList<>();
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> payment : payments) {
                HttpResponse<String> answer = payment.join();
                if (answer.statusCode() == 503) {
                    refused++;
                    assertTrue(json(answer, 503).get("fee_to_pay") instanceof Long, answer.body());
                    continue;
                }
                accepted.add((String) json(answer, 201).get("id"));
            }
            for (CompletableFuture<HttpResponse<String>> mine : mines) json(mine.join(), 200);
            assertEquals(full, refused > 0, "B15's mempool of 6,000 bytes was full at times: 300 payments do not fit; B14's has no limit");

            List<Map<String, Object>> chain = WebStagesTest.blocks(json(node.get("/chain"), 200));
            WebStagesTest.assertChainIsWhole(stage, chain);
            Map<Object, Long> inBlock = new HashMap<>();
            for (Map<String, Object> block : chain.subList(1, chain.size())) {
                List<?> transactions = (List<?>) block.get("transactions");
                long fees = 0;
                for (Object item : transactions.subList(1, transactions.size())) {
                    Map<?, ?> transaction = (Map<?, ?>) item;
                    fees += (Long) transaction.get("fee");
                    assertEquals(null, inBlock.put(transaction.get("id"), (Long) block.get("index")),
                            "id " + transaction.get("id") + " is held twice");
                }
                assertEquals(1 + fees, ((Map<?, ?>) transactions.get(0)).get("amount"), "block " + block.get("index"));
            }
            Set<Object> pending = new java.util.HashSet<>();
            for (Object entry : (List<?>) json(node.get("/transactions/pending"), 200).get("pending")) {
                pending.add(((Map<?, ?>) entry).get("id"));
            }
            int evicted = 0;
            for (String id : accepted) {
                String status = (String) json(node.get("/transactions/" + id), 200).get("status");
                boolean mined = inBlock.containsKey(id);
                assertEquals(mined ? "confirmed" : pending.contains(id) || !full ? "pending" : "evicted", status, id);
                assertTrue(!(mined && pending.contains(id)), id + " is both in a block and pending");
                if (status.equals("evicted")) evicted++;
            }
            assertEquals(accepted.size(), inBlock.size() + pending.size() + evicted, "each accepted payment is in one place");
        }
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

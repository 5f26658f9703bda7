package bitvillage;

import static bitvillage.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.B02Mining;
import bitvillage.stages.B16SignedPayments;
import bitvillage.stages.B17Coins;
import bitvillage.stages.B18Gossip;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.testing.Settled;
import bitvillage.testing.Wallet;
import bitvillage.testing.WebNode;
import bitvillage.util.python.PyJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** B14 and B15: named villagers pay with fees; from B16 on payments are signed, see {@link #signedStages()}. */
    static Stream<String> feeStages() {
        return WebStagesTest.fees().filter(stage -> !Wallet.signs(stage));
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

    static Stream<String> signedStages() {
        return WebStagesTest.since("B16");
    }

    static final int NODES = 3;
    static final int WALLETS = 20;
    static final int ZEROS = 4; // the default, which WebStagesTest.assertChainIsWhole checks
    static final int BLOCK_BYTES = 3000; // B16: some 7 payments; B17: some 5 transactions of one coin in, two out
    static final int MEMPOOL_BYTES = 12_000; // four blocks: 100 payments a node do not fit, so some are evicted or refused

    /**
     * B16 to B19: 20 wallets, funded first from the genesis block's coins, pay one another 300
     * times at once, each at a node of its own among three, while 6 miners mine and resolve there
     * (B17: paying on from the change of their own pending payments). The miners start as the
     * payments' answers come in, never by the clock. Then the village agrees on one chain: on every
     * node it holds by the stage's rules, no id is in two blocks, no sender's sequence is used twice
     * (B16) and no coin is spent twice (B17), every balance stays at 0 or more, each reward is 1 plus
     * its fees, so all coins unspent add up to 2,000 plus 1 a mined block; and each payment a node
     * accepted is, on that node, in one block of the chain, pending, or evicted or conflicted and said why.
     * On B18 and B19 gossip spreads the blocks and payments too; the village agrees once it has settled.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("signedStages")
    void signedPaymentsFromManyWalletsWithMinersOnThreeNodesLoseNothingAndSpendNothingTwice(String stage) throws Exception {
        List<WebNode> nodes = new ArrayList<>();
        ExecutorService villagers = Executors.newFixedThreadPool(WALLETS + MINERS);
        try {
            for (int i = 0; i < NODES; i++) {
                nodes.add(new WebNode(stage, "--zeros", Integer.toString(ZEROS), "--seed", "礦工" + i, "--timeout", "120",
                        "--block-bytes", Integer.toString(BLOCK_BYTES), "--mempool-bytes", Integer.toString(MEMPOOL_BYTES)));
            }
            for (WebNode node : nodes) {
                List<String> others = nodes.stream().filter(other -> other != node).map(other -> other.app.url()).toList();
                json(node.postJson("/nodes/register", PyJson.dumps(Map.of("nodes", others))), 200);
            }
            List<Wallet> wallets = fund(stage, nodes);

            // The storm: each wallet pays on, one payment after another's answer; the miners wait for answers, not time.
            AtomicInteger answered = new AtomicInteger();
            List<CountDownLatch> minerStarts = new ArrayList<>();
            for (int i = 0; i < MINERS; i++) minerStarts.add(new CountDownLatch(1));
            Map<String, WebNode> accepted = new ConcurrentHashMap<>(); // id -> the node that accepted it
            List<String> refused = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int w = 0; w < WALLETS; w++) {
                Wallet wallet = wallets.get(w);
                WebNode node = nodes.get(w % NODES);
                String to = wallets.get((w + 1) % WALLETS).address;
                java.util.SplittableRandom random = new java.util.SplittableRandom(w);
                running.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < TRANSACTIONS / WALLETS; i++) {
                        try {
                            Map<String, Object> payment;
                            try {
                                payment = wallet.pay(to, 1 + random.nextInt(3), random.nextInt(4));
                            } catch (IllegalArgumentException poor) { // B17: its spendable coins do not hold the payment
                                refused.add("not sent: " + poor.getMessage());
                                continue;
                            }
                            HttpResponse<String> answer = node.postJson("/transactions/new", PyJson.dumps(payment));
                            if (answer.statusCode() == 201 || answer.statusCode() == 200) {
                                assertEquals(Wallet.id(payment), json(answer).get("id"));
                                accepted.put(Wallet.id(payment), node);
                            } else {
                                assertTrue(List.of(400, 409, 503).contains(answer.statusCode()), answer.body());
                                refused.add(answer.statusCode() + " " + json(answer).get("error"));
                                wallet.sync(node); // evicted or refused: what the node says it may spend
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        } finally {
                            int answers = answered.incrementAndGet();
                            for (int m = 0; m < MINERS; m++) {
                                if (answers == (m + 1) * TRANSACTIONS / (MINERS + 1)) minerStarts.get(m).countDown();
                            }
                        }
                    }
                }, villagers));
            }
            for (int m = 0; m < MINERS; m++) {
                CountDownLatch start = minerStarts.get(m);
                WebNode node = nodes.get(m % NODES);
                running.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                        json(node.get("/mine"), 200);
                        int status = node.get("/nodes/resolve").statusCode(); // a neighbour's longer chain may replace ours
                        assertTrue(status == 200 || status == 429, "resolve answered " + status); // 429: one was running
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, villagers));
            }
            for (CompletableFuture<Void> each : running) each.join();
            assertEquals(TRANSACTIONS, answered.get());
            // Each node's first payment came to an empty pool, from a wallet that knew its coins: at least those were accepted.
            assertTrue(accepted.size() >= NODES, accepted.size() + " accepted; refused: " + refused);

            List<Map<String, Object>> chain = agree(stage, nodes);
            for (WebNode node : nodes) assertHoldsTogether(stage, node, chain, wallets);
            for (Map.Entry<String, WebNode> payment : accepted.entrySet()) assertAccountedFor(payment.getKey(), payment.getValue(), chain);
        } finally {
            villagers.shutdownNow();
            for (WebNode node : nodes) node.close();
        }
    }

    /**
     * 小美 and 大華 give each of 20 wallets 90 coins from the genesis block's (B16: ten payments each;
     * B17: one transaction each, ten outputs and the change), at node 0, which mines them; the others
     * take its chain. Each wallet then knows what it may spend.
     */
    private static List<Wallet> fund(String stage, List<WebNode> nodes) throws Exception {
        List<Wallet> wallets = new ArrayList<>();
        for (int w = 0; w < WALLETS; w++) wallets.add(new Wallet(stage, "村民" + w));
        WebNode first = nodes.get(0);
        for (Wallet giver : List.of(new Wallet(stage, Wallet.MEI), new Wallet(stage, Wallet.HUA))) {
            List<Wallet> half = giver.address.equals(Keys.address(Wallet.MEI)) ? wallets.subList(0, WALLETS / 2) : wallets.subList(WALLETS / 2, WALLETS);
            List<Map<String, Object>> payments = new ArrayList<>();
            if (stage.equals("B16")) {
                for (Wallet wallet : half) payments.add(giver.pay(wallet.address, 90, 0));
            } else {
                Map<String, Long> outputs = new LinkedHashMap<>();
                half.forEach(wallet -> outputs.put(wallet.address, 90L));
                payments.add(giver.pay(outputs, 1));
            }
            for (Map<String, Object> payment : payments) json(first.postJson("/transactions/new", PyJson.dumps(payment)), 201);
        }
        // Each block takes some: mine until none waits (each /mine takes one at least, so this ends).
        while (!((List<?>) json(first.get("/transactions/pending"), 200).get("pending")).isEmpty()) json(first.get("/mine"), 200);
        if (stage.equals("B18") || stage.equals("B19")) {
            agree(stage, nodes); // gossip brought the others every block
        } else {
            for (WebNode node : nodes.subList(1, NODES)) assertEquals("Our chain was replaced", json(node.get("/nodes/resolve"), 200).get("message"));
        }
        for (Wallet wallet : wallets) wallet.sync(first);
        return wallets;
    }

    /**
     * The village agrees: each node takes a longer chain if a neighbour has one; then the node with
     * the longest mines once more (with what it has pending), and every other takes its chain,
     * longer than any. Answers the chain they all hold. B18 calls no resolve: gossip spreads every block,
     * and once it has settled (every villager's gossip_in_flight 0, see {@link Settled}) each holds the
     * chain with the most work; the one more block, on one of them, ends any tie between equal branches.
     */
    private static List<Map<String, Object>> agree(String stage, List<WebNode> nodes) throws Exception {
        if (stage.equals("B18") || stage.equals("B19")) {
            Settled.awaitNodes(nodes);
            WebNode longest = nodes.get(0);
            for (WebNode node : nodes) if (node.chain().size() > longest.chain().size()) longest = node;
            json(longest.get("/mine"), 200);
            Settled.awaitNodes(nodes);
            List<Map<String, Object>> chain = WebStagesTest.blocks(json(longest.get("/chain"), 200));
            for (WebNode node : nodes) assertEquals(chain, WebStagesTest.blocks(json(node.get("/chain"), 200)), "every node holds one chain, by gossip alone");
            return chain;
        }
        for (WebNode node : nodes) json(node.get("/nodes/resolve"), 200);
        WebNode longest = nodes.get(0);
        for (WebNode node : nodes) if (node.chain().size() > longest.chain().size()) longest = node;
        json(longest.get("/mine"), 200);
        for (WebNode node : nodes) {
            if (node != longest) assertEquals("Our chain was replaced", json(node.get("/nodes/resolve"), 200).get("message"));
        }
        List<Map<String, Object>> chain = WebStagesTest.blocks(json(longest.get("/chain"), 200));
        for (WebNode node : nodes) assertEquals(chain, WebStagesTest.blocks(json(node.get("/chain"), 200)), "every node holds one chain");
        return chain;
    }

    /**
     * On this node: the chain holds by the stage's own rules, and, counted here again, no id twice, no
     * sequence twice (B16), no coin spent twice (B17), no balance below 0, each reward 1 plus its fees,
     * so the coins add up to 2,000 and 1 a mined block; and every wallet's balance at 0 or more.
     */
    private static void assertHoldsTogether(String stage, WebNode node, List<Map<String, Object>> chain, List<Wallet> wallets) throws Exception {
        WebStagesTest.assertChainIsWhole(stage, chain);
        String invalid = stage.equals("B16") ? B16SignedPayments.whyInvalid(chain, ZEROS, BLOCK_BYTES, new VerifiedSignatures(10_000))
                : UnspentCoins.whyInvalid(chain, stage.equals("B17") ? B17Coins.genesis() : B18Gossip.genesis(), ZEROS, BLOCK_BYTES, 3, new VerifiedSignatures(10_000));
        assertEquals(null, invalid, "the chain holds by " + stage + "'s rules");
        Set<Object> ids = new java.util.HashSet<>();
        Set<String> sequences = new java.util.HashSet<>(); // B16: sender and sequence
        Map<String, Long> balances = new HashMap<>(); // B16: each address's
        Map<String, Long> unspent = new HashMap<>(); // B17: "txid:index" -> amount
        Set<String> spent = new java.util.HashSet<>();
        for (Map<String, Object> block : chain) {
            List<?> transactions = (List<?>) block.get("transactions");
            long fees = 0;
            for (int i = 0; i < transactions.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> transaction = (Map<String, Object>) transactions.get(i);
                assertTrue(ids.add(transaction.get("id")), "id " + transaction.get("id") + " is held twice");
                if (stage.equals("B16")) {
                    String sender = (String) transaction.get("sender");
                    long amount = (Long) transaction.get("amount");
                    if (!sender.equals("0")) {
                        assertTrue(sequences.add(sender + " " + transaction.get("sequence")), sender + "'s sequence " + transaction.get("sequence") + " twice");
                        long fee = (Long) transaction.get("fee");
                        fees += fee;
                        long left = balances.merge(sender, -amount - fee, Long::sum);
                        assertTrue(left >= 0, sender + " overdrew to " + left + " in block " + block.get("index"));
                    } else if (i == 0 && !block.get("index").equals(1L)) {
                        assertEquals(amount, 1 + ((List<?>) block.get("transactions")).stream().skip(1)
                                .mapToLong(t -> (Long) ((Map<?, ?>) t).get("fee")).sum(), "block " + block.get("index") + "'s reward");
                    }
                    balances.merge((String) transaction.get("recipient"), amount, Long::sum);
                } else {
                    long in = 0;
                    long out = 0;
                    for (Map<String, Object> input : CoinTransaction.inputs(transaction)) {
                        String coin = input.get("txid") + ":" + input.get("index");
                        assertTrue(spent.add(coin), "coin " + coin + " is spent twice, again in block " + block.get("index"));
                        Long amount = unspent.remove(coin);
                        assertTrue(amount != null, "coin " + coin + " spent in block " + block.get("index") + " was never made");
                        in += amount;
                    }
                    List<Map<String, Object>> outputs = CoinTransaction.outputs(transaction);
                    for (int o = 0; o < outputs.size(); o++) {
                        out += (Long) outputs.get(o).get("amount");
                        unspent.put(transaction.get("id") + ":" + o, (Long) outputs.get(o).get("amount"));
                    }
                    if (i > 0) {
                        assertTrue(in >= out, "a fee below 0 in block " + block.get("index"));
                        fees += in - out;
                    }
                    if (i == 0 && !block.get("index").equals(1L)) fees -= out; // the reward, checked below: 1 + fees - out = 0
                }
            }
            if (!stage.equals("B16") && !block.get("index").equals(1L)) assertEquals(-1L, fees, "block " + block.get("index") + "'s reward is 1 plus its fees");
        }
        long total = stage.equals("B16") ? balances.values().stream().mapToLong(Long::longValue).sum()
                : unspent.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(2000L + chain.size() - 1, total, "the genesis block's 2,000 coins and 1 a mined block: fees only move to the miners");
        for (Wallet wallet : wallets) {
            Map<String, Object> balance = json(node.get("/balance/" + wallet.address), 200);
            for (String kind : List.of("confirmed", "pending")) assertTrue((Long) balance.get(kind) >= 0, node.app.url() + ": " + balance);
        }
    }

    /** On the node that accepted it, a payment is in the chain, pending, or evicted or conflicted and why. */
    private static void assertAccountedFor(String id, WebNode node, List<Map<String, Object>> chain) throws Exception {
        Map<String, Object> answer = json(node.get("/transactions/" + id), 200);
        String status = (String) answer.get("status");
        Long block = null;
        for (Map<String, Object> each : chain) {
            for (Object transaction : (List<?>) each.get("transactions")) if (id.equals(((Map<?, ?>) transaction).get("id"))) block = (Long) each.get("index");
        }
        boolean pending = ((List<?>) json(node.get("/transactions/pending"), 200).get("pending")).stream().anyMatch(entry -> id.equals(((Map<?, ?>) entry).get("id")));
        switch (status) {
            case "confirmed" -> assertEquals(block, answer.get("block"), id);
            case "pending" -> assertTrue(block == null && pending, id + " is pending, and " + (pending ? "in block " + block : "not in the pool"));
            case "evicted" -> assertTrue(block == null && !pending && answer.get("reason") instanceof String why && !why.isEmpty(), answer.toString());
            case "conflicted" -> assertTrue(block == null && !pending && answer.get("conflicted_by") instanceof String by && !by.isEmpty(), answer.toString());
            default -> throw new AssertionError(id + " is " + status);
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

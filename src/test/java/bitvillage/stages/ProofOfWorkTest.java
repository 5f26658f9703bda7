package bitvillage.stages;

import static bitvillage.stages.Village.chain;
import static bitvillage.stages.Village.get;
import static bitvillage.stages.Village.mine;
import static bitvillage.stages.Village.outcome;
import static bitvillage.stages.Village.post;
import static bitvillage.stages.Village.register;
import static bitvillage.stages.Village.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B13ProofOfWork.Blockchain;
import bitvillage.stages.taught.BlockProof;
import bitvillage.util.cli.Options;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.web.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * B13: the proof covers the block. The fixed genesis block, mining that hashes exactly what
 * PyJson.dumps writes (the nodes' fast search finds the plain loop's nonce), every validity rule
 * refused with its reason (crafted neighbour chains), B12's forgery refused, first seen wins, and B13
 * as a network of its own (B10, B12 and the book's chain).
 */
class ProofOfWorkTest {
    private static final int ZEROS = 2; // small, so a hand-made chain mines at once
    private static final String ID = "9e87d069508a4165a992f405923fef9b";

    private final Village village = new Village();
    private final List<WebApp> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(WebApp::close);
        village.close();
    }

    private WebApp b13(int zeros) {
        WebApp node = B13ProofOfWork.start(Options.parse(new String[] {"--port", "0", "--zeros", "" + zeros},
                B13ProofOfWork.OPTIONS), village.world());
        nodes.add(node);
        return node;
    }

    private static String id(int n) {
        return String.format("%032x", n);
    }

    /** A valid chain of {@code length} blocks, mined by hand; each block after the first pays one reward. */
    private static List<Map<String, Object>> validChain(int length) {
        List<Map<String, Object>> chain = new ArrayList<>(List.of(BlockProof.genesis()));
        for (int i = 2; i <= length; i++) {
            List<Map<String, Object>> transactions = new ArrayList<>();
            transactions.add(Blockchain.transaction(id(i * 10), "0", "miner", 1L));
            transactions.add(Blockchain.transaction(id(i * 10 + 1), "小美", "大華", 2.5));
            chain.add(block(chain, transactions, 1_800_000_000.0 + i));
        }
        return chain;
    }

    private static Map<String, Object> block(List<Map<String, Object>> chain, List<Map<String, Object>> transactions,
            double time) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) chain.size() + 1);
        block.put("timestamp", time);
        block.put("transactions", transactions);
        block.put("nonce", 0L);
        block.put("previous_hash", BlockProof.hash(chain.get(chain.size() - 1)));
        return BlockMiner.findNonce(block, ZEROS);
    }

    /** Changes block {@code index} of a copy, mines it and every later block again, and answers the reason. */
    @SuppressWarnings("unchecked")
    private static String refusal(int index, Consumer<Map<String, Object>> change) {
        List<Map<String, Object>> chain = (List<Map<String, Object>>) PyJson.loads(PyJson.dumps(validChain(4)));
        change.accept(chain.get(index - 1));
        for (int i = Math.max(1, index - 1); i < chain.size(); i++) {
            chain.get(i).put("previous_hash", BlockProof.hash(chain.get(i - 1)));
            chain.set(i, BlockMiner.findNonce(chain.get(i), ZEROS));
        }
        String misshapen = ChainShape.whyMisshapen(chain); // what a node checks first, in util
        return misshapen != null ? misshapen : B13ProofOfWork.whyInvalid(chain, ZEROS);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> transactions(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    @Test
    void theGenesisBlockIsTheBooksWithTheTimeB0PrintedAndItsHashIsFixed() {
        assertEquals("{\"index\": 1, \"nonce\": 100, \"previous_hash\": 1, \"timestamp\": 1546678801.6103268,"
                + " \"transactions\": []}", PyJson.dumps(BlockProof.genesis()));
        // CPython: sha256(json.dumps(genesis, sort_keys=True).encode()).hexdigest()
        assertEquals("1718c255056a04c456980f931ed2deba134b4faf448173d61c1f5ff366627230", BlockProof.hash(BlockProof.genesis()));
    }

    @Test
    void aMinedBlockHashesExactlyAsPyJsonWritesItEvenWithAHundredTransactions() {
        List<Map<String, Object>> transactions = new ArrayList<>();
        transactions.add(Blockchain.transaction(id(1), "0", "miner", 1L));
        for (int i = 0; i < 100; i++) transactions.add(Blockchain.transaction(id(i + 2), "小美 🐕", "Zoë", i + 0.5));
        Map<String, Object> mined = block(List.of(BlockProof.genesis()), transactions, 1_800_000_000.25);
        String json = PyJson.dumps(mined);
        assertTrue(json.startsWith("{\"index\": 2, \"nonce\": " + mined.get("nonce") + ", \"previous_hash\": \"1718c2"), json);
        assertTrue(Sha256.hex(json).startsWith("00"), Sha256.hex(json));
        for (int zeros = 1; zeros <= 4; zeros++) {
            Map<String, Object> proof = BlockMiner.findNonce(mined, zeros);
            assertTrue(BlockProof.hash(proof).startsWith("0".repeat(zeros)), zeros + " zeros");
            long nonce = (long) proof.get("nonce");
            for (long smaller = Math.max(0, nonce - 50); smaller < nonce; smaller++) { // it is the first that fits
                Map<String, Object> earlier = new LinkedHashMap<>(proof);
                earlier.put("nonce", smaller);
                assertTrue(!BlockProof.validProof(earlier, zeros), "nonce " + smaller);
            }
        }
    }

    @Test
    void theNodesSearchFindsTheBlockThePlainLoopOfThePageFinds() {
        for (int size : List.of(1, 10, 100)) {
            for (int round = 0; round < 4; round++) {
                List<Map<String, Object>> transactions = new ArrayList<>();
                transactions.add(Blockchain.transaction(id(1), "0", "miner", 1L));
                for (int i = 1; i < size; i++) transactions.add(Blockchain.transaction(id(i + 1), "小美 🐕", "Zoë", i + 0.5));
                Map<String, Object> block = new LinkedHashMap<>();
                block.put("index", 2L + round);
                block.put("timestamp", 1_800_000_000.0 + round / 3.0);
                block.put("transactions", transactions);
                block.put("nonce", 0L);
                block.put("previous_hash", BlockProof.hash(BlockProof.genesis()));
                String given = PyJson.dumps(block);
                for (int zeros = 0; zeros <= 3; zeros++) {
                    assertEquals(PyJson.dumps(BlockProof.findNonce(block, zeros)), PyJson.dumps(BlockMiner.findNonce(block, zeros)),
                            size + " transactions, round " + round + ", " + zeros + " zeros");
                }
                assertEquals(given, PyJson.dumps(block), "neither search changes the block it is given");
            }
        }
    }

    @Test
    void aValidChainPassesAndEachRuleIsRefusedWithItsReason() {
        assertNull(B13ProofOfWork.whyInvalid(validChain(4), ZEROS));
        assertEquals("invalid chain: block 1 is not the genesis block of B13 (index 1, timestamp 1546678801.6103268, no transactions,"
                + " nonce 100, previous_hash 1)", refusal(1, block -> block.put("timestamp", 1546678801.6103269)));
        assertEquals("block 3: 'index' should be 3", refusal(3, block -> block.put("index", 7L)));
        assertEquals("invalid chain: block 3: its timestamp is earlier than block 2's",
                refusal(3, block -> block.put("timestamp", 1_800_000_001.0)));
        assertEquals("invalid chain: block 2: no mining reward", refusal(2, block -> transactions(block).clear()));
        assertEquals("invalid chain: block 2: the first transaction is not the mining reward (sender \"0\")",
                refusal(2, block -> java.util.Collections.reverse(transactions(block))));
        assertEquals("invalid chain: block 2: the mining reward is not 1 coin", refusal(2, block -> transactions(block).get(0).put("amount", 2L)));
        assertEquals("invalid chain: block 4: a second transaction from sender \"0\": new coins come only as the one reward",
                refusal(4, block -> transactions(block).get(1).put("sender", "0")));
        assertEquals("invalid chain: block 3: a transaction has no 'id'", refusal(3, block -> transactions(block).get(1).remove("id")));
        assertEquals("invalid chain: block 4: id " + id(21) + " is held twice", refusal(4, block -> transactions(block).get(1).put("id", id(21))));
        assertTrue(refusal(2, block -> transactions(block).get(1).put("id", "nope")).startsWith("invalid chain: block 2: an 'id' is not 32 hex"));

        List<Map<String, Object>> unmined = validChain(4);
        unmined.get(3).put("nonce", (long) unmined.get(3).get("nonce") + 1);
        assertTrue(B13ProofOfWork.whyInvalid(unmined, ZEROS).matches("invalid chain: block 4: its hash [0-9a-f]{12}… does not start with 2 zeros"),
                B13ProofOfWork.whyInvalid(unmined, ZEROS));
        List<Map<String, Object>> unlinked = validChain(4);
        unlinked.get(2).put("previous_hash", "0".repeat(64));
        assertEquals("invalid chain: block 3: previous_hash is not the hash of block 2", B13ProofOfWork.whyInvalid(unlinked, ZEROS));
    }

    @Test
    void aNeighboursChainThatBreaksARuleIsSkippedWithTheReason() throws Exception {
        WebApp node = b13(ZEROS);
        List<Map<String, Object>> twice = validChain(4);
        transactions(twice.get(3)).get(1).put("id", id(21));
        for (int i = 3; i < 4; i++) twice.set(i, BlockMiner.findNonce(twice.get(i), ZEROS));
        String neighbour = village.stub(200, PyJson.dumps(Map.of("chain", twice, "length", 4L)));
        register(node, neighbour);
        Map<String, Object> resolution = resolve(node);
        assertEquals("Our chain is authoritative", resolution.get("message"));
        assertEquals("invalid chain: block 4: id " + id(21) + " is held twice", outcome(resolution, neighbour).get("reason"));
    }

    @Test
    void theLongestChainWinsAndOneOnlyAsLongAsOursNeverDoesFirstSeenWins() throws Exception {
        WebApp node = b13(ZEROS);
        mine(node, 3); // 4 blocks
        List<Map<String, Object>> ours = chain(node);
        List<Map<String, Object>> asLong = validChain(4); // its last block earlier than ours: B10 would take it
        asLong.set(3, BlockMiner.findNonce(asLong.get(3), ZEROS));
        String tie = village.stub(200, PyJson.dumps(Map.of("chain", asLong)));
        register(node, tie);
        Map<String, Object> resolution = resolve(node);
        assertEquals("Our chain is authoritative", resolution.get("message"));
        assertEquals("no longer than ours (4 blocks): the chain we saw first stands", outcome(resolution, tie).get("reason"));
        assertEquals(PyJson.dumps(ours), PyJson.dumps(chain(node)));

        String longer = village.stub(200, PyJson.dumps(Map.of("chain", validChain(5))));
        register(node, longer);
        assertEquals("Our chain was replaced", resolve(node).get("message"));
        assertEquals(PyJson.dumps(validChain(5)), PyJson.dumps(chain(node)));
    }

    @Test
    void b12sForgeryIsRefusedBlock2sHashMissesItsZeros() throws Exception {
        WebApp a = b13(4);
        Map<String, Object> paid = post(a, "/transactions/new", Map.of("sender", "小美", "recipient", "大華", "amount", 699L));
        mine(a, 6);
        List<Map<String, Object>> honest = chain(a);
        assertEquals(6L, get(a, "/transactions/" + paid.get("id")).get("confirmations"));
        // B12's rewrite: the payment goes back to 小美, every previous_hash relinked, every nonce kept.
        List<Map<String, Object>> forged = chain(a);
        for (Map<String, Object> transaction : transactions(forged.get(1))) {
            if (paid.get("id").equals(transaction.get("id"))) transaction.put("recipient", "小美");
        }
        for (int i = 1; i < forged.size(); i++) forged.get(i).put("previous_hash", BlockProof.hash(forged.get(i - 1)));
        forged.get(6).put("timestamp", (double) honest.get(6).get("timestamp") - 2); // B12's tie-break, useless now
        String why = B13ProofOfWork.whyInvalid(forged, 4);
        assertTrue(why.matches("invalid chain: block 2: its hash [0-9a-f]{12}… does not start with 4 zeros"), why);
        String m = village.stub(200, PyJson.dumps(Map.of("chain", forged)));
        register(a, m);
        Map<String, Object> resolution = resolve(a);
        assertEquals("Our chain is authoritative", resolution.get("message"));
        assertEquals(why, outcome(resolution, m).get("reason"));
        assertEquals(PyJson.dumps(honest), PyJson.dumps(chain(a)));
    }

    @Test
    void b13IsANetworkOfItsOwnNeitherSideTakesTheOthersChain() throws Exception {
        WebApp b13 = b13(4);
        mine(b13, 2);
        List<Map<String, Object>> ours = chain(b13);
        // B10 checks the book's puzzle, as the book's node does: B13's nonces do not fit it.
        String b10Says = B10Consensus.whyInvalid(ours, 4);
        assertTrue(b10Says.matches("invalid chain: block 2: nonce \\d+ does not fit nonce 100 of block 1"), b10Says);
        assertEquals(b10Says, B12Confirmations.whyInvalid(ours, 4));
        // And B13 refuses theirs at block 1: another genesis, another network.
        String genesis = "invalid chain: block 1 is not the genesis block of B13";
        WebApp b12 = B12Confirmations.start(Options.parse(new String[] {"--port", "0"}, B12Confirmations.OPTIONS),
                village.world());
        nodes.add(b12);
        mine(b12, 3);
        assertTrue(B13ProofOfWork.whyInvalid(chain(b12), 4).startsWith(genesis));
        Object book = PyJson.loads(Files.readString(Path.of("src/test/resources/book-node-chain.json")));
        assertTrue(B13ProofOfWork.whyInvalid(bookChain(book), 4).startsWith(genesis));
        register(b13, b12.url());
        Map<String, Object> resolution = resolve(b13);
        assertEquals("Our chain is authoritative", resolution.get("message"));
        assertTrue(((String) outcome(resolution, b12.url()).get("reason")).startsWith(genesis));
    }

    @Test
    void aTransactionSentDuringTheSearchIsPromisedTheBlockAfterAndGoesThere() throws Exception {
        WebApp node = b13(5); // a search long enough to send a payment meanwhile
        var mining = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return get(node, "/mine");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        Map<String, Object> paid = post(node, "/transactions/new", Map.of("sender", "a", "recipient", "b", "amount", 1L));
        Map<String, Object> mined = mining.join();
        long promised = Long.parseLong(((String) paid.get("message")).replaceAll("\\D", ""));
        assertTrue(promised == 2 || promised == 3, paid.toString());
        mine(node, 1);
        assertEquals(promised, get(node, "/transactions/" + paid.get("id")).get("block"), "mined first: " + mined);
    }

    @SuppressWarnings("unchecked") // the fixture is a /chain answer of the book's node
    private static List<Map<String, Object>> bookChain(Object answer) {
        return (List<Map<String, Object>>) ((Map<String, Object>) answer).get("chain");
    }
}

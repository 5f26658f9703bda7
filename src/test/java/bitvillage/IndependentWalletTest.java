package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import bitvillage.keys.Keys;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.python.PyJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's "an independent implementation that signs transactions in the format above can pay
 * through a B17 node" (and issue 19's B16 with it): a wallet in which there is no line of our Java,
 * src/test/resources/wallet/wallet.py, Python's standard library with libsecp256k1 (Bitcoin Core's
 * BIP-340, through ctypes) for the keys and signatures. It reads only what the nodes answer and what
 * the issues say of the formats; it pays real B16 and B17 nodes started here, and this test checks
 * their state afterwards. Needs python3 and Debian's libsecp256k1-1, as LibSecp256k1Test does:
 * without them the test fails and says how to install them, rather than passing unchecked.
 */
class IndependentWalletTest {
    static final Path SCRIPT = Path.of("src/test/resources/wallet/wallet.py");
    private static final String MEI = Keys.address(Keys.fromSeed("小美"));
    private static final String HUA = Keys.address(Keys.fromSeed("大華"));
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private WebNode node(String stage) throws Exception {
        WebNode node = new WebNode(stage, "--zeros", "2", "--seed", "礦工", "--timeout", "10");
        closing.add(node);
        return node;
    }

    /** What the wallet did: its exit code, the line it printed and what it wrote to standard error. */
    record Run(int exit, String printed, String errors) {}

    /** Runs the wallet with these arguments after the node's URL; fails, saying why, if python3 is missing. */
    static Run run(WebNode node, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), node.app.url()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONUTF8", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail("this test needs python3 on the PATH (Debian: apt-get install -y python3): " + e.getMessage());
        }
        process.getOutputStream().close();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the wallet script did not finish in 60 s");
        }
        if (process.exitValue() == 3) fail("the wallet script needs libsecp256k1: " + errors.strip());
        return new Run(process.exitValue(), printed, errors);
    }

    /**
     * Runs the wallet: pays {@code amount} and {@code fee} from the brain wallet of {@code seed} to
     * that of {@code to}, signed by {@code signer}'s key; answers the line it prints: its own id, what
     * it posted, and the node's status and answer.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> wallet(WebNode node, String seed, String to, long amount, long fee, String signer) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(seed, to, Long.toString(amount), Long.toString(fee)));
        if (!signer.equals(seed)) arguments.add(signer);
        Run run = run(node, arguments.toArray(String[]::new));
        assertEquals(0, run.exit(), "the wallet script failed: " + run.errors().strip());
        Map<String, Object> result = (Map<String, Object>) PyJson.loads(run.printed().strip());
        assertEquals(Keys.address(Keys.fromSeed(seed)), result.get("address"),
                "libsecp256k1's brain wallet of " + seed + " is ours (if not, is the locale UTF-8? e.g. LANG=C.UTF-8)");
        assertEquals(Keys.address(Keys.fromSeed(to)), result.get("to"));
        return result;
    }

    static Map<String, Object> wallet(WebNode node, String seed, String to, long amount, long fee) throws Exception {
        return wallet(node, seed, to, amount, fee, seed);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(Map<String, Object> result, long status) {
        assertEquals(status, result.get("status"), "the node answered the wallet: " + result);
        return (Map<String, Object>) result.get("answer");
    }

    /** The wallet's payment was accepted (201) under the id the wallet computed for itself. */
    private static String accepted(Map<String, Object> result) {
        String id = (String) result.get("id");
        assertEquals(id, answer(result, 201).get("id"), "the node's id is the wallet's own");
        return id;
    }

    private static Map<String, Object> status(WebNode node, String id) throws Exception {
        return Http.json(node.get("/transactions/" + id), 200);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> transactionsOf(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    /** The transaction as the last block holds it, found by the wallet's id. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> inLastBlock(WebNode node, String id) throws Exception {
        List<?> chain = node.chain();
        return transactionsOf((Map<String, Object>) chain.get(chain.size() - 1)).stream()
                .filter(transaction -> id.equals(transaction.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError(id + " is not in the last block"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> coins(WebNode node, String address) throws Exception {
        return (List<Map<String, Object>>) Http.json(node.get("/coins/" + address), 200).get("coins");
    }

    private static Map<String, Object> coin(WebNode node, String address, String txid, long index) throws Exception {
        return coins(node, address).stream().filter(coin -> txid.equals(coin.get("txid")) && Long.valueOf(index).equals(coin.get("index")))
                .findFirst().orElseThrow(() -> new AssertionError(address + " holds no coin " + txid + ":" + index));
    }

    @Test
    @DisplayName("B16: the independent wallet pays twice in a row (sequences 1 and 2), both confirmed as it signed them")
    void paysThroughB16() throws Exception {
        WebNode node = node("B16");
        Map<String, Object> first = wallet(node, "小美", "大華", 699, 1);
        assertEquals("B16", first.get("stage"));
        String firstId = accepted(first);
        assertEquals(1L, ((Map<?, ?>) first.get("posted")).get("sequence"));
        assertEquals("pending", status(node, firstId).get("status"));
        Map<String, Object> second = wallet(node, "小美", "大華", 100, 2);
        String secondId = accepted(second);
        assertEquals(2L, ((Map<?, ?>) second.get("posted")).get("sequence"), "the wallet read next_sequence after its pending payment");
        assertEquals("pending", status(node, secondId).get("status"));

        Http.json(node.get("/mine"), 200);
        for (Map<String, Object> paid : List.of(first, second)) {
            String id = (String) paid.get("id");
            assertEquals("confirmed", status(node, id).get("status"));
            Map<String, Object> stored = new TreeMap<>(inLastBlock(node, id));
            stored.remove("id");
            assertEquals(PyJson.dumps(paid.get("posted")), PyJson.dumps(stored), "the block holds the payment as the wallet signed it");
        }
        assertEquals(Map.of("address", MEI, "confirmed", 1000L - 700 - 102, "pending", 198L, "next_sequence", 3L),
                Http.json(node.get("/balance/" + MEI), 200));
        assertEquals(1799L, Http.json(node.get("/balance/" + HUA), 200).get("confirmed"));
    }

    @Test
    @DisplayName("B17: the independent wallet spends a coin with change, then the pending change; /mine confirms both and /coins shows the change")
    void paysThroughB17() throws Exception {
        WebNode node = node("B17");
        Map<String, Object> first = wallet(node, "小美", "大華", 699, 1);
        assertEquals("B17", first.get("stage"));
        String firstId = accepted(first);
        assertEquals(Map.of("txid", firstId, "index", 1L, "amount", 300L, "confirmations", 0L, "spendable", true),
                coin(node, MEI, firstId, 1), "the change, pending");
        Map<String, Object> second = wallet(node, "小美", "大華", 100, 2); // its only spendable coin: the pending change
        String secondId = accepted(second);
        Map<?, ?> spent = (Map<?, ?>) ((List<?>) ((Map<?, ?>) second.get("posted")).get("inputs")).get(0);
        assertEquals(List.of(firstId, 1L), List.of(spent.get("txid"), spent.get("index")), "a child of the wallet's first payment");

        Http.json(node.get("/mine"), 200);
        for (Map<String, Object> paid : List.of(first, second)) {
            String id = (String) paid.get("id");
            assertEquals("confirmed", status(node, id).get("status"));
            Map<String, Object> stored = new TreeMap<>(inLastBlock(node, id));
            stored.remove("id");
            assertEquals(PyJson.dumps(paid.get("posted")), PyJson.dumps(stored), "the block holds the transaction as the wallet signed it");
        }
        assertEquals(Map.of("txid", secondId, "index", 1L, "amount", 198L, "confirmations", 1L, "spendable", true),
                coin(node, MEI, secondId, 1), "the change, confirmed");
        assertEquals(1, coins(node, MEI).size(), "小美's coins: only the last change " + coins(node, MEI));
        assertEquals(Map.of("address", MEI, "confirmed", 198L, "pending", 198L, "spendable", 198L),
                Http.json(node.get("/balance/" + MEI), 200));
        assertEquals(1000L + 699 + 100, Http.json(node.get("/coins/" + HUA), 200).get("balance"));
        Map<?, ?> reward = (Map<?, ?>) ((List<?>) ((Map<?, ?>) node.chain().get(1)).get("transactions")).get(0);
        assertEquals(1L + 1 + 2, ((Map<?, ?>) ((List<?>) reward.get("outputs")).get(0)).get("amount"), "the fees, in − out, to the miner");
    }

    @Test
    @DisplayName("B16 and B17: the wallet signing with another seed than the owner's is refused with 400, and nothing changes")
    void anotherKeyIsRefused() throws Exception {
        for (String stage : List.of("B16", "B17")) {
            WebNode node = node(stage);
            Map<String, Object> forged = wallet(node, "小美", "大華", 699, 1, "大華");
            String error = (String) answer(forged, 400).get("error");
            assertTrue(error.contains("signature"), stage + " names the signature: " + error);
            assertEquals(404, node.get("/transactions/" + forged.get("id")).statusCode(), stage + " never saw it");
            Http.json(node.get("/mine"), 200);
            assertEquals(1000L, Http.json(node.get("/balance/" + MEI), 200).get("confirmed"), stage);
            assertEquals(1000L, Http.json(node.get("/balance/" + HUA), 200).get("confirmed"), stage);
        }
    }

    @Test
    @DisplayName("B17: the wallet trusts /coins' spendable: the miner's reward only once mature (maturity 3), then paid through")
    void spendsARewardOnceTheNodeSaysItIsMature() throws Exception {
        WebNode node = node("B17");
        String miner = Keys.address(Keys.fromSeed("礦工"));
        Http.json(node.get("/mine"), 200); // the reward of height 2: 1 coin, spendable in a block at height 5
        Run tooEarly = run(node, "礦工", "大華", "1", "0");
        assertEquals(1, tooEarly.exit(), tooEarly.printed() + tooEarly.errors());
        assertTrue(tooEarly.errors().contains("no spendable coin of " + miner + " covers 1"), tooEarly.errors());
        Http.json(node.get("/mine"), 200);
        Http.json(node.get("/mine"), 200); // the tip at 4: the next block, 5, may spend the first reward
        Map<String, Object> paid = wallet(node, "礦工", "大華", 1, 0);
        String id = accepted(paid);
        Map<?, ?> spent = (Map<?, ?>) ((List<?>) ((Map<?, ?>) paid.get("posted")).get("inputs")).get(0);
        Map<?, ?> firstReward = (Map<?, ?>) ((List<?>) ((Map<?, ?>) node.chain().get(1)).get("transactions")).get(0);
        assertEquals(List.of(firstReward.get("id"), 0L), List.of(spent.get("txid"), spent.get("index")), "the one mature coin");
        assertEquals(1, ((List<?>) ((Map<?, ?>) paid.get("posted")).get("outputs")).size(), "no change from a whole coin");
        assertEquals(200, Http.postJson(node.app.url() + "/transactions/new", PyJson.dumps(paid.get("posted"))).statusCode(),
                "the wallet's transaction posted again: a safe retry");
        Http.json(node.get("/mine"), 200);
        assertEquals("confirmed", status(node, id).get("status"));
        assertEquals(1001L, Http.json(node.get("/coins/" + HUA), 200).get("balance"));
    }
}

package bitvillage;

import bitvillage.explorer.Explorer;
import bitvillage.keys.Keys;
import bitvillage.stages.Stages;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explorer's command and server over real HTTP, without a browser (ExplorerBrowserTest drives the page). */
class ExplorerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern VILLAGER = Pattern.compile("Villager ([A-E]) \\((B\\d+)\\): (http://\\S+)");
    private static final Pattern PAGE = Pattern.compile("The explorer's page: (http://\\S+)/ ");

    /** A running explorer, what it printed, its page's address and its villagers' addresses. */
    private record Running(AutoCloseable server, String printed, String page, List<String> stages, List<String> villagers)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException("the explorer did not stop", e);
            }
        }
    }

    private static Running launch(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("explorer", "--port", "0"));
        all.addAll(List.of(args));
        AutoCloseable server = BitVillage.launch(all.toArray(String[]::new),
                new World(new PrintStream(bytes, true, StandardCharsets.UTF_8), World::pythonTime, World::uuid4Hex));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        Matcher page = PAGE.matcher(printed);
        assertTrue(page.find(), printed);
        List<String> stages = new ArrayList<>();
        List<String> villagers = new ArrayList<>();
        Matcher villager = VILLAGER.matcher(printed);
        while (villager.find()) {
            stages.add(villager.group(2));
            villagers.add(villager.group(3));
        }
        return new Running(server, printed, page.group(1), stages, villagers);
    }

    private static HttpResponse<String> send(String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (body != null) request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String ask(Running explorer, int villager, String path) {
        return explorer.page() + "/api/ask?node=" + URLEncoder.encode(explorer.villagers().get(villager), StandardCharsets.UTF_8)
                + "&path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    private static String newestStage() {
        return Stages.newest().id();
    }

    @Test
    void startsTwoVillagersOfTheNewestStageAndPrintsEveryAddress() throws Exception {
        try (Running explorer = launch()) {
            assertEquals(List.of(newestStage(), newestStage()), explorer.stages(), explorer.printed());
            Map<?, ?> village = (Map<?, ?>) PyJson.loads(send(explorer.page() + "/api/village", null).body());
            assertEquals(explorer.page(), village.get("copy_address"));
            assertEquals(2, ((List<?>) village.get("villagers")).size());
            for (String villager : explorer.villagers()) {
                assertEquals(200, send(villager + "/chain", null).statusCode(), villager);
            }
            HttpResponse<String> page = send(explorer.page() + "/", null);
            assertTrue(page.body().contains("<script src=\"explorer.js\" defer></script>"), page.body());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
            assertEquals("text/javascript; charset=utf-8", send(explorer.page() + "/pyjson.js", null).headers().firstValue("Content-Type").orElse(""));
        }
    }

    /**
     * Issue 22: the page follows the village by asking /api/changes what changed since the version it
     * holds. A block comes once, by hash, however many villagers hold it (the two villagers, not
     * neighbours, share their genesis block); a villager's chain comes as the hashes from the first
     * position that changed; at most 16 asks wait at once.
     */
    @Test
    void changesComeOnceEachAndOnlyWhatChanged() throws Exception {
        try (Running explorer = launch("--villagers", "2")) {
            Map<String, List<Object>> chains = new LinkedHashMap<>();
            List<Object> blocksSent = new ArrayList<>();
            String epoch = "";
            long version = 0;
            boolean mined = false;
            Map<?, ?> answer;
            do {
                answer = changes(explorer, epoch, version);
                epoch = (String) answer.get("epoch");
                version = (long) answer.get("version");
                for (Object block : (List<?>) answer.get("blocks")) blocksSent.add(((Map<?, ?>) block).get("hash"));
                for (Object each : (List<?>) answer.get("villagers")) {
                    Map<?, ?> villager = (Map<?, ?>) each;
                    List<Object> chain = chains.computeIfAbsent((String) villager.get("name"), name -> new ArrayList<>());
                    chain.subList((int) (long) villager.get("from"), chain.size()).clear();
                    chain.addAll((List<?>) villager.get("hashes"));
                    assertEquals(villager.get("length"), (long) chain.size(), villager.toString());
                }
                if (!mined && chains.size() == 2) {
                    assertEquals(200, send(ask(explorer, 0, "/mine"), null).statusCode());
                    mined = true;
                }
            } while (!mined || chains.get("A").size() < 2);
            // Both villagers hold the fixed genesis block, A its own block 2 too: each block was sent once.
            assertEquals(chains.get("A").subList(0, 1), chains.get("B"));
            assertEquals(chains.get("A"), blocksSent, "genesis and A's block, each once");
            // Too many asks waiting at once: the 17th is answered at once, 429.
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                waiting.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(changesUrl(explorer, epoch, version))).timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (var each : waiting) statuses.add(each.get().statusCode());
            assertTrue(statuses.contains(429), statuses.toString());
            assertEquals(400, send(explorer.page() + "/api/changes?since=-1", null).statusCode());
        }
    }

    private static String changesUrl(Running explorer, String epoch, long since) {
        return explorer.page() + "/api/changes?epoch=" + epoch + "&since=" + since;
    }

    /** Asks what changed since a version; fails when nothing did for the 20 s an ask waits. */
    private static Map<?, ?> changes(Running explorer, String epoch, long since) throws Exception {
        HttpResponse<String> answer = send(changesUrl(explorer, epoch, since), null);
        assertEquals(200, answer.statusCode(), answer.body());
        Map<?, ?> changes = (Map<?, ?>) PyJson.loads(answer.body());
        if (since > 0 && ((List<?>) changes.get("blocks")).isEmpty() && ((List<?>) changes.get("villagers")).isEmpty()) {
            throw new AssertionError("nothing changed in 20 s");
        }
        return changes;
    }

    @Test
    void anOlderStageAndMoreVillagers() throws Exception {
        try (Running explorer = launch("--stage", "B8", "--villagers", "3")) {
            assertEquals(List.of("B8", "B8", "B8"), explorer.stages());
        }
    }

    @Test
    void passesAPaymentOnAndAnswersWhatTheVillagerSent() throws Exception {
        try (Running explorer = launch("--stage", "B10", "--villagers", "1")) {
            HttpResponse<String> paid = send(ask(explorer, 0, "/transactions/new"),
                    "{\"sender\": \"小美\", \"recipient\": \"大華\", \"amount\": 699}");
            assertEquals(200, paid.statusCode(), paid.body());
            Map<?, ?> envelope = (Map<?, ?>) PyJson.loads(paid.body());
            assertEquals(201L, envelope.get("status"));
            assertEquals("{\n  \"message\": \"Transaction will be added to Block 2\"\n}\n", envelope.get("body"));
            Map<?, ?> missing = (Map<?, ?>) PyJson.loads(send(ask(explorer, 0, "/transactions/pending"), null).body());
            assertEquals(404L, missing.get("status"), "B10 has no such route, and says so");
            Map<?, ?> mined = (Map<?, ?>) PyJson.loads((String) ((Map<?, ?>) PyJson.loads(send(ask(explorer, 0, "/mine"), null).body())).get("body"));
            assertEquals(2, ((List<?>) mined.get("transactions")).size(), "the payment and the reward");
        }
    }

    @Test
    void passesAChainsETagOnSoThatAnUnchangedChainCostsA304() throws Exception {
        try (Running explorer = launch()) {
            Map<?, ?> first = (Map<?, ?>) PyJson.loads(send(ask(explorer, 0, "/chain"), null).body());
            assertEquals(200L, first.get("status"));
            String etag = (String) first.get("etag");
            assertTrue(etag != null && etag.startsWith("\""), "the villager's ETag comes along: " + first);
            String withEtag = ask(explorer, 0, "/chain") + "&etag=" + URLEncoder.encode(etag, StandardCharsets.UTF_8);
            Map<?, ?> again = (Map<?, ?>) PyJson.loads(send(withEtag, null).body());
            assertEquals(304L, again.get("status"));
            assertEquals("", again.get("body"));
            send(ask(explorer, 0, "/mine"), null);
            Map<?, ?> mined = (Map<?, ?>) PyJson.loads(send(withEtag, null).body());
            assertEquals(200L, mined.get("status"), "a new block: the whole chain again");
        }
    }

    @Test
    void servesTheCopyThePageSentAtItsOwnChain() throws Exception {
        try (Running explorer = launch("--stage", "B10", "--villagers", "1")) {
            assertEquals(404, send(explorer.page() + "/chain", null).statusCode(), "no copy yet");
            String chain = "[{\"index\": 1, \"nonce\": 100, \"previous_hash\": 1, \"timestamp\": 1.0, \"transactions\": []}]";
            assertEquals(400, send(explorer.page() + "/api/copy", "{\"blocks\": " + chain + "}").statusCode());
            assertEquals(200, send(explorer.page() + "/api/copy", "{\"chain\": " + chain + "}").statusCode());
            Map<?, ?> served = (Map<?, ?>) PyJson.loads(send(explorer.page() + "/chain", null).body());
            assertEquals(1L, served.get("length"));
            assertEquals(PyJson.loads(chain), served.get("chain"), "the copy as sent: 1.0 stays a float, 1 an integer");
        }
    }

    /**
     * Issue 19: the explorer judges each payment's signature from its fields with B16's rules; what a
     * villager writes beside them (an id, a "verified" of its own) counts for nothing.
     */
    @Test
    void judgesEachPaymentsSignatureItselfAndTakesNoVillagersWordForIt() throws Exception {
        byte[] xiaomei = Keys.fromSeed("小美");
        byte[] dahua = Keys.fromSeed("大華");
        Map<String, Object> unsigned = SignedPayment.unsigned(Keys.address(xiaomei), Keys.address(dahua), 699, 1, 1);
        Map<String, Object> signed = SignedPayment.withId(SignedPayment.signed(xiaomei, unsigned));
        Map<String, Object> altered = new LinkedHashMap<>(signed);
        altered.put("amount", 700L);
        altered.put("id", SignedPayment.id(altered));
        Map<String, Object> wrongId = new LinkedHashMap<>(signed);
        wrongId.put("id", "0".repeat(64));
        Map<String, Object> inXiaomeisName = SignedPayment.withId(SignedPayment.signed(dahua, unsigned));
        Map<String, Object> claimsToBeVerified = new LinkedHashMap<>(inXiaomeisName);
        claimsToBeVerified.put("verified", true);
        List<Object> payments = List.of(signed, altered, wrongId, inXiaomeisName, claimsToBeVerified,
                SignedPayment.reward(Keys.address(dahua), 1, 2), "no payment");
        try (Running explorer = launch("--stage", "B10", "--villagers", "1")) {
            HttpResponse<String> answer = send(explorer.page() + "/api/signatures", PyJson.dumps(Map.of("payments", payments)));
            assertEquals(200, answer.statusCode(), answer.body());
            List<String> verdicts = new ArrayList<>();
            List<String> whys = new ArrayList<>();
            for (Object verdict : (List<?>) ((Map<?, ?>) PyJson.loads(answer.body())).get("verdicts")) {
                verdicts.add((String) ((Map<?, ?>) verdict).get("verdict"));
                whys.add((String) ((Map<?, ?>) verdict).get("why"));
            }
            assertEquals(List.of("verified", "not verified", "not verified", "not verified", "not a signed payment",
                    "not a signed payment", "not a signed payment"), verdicts, whys.toString());
            assertEquals("signature does not verify for the sender", whys.get(1));
            assertEquals("its 'id' is not the hash of the payment", whys.get(2));

            List<Object> tooMany = java.util.Collections.nCopies(65, signed);
            assertEquals(400, send(explorer.page() + "/api/signatures", PyJson.dumps(Map.of("payments", tooMany))).statusCode());
            assertEquals(400, send(explorer.page() + "/api/signatures", "{\"payment\": []}").statusCode());
        }
    }

    /**
     * B17: the explorer verifies each input against the owner of the coin it spends, read from the
     * transaction that made the coin, whose id it computes itself: a villager that names another owner
     * for a coin, or writes "verified" beside a transaction, changes no verdict.
     */
    @Test
    void judgesEachCoinInputAgainstTheOwnerOfTheCoinItSpends() throws Exception {
        byte[] xiaomei = Keys.fromSeed("小美");
        byte[] dahua = Keys.fromSeed("大華");
        Map<String, Object> genesis = CoinTransaction.withId(CoinTransaction.genesis());
        String genesisId = (String) genesis.get("id");
        Map<UnspentCoins.Outpoint, Long> hers = Map.of(new UnspentCoins.Outpoint(genesisId, 0), 1000L);
        Map<String, Object> payment = CoinTransaction.withId(CoinSelection.pay(xiaomei, hers, Keys.address(dahua), 699, 1));
        Map<String, Object> inHerName = CoinTransaction.withId(CoinSelection.pay(dahua, hers, Keys.address(dahua), 699, 1));
        Map<String, Object> altered = CoinTransaction.withId(withOutput(payment, 1, Keys.address(dahua), 300));
        Map<String, Object> wrongId = new LinkedHashMap<>(payment);
        wrongId.put("id", "0".repeat(64));
        Map<String, Object> claimsVerified = new LinkedHashMap<>(inHerName);
        claimsVerified.put("verified", true);
        // The villager's chain says 大華 owned 小美's coin, under the genesis transaction's id.
        Map<String, Object> forgedMaker = new LinkedHashMap<>(genesis);
        forgedMaker.put("outputs", List.of(CoinTransaction.output(Keys.address(dahua), 1000)));
        Map<String, Object> noSuchOutput = CoinTransaction.withId(CoinTransaction.signed(CoinTransaction.transaction(
                List.of(CoinTransaction.input(genesisId, 5)), List.of(CoinTransaction.output(Keys.address(dahua), 1))), xiaomei));
        List<Object> asks = List.of(
                coinAsk(payment, genesis), coinAsk(inHerName, genesis), coinAsk(altered, genesis), coinAsk(wrongId, genesis),
                coinAsk(inHerName, forgedMaker), coinAsk(payment, null), coinAsk(noSuchOutput, genesis),
                coinAsk(CoinTransaction.withId(CoinTransaction.reward(Keys.address(dahua), 1, 2)), null),
                coinAsk(claimsVerified, genesis), coinAsk(SignedPayment.withId(SignedPayment.unsigned(Keys.address(xiaomei), Keys.address(dahua), 1, 0, 1)), null),
                "no transaction");
        try (Running explorer = launch("--stage", "B10", "--villagers", "1")) {
            HttpResponse<String> answer = send(explorer.page() + "/api/coin-signatures", PyJson.dumps(Map.of("transactions", asks)));
            assertEquals(200, answer.statusCode(), answer.body());
            List<String> verdicts = new ArrayList<>();
            List<String> whys = new ArrayList<>();
            for (Object verdict : (List<?>) ((Map<?, ?>) PyJson.loads(answer.body())).get("verdicts")) {
                verdicts.add((String) ((Map<?, ?>) verdict).get("verdict"));
                whys.add((String) ((Map<?, ?>) verdict).get("why"));
            }
            assertEquals(List.of("verified", "not verified", "not verified", "not verified", "owner not found", "owner not found",
                    "not verified", "new coins", "not a coin transaction", "not a coin transaction", "not a coin transaction"), verdicts, whys.toString());
            assertEquals("input 0: signature does not verify for the owner of the coin it spends", whys.get(1));
            assertEquals("its 'id' is not the hash of the transaction", whys.get(3));
            assertEquals("input 0: no transaction drawn here hashes to " + genesisId, whys.get(4));
            assertEquals("input 0: the coin it spends is in no block drawn here", whys.get(5));
            assertEquals("input 0: the transaction it names has no output 5", whys.get(6));

            List<Object> tooMany = java.util.Collections.nCopies(65, coinAsk(payment, genesis));
            assertEquals(400, send(explorer.page() + "/api/coin-signatures", PyJson.dumps(Map.of("transactions", tooMany))).statusCode());
            Map<String, Object> manySpent = new LinkedHashMap<>();
            manySpent.put("transaction", payment);
            manySpent.put("spent", java.util.Collections.nCopies(257, genesis));
            assertEquals(400, send(explorer.page() + "/api/coin-signatures", PyJson.dumps(Map.of("transactions", List.of(manySpent)))).statusCode());
            assertEquals(400, send(explorer.page() + "/api/coin-signatures", "{\"payments\": []}").statusCode());
        }
    }

    /** What the page sends for one transaction: it, and the transaction that made each coin it spends (null: not found). */
    private static Map<String, Object> coinAsk(Map<String, Object> transaction, Map<String, Object> maker) {
        Map<String, Object> ask = new LinkedHashMap<>();
        ask.put("transaction", transaction);
        List<Object> spent = new ArrayList<>();
        int inputs = transaction.get("inputs") instanceof List<?> list ? list.size() : 0; // a B16 payment has none
        for (int i = 0; i < inputs; i++) spent.add(maker);
        ask.put("spent", spent);
        return ask;
    }

    /** The transaction with output {@code index} replaced, signatures and all kept: changed after signing. */
    private static Map<String, Object> withOutput(Map<String, Object> transaction, int index, String address, long amount) {
        Map<String, Object> changed = new LinkedHashMap<>(transaction);
        changed.remove("id");
        List<Map<String, Object>> outputs = new ArrayList<>(CoinTransaction.outputs(transaction));
        outputs.set(index, CoinTransaction.output(address, amount));
        changed.put("outputs", outputs);
        return changed;
    }

    /** B17: the explorer passes an address's coins on, as a node of coins lists them. */
    @Test
    void passesAnAddresssCoinsOn() throws Exception {
        try (Running explorer = launch("--stage", "B17", "--villagers", "1")) {
            String xiaomei = Keys.address(Keys.fromSeed("小美"));
            Map<?, ?> envelope = (Map<?, ?>) PyJson.loads(send(ask(explorer, 0, "/coins/" + xiaomei), null).body());
            assertEquals(200L, envelope.get("status"), envelope.toString());
            Map<?, ?> coins = (Map<?, ?>) PyJson.loads((String) envelope.get("body"));
            assertEquals(1000L, coins.get("balance"));
            assertEquals(1, ((List<?>) coins.get("coins")).size());
            assertEquals(404, send(ask(explorer, 0, "/coins/" + xiaomei.toUpperCase(java.util.Locale.ROOT)), null).statusCode());
        }
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertUsage("--villagers takes a whole number from 1 to 20", "--villagers", "21");
        assertUsage("the explorer draws stages from B8 on", "--stage", "B7");
        assertUsage("the explorer draws stages from B8 on", "--stage", "walkthrough");
        assertUsage("give one or the other", "--node", "127.0.0.1:5000", "--stage", "B10");
        assertUsage("--node: ", "--node", "127.0.0.1");
        assertUsage("is given twice", "--node", "127.0.0.1:5000", "--node", "http://127.0.0.1:5000/");
        List<String> nodes = new ArrayList<>();
        for (int port = 1; port <= Explorer.MAX_VILLAGERS + 1; port++) nodes.addAll(List.of("--node", "127.0.0.1:" + port));
        assertUsage("at most 20", nodes.toArray(String[]::new));
    }

    private static void assertUsage(String expected, String... args) {
        List<String> all = new ArrayList<>(List.of("explorer"));
        all.addAll(List.of(args));
        Options.UsageError error = assertThrows(Options.UsageError.class,
                () -> BitVillage.launch(all.toArray(String[]::new), World.fixed(new PrintStream(new ByteArrayOutputStream()))));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void aUsageErrorExits2() throws Exception {
        LauncherTest.Result result = LauncherTest.java("explorer", "--villagers", "29");
        assertEquals(2, result.status());
        assertTrue(result.err().contains("--villagers takes a whole number from 1 to 20"), result.err());
        assertTrue(result.err().contains("--node URL"), "the usage follows: " + result.err());
    }
}

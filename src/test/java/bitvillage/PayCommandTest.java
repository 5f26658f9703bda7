package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code pay} against real B16 and B17 nodes, through the launcher in this JVM; the locale's trap in a child JVM. */
class PayCommandTest {
    static final String XIAOMEI = Keys.address(Keys.fromSeed("小美"));
    static final String DAHUA = Keys.address(Keys.fromSeed("大華"));
    /** 小美's coin of 1000 in B17's genesis block. */
    static final Outpoint GENESIS_COIN = new Outpoint(CoinTransaction.id(CoinTransaction.genesis()), 0);

    /** What {@code pay ARGS} printed and its exit status (the launcher's last line when not 0). */
    record Outcome(int status, String out, String failure) {}

    static Outcome pay(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "pay";
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            try {
                BitVillage.launch(all, World.fixed(out));
                return new Outcome(0, bytes.toString(StandardCharsets.UTF_8), "");
            } catch (StageFailed e) {
                return new Outcome(e.status(), bytes.toString(StandardCharsets.UTF_8), e.getMessage());
            }
        }
    }

    @Test
    void aPaymentIsSignedWithTheNextSequencePostedAndItsAnswerPrinted() throws Exception {
        try (WebNode node = new WebNode("B16", "--seed", "小美")) {
            String url = node.app.url();
            Outcome first = pay("--seed", "小美", "--to", DAHUA, "--amount", "699", "--fee", "1", "--node", url);
            String id = SignedPayment.id(SignedPayment.unsigned(XIAOMEI, DAHUA, 699, 1, 1));
            assertEquals(0, first.status(), first.out() + first.failure());
            assertTrue(first.out().startsWith("201 Created\n{\n"), first.out());
            assertTrue(first.out().contains("\"id\": \"" + id + "\""), first.out());

            Outcome second = pay("--seed", "小美", "--to", DAHUA, "--amount", "1", "--node", url);
            assertEquals(0, second.status(), second.out());
            Map<String, Object> pending = Http.json(node.get("/transactions/" + SignedPayment.id(SignedPayment.unsigned(XIAOMEI, DAHUA, 1, 0, 2))), 200);
            assertEquals("pending", pending.get("status"), "the second payment carries sequence 2: " + pending);
        }
    }

    @Test
    void aRefusalExits1WithTheNodesAnswer() throws Exception {
        try (WebNode node = new WebNode("B16", "--seed", "小美")) {
            Outcome overdraft = pay("--seed", "小美", "--to", DAHUA, "--amount", "5000", "--node", node.app.url());
            assertEquals(1, overdraft.status(), overdraft.out());
            assertTrue(overdraft.out().startsWith("400 Bad Request\n"), overdraft.out());
            assertTrue(overdraft.out().contains("balance 1000, payment needs 5000"), overdraft.out());
        }
    }

    @Test
    void printShowsTheSignedPaymentAndPostsNothing() throws Exception {
        String secret = HexFormat.of().formatHex(Keys.fromSeed("大華"));
        try (WebNode node = new WebNode("B16", "--seed", "小美")) {
            Outcome printed = pay("--secret", secret, "--to", XIAOMEI, "--amount", "3", "--node", node.app.url(), "--print");
            assertEquals(0, printed.status(), printed.out());
            Object payment = PyJson.loads(printed.out());
            assertEquals(SignedPayment.signed(Keys.fromSeed("大華"), SignedPayment.unsigned(DAHUA, XIAOMEI, 3, 0, 1)), payment);
            assertEquals("[]", PyJson.dumps(Http.json(node.get("/transactions/pending"), 200).get("pending")));
        }
    }

    @Test
    void onB17ItSpendsTheLargestSpendableCoinAndTakesTheChangeBack() throws Exception {
        try (WebNode node = new WebNode("B17", "--seed", "小美")) {
            String url = node.app.url();
            Outcome first = pay("--seed", "小美", "--to", DAHUA, "--amount", "699", "--fee", "1", "--node", url);
            Map<String, Object> expected = CoinSelection.pay(Keys.fromSeed("小美"), Map.of(GENESIS_COIN, 1000L), DAHUA, 699, 1);
            String id = CoinTransaction.id(expected);
            assertEquals(0, first.status(), first.out() + first.failure());
            assertTrue(first.out().startsWith("201 Created\n{\n"), first.out());
            assertTrue(first.out().contains("\"id\": \"" + id + "\""), first.out());
            Object change = Map.of("txid", id, "index", 1L, "amount", 300L, "confirmations", 0L, "spendable", true);
            assertTrue(coins(node, XIAOMEI).contains(change), "the change, 1000 - 699 - 1, comes back: " + coins(node, XIAOMEI));

            Outcome second = pay("--seed", "小美", "--to", DAHUA, "--amount", "100", "--node", url);
            assertEquals(0, second.status(), second.out() + second.failure());
            Map<String, Object> fromChange = CoinSelection.pay(Keys.fromSeed("小美"), Map.of(new Outpoint(id, 1), 300L), DAHUA, 100, 0);
            assertEquals("pending", Http.json(node.get("/transactions/" + CoinTransaction.id(fromChange)), 200).get("status"),
                    "the second payment spends the first's change, still pending");
        }
    }

    @Test
    void onB17AnImmatureRewardIsNoSpendableCoinAndTooFewCoinsSendNothing() throws Exception {
        try (WebNode node = new WebNode("B17", "--seed", "小美", "--zeros", "3")) {
            Http.json(node.get("/mine"), 200); // a reward of 1 to 小美, spendable only 3 blocks on
            Outcome tooMuch = pay("--seed", "小美", "--to", DAHUA, "--amount", "1000", "--fee", "1", "--node", node.app.url());
            assertEquals(1, tooMuch.status(), tooMuch.out());
            assertEquals("", tooMuch.out());
            assertTrue(tooMuch.failure().contains("the spendable coins hold 1000, the payment needs 1001"), tooMuch.failure());
            assertEquals("[]", PyJson.dumps(Http.json(node.get("/transactions/pending"), 200).get("pending")));
        }
    }

    @Test
    void onB17PrintShowsTheSignedTransactionAndPostsNothing() throws Exception {
        try (WebNode node = new WebNode("B17", "--seed", "小美")) {
            Outcome printed = pay("--seed", "大華", "--to", XIAOMEI, "--amount", "3", "--node", node.app.url(), "--print");
            assertEquals(0, printed.status(), printed.out());
            Outpoint hisCoin = new Outpoint(GENESIS_COIN.txid(), 1);
            assertEquals(CoinSelection.pay(Keys.fromSeed("大華"), Map.of(hisCoin, 1000L), XIAOMEI, 3, 0), PyJson.loads(printed.out()));
            assertEquals("[]", PyJson.dumps(Http.json(node.get("/transactions/pending"), 200).get("pending")));
        }
    }

    private static List<?> coins(WebNode node, String address) throws Exception {
        return (List<?>) Http.json(node.get("/coins/" + address), 200).get("coins");
    }

    @Test
    void aNodeThatIsNotThereExits1AndSaysSo() throws Exception {
        Outcome nobody = pay("--seed", "小美", "--to", DAHUA, "--amount", "1", "--node", "http://127.0.0.1:9");
        assertEquals(1, nobody.status());
        assertTrue(nobody.failure().contains("cannot connect"), nobody.failure());
    }

    @Test
    void whatIsNoPaymentIsAUsageError() {
        String node = "http://127.0.0.1:5000";
        for (String[] args : new String[][] {
                {"--to", DAHUA, "--amount", "1", "--node", node},
                {"--seed", "小美", "--secret", "00", "--to", DAHUA, "--amount", "1", "--node", node},
                {"--seed", "小美", "--to", "大華", "--amount", "1", "--node", node},
                {"--seed", "小美", "--to", DAHUA, "--amount", "0", "--node", node},
                {"--seed", "小美", "--to", DAHUA, "--amount", "1000000000000001", "--node", node},
                {"--seed", "小美", "--to", DAHUA, "--amount", "1", "--fee", "-1", "--node", node},
                {"--seed", "小美", "--to", DAHUA, "--amount", "1"},
                {"--secret", "0".repeat(64), "--to", DAHUA, "--amount", "1", "--node", node}}) {
            assertThrows(UsageError.class, () -> pay(args), String.join(" ", args));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aSeedTheLocaleGarbledExits2AndSaysToSetAUtf8Locale() throws Exception {
        LauncherTest.Result garbled = LauncherTest.javaInLocale("C", "pay", "--seed", "小美", "--to", DAHUA, "--amount", "1",
                "--node", "http://127.0.0.1:9");
        assertEquals(2, garbled.status(), garbled.out() + garbled.err());
        assertTrue(garbled.err().contains(KeysCommandTest.LOCALE_HINT), garbled.err());
    }
}

package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.FileNotebook;
import bitvillage.stages.taught.NotebookLines;
import bitvillage.testing.Http;
import bitvillage.testing.Wallet;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.python.PyJson;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B19 over HTTP, on real servers with {@code --data} in a fresh directory: what a villager answered 201 or
 * mined is there when it starts again on the same directory; a second villager may not open it; without
 * {@code --data} it forgets as B18 did.
 */
class NotebookVillagerTest {
    private static final String TO = "1fbd141ab574e9d2fb6f4b6503e447ef09dd4f5e77fb0827702f85851746140b";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private WebNode villager(String... more) throws Exception {
        List<String> options = new ArrayList<>(List.of("--zeros", "2", "--seed", "礦工"));
        options.addAll(List.of(more));
        WebNode node = new WebNode("B19", options.toArray(String[]::new));
        closing.add(node);
        return node;
    }

    /** Pays {@code amount} from the wallet, with a fee of 1; the id of the payment, answered 201. */
    private static String pay(WebNode node, Wallet wallet, long amount) throws Exception {
        return (String) Http.json(node.postJson("/transactions/new", PyJson.dumps(wallet.pay(TO, amount, 1))), 201).get("id");
    }

    private static Map<String, Object> whereabouts(WebNode node, String id) throws Exception {
        return Http.json(node.get("/transactions/" + id), 200);
    }

    @Test
    void aPaymentAnswered201IsPendingAfterARestartOnTheSameDirectory() throws Exception {
        String data = dir.resolve("a").toString();
        WebNode first = villager("--data", data);
        String id = pay(first, new Wallet("B19", Wallet.MEI), 10);
        first.close();

        WebNode again = villager("--data", data);
        assertEquals("pending", whereabouts(again, id).get("status"));
        assertTrue(again.printed().contains("0 blocks, each judged valid again; our chain has 1 blocks, and 1 payments are pending again"),
                again.printed());
    }

    @Test
    void aMinedBlockAndThePaymentItHoldsSurviveARestart() throws Exception {
        String data = dir.resolve("a").toString();
        WebNode first = villager("--data", data);
        String id = pay(first, new Wallet("B19", Wallet.MEI), 10);
        Http.json(first.get("/mine"), 200);
        List<?> served = first.chain();
        first.close();

        WebNode again = villager("--data", data);
        assertEquals(served, again.chain());
        Map<String, Object> confirmed = whereabouts(again, id);
        assertEquals("confirmed", confirmed.get("status"));
        assertEquals(2L, confirmed.get("block"));
    }

    @Test
    void aSecondVillagerOnTheSameDirectoryIsRefused() throws Exception {
        String data = dir.resolve("a").toString();
        villager("--data", data);
        StageFailed refused = assertThrows(StageFailed.class, () -> villager("--data", data));
        assertTrue(refused.getMessage().contains("is in use by another villager"), refused.getMessage());
    }

    @Test
    void withoutDataAVillagerForgetsAsB18Did() throws Exception {
        WebNode first = villager();
        pay(first, new Wallet("B19", Wallet.MEI), 10);
        Http.json(first.get("/mine"), 200);
        first.close();
        WebNode again = villager();
        assertEquals(1, again.chain().size());
        assertFalse(again.printed().contains("Notebook"), again.printed());
    }

    /** Waits until {@code done}, for at most 60 s: gossip runs in the background. */
    private static void await(BooleanSupplier done, Supplier<Object> seen) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 60 s: " + seen.get());
            Thread.sleep(20);
        }
    }

    private static List<?> chainOf(WebNode node) {
        try {
            return node.chain();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int status(WebNode node, String path) {
        try {
            return node.get(path).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void register(WebNode node, WebNode neighbour) throws Exception {
        Http.json(node.postJson("/nodes/register", "{\"nodes\": [\"" + neighbour.app.url() + "\"]}"), 200);
    }

    @SuppressWarnings("unchecked")
    private static String tipHash(WebNode node) throws Exception {
        List<?> chain = node.chain();
        return BlockProof.hash((Map<String, Object>) chain.get(chain.size() - 1));
    }

    @Test
    void aSideBranchBlockIsKeptAcrossARestart() throws Exception {
        String data = dir.resolve("a").toString();
        WebNode a = villager("--data", data);
        WebNode b = villager();
        Http.json(a.get("/mine"), 200);
        Http.json(b.get("/mine"), 200); // a block 2 of its own: a tie, and a's stays its chain
        String theirs = tipHash(b);
        List<?> ours = a.chain();
        register(a, b);
        register(b, a); // b greets a with its tip, which a fetches: a side branch
        await(() -> status(a, "/blocks/" + theirs) == 200, () -> a.printed());
        assertEquals(ours, a.chain());
        a.close();

        WebNode again = villager("--data", data);
        assertEquals(200, again.get("/blocks/" + theirs).statusCode(), "the side branch's block, kept");
        assertEquals(ours, again.chain(), "the tie goes to the block noted first, as before");
    }

    @Test
    void savedNeighboursAreJoinedAgainAndWhatWasMinedMeanwhileArrives() throws Exception {
        String data = dir.resolve("a").toString();
        WebNode a = villager("--data", data);
        WebNode b = villager();
        register(a, b);
        register(b, a);
        a.close();
        for (int i = 0; i < 2; i++) Http.json(b.get("/mine"), 200);

        WebNode again = villager("--data", data); // another port: b learns it as it registers with b
        await(() -> chainOf(again).equals(chainOf(b)), () -> again.printed());
        assertTrue(again.printed().contains("Joined " + b.app.url() + ": each the other's neighbour"), again.printed());
    }

    @Test
    void anEmptyDirectoryWithJoinCatchesUpFromTheVillageAndKeepsIt() throws Exception {
        WebNode b = villager();
        for (int i = 0; i < 3; i++) Http.json(b.get("/mine"), 200);
        String data = dir.resolve("lost").toString();
        WebNode lost = villager("--data", data, "--join", b.app.url());
        await(() -> chainOf(lost).equals(chainOf(b)), () -> lost.printed());
        lost.close();

        WebNode again = villager("--data", data);
        assertEquals(b.chain(), again.chain(), "what it fetched was noted too");
    }

    @Test
    void aDamagedMiddleLineStopsTheStartNamingIt() throws Exception {
        Path data = dir.resolve("a");
        WebNode first = villager("--data", data.toString());
        pay(first, new Wallet("B19", Wallet.MEI), 10);
        Http.json(first.get("/mine"), 200);
        first.close();
        Path notes = data.resolve(FileNotebook.NOTES);
        List<String> lines = Files.readAllLines(notes);
        lines.set(0, lines.get(0).replaceFirst("\"amount\": 10", "\"amount\": 90")); // still JSON, but its check no longer matches
        Files.write(notes, lines);

        StageFailed refused = assertThrows(StageFailed.class, () -> villager("--data", data.toString()));
        assertTrue(refused.getMessage().startsWith("line 1 of " + notes), refused.getMessage());
        assertTrue(refused.getMessage().contains("head -n 0"), refused.getMessage());
        StageFailed again = assertThrows(StageFailed.class, () -> villager("--data", data.toString()));
        assertEquals(refused.getMessage(), again.getMessage(), "the refused start let its directory go: not 'in use'");
    }

    @Test
    void aBlockThatNoLongerPassesARuleStopsTheStartNamingItsLine() throws Exception {
        Path data = dir.resolve("a");
        WebNode first = villager("--data", data.toString());
        Http.json(first.get("/mine"), 200);
        first.close();
        Path notes = data.resolve(FileNotebook.NOTES);
        Map<String, Object> block = new LinkedHashMap<>(NotebookLines.read(notes, false, line -> {}).get(0).entry());
        block.put("nonce", (Long) block.get("nonce") + 1); // a whole line, whose check matches: only the rules see it
        Files.writeString(notes, NotebookLines.line("block", block));

        StageFailed refused = assertThrows(StageFailed.class, () -> villager("--data", data.toString()));
        assertTrue(refused.getMessage().startsWith("line 1 of " + notes + ": block 2 is invalid: "), refused.getMessage());
        assertTrue(refused.getMessage().contains("What to do"), refused.getMessage());
        StageFailed again = assertThrows(StageFailed.class, () -> villager("--data", data.toString()));
        assertEquals(refused.getMessage(), again.getMessage(), "the refused start let its directory go: not 'in use'");
    }

    @Test
    void aTornLastLineIsCutAndSaid() throws Exception {
        Path data = dir.resolve("a");
        WebNode first = villager("--data", data.toString());
        String id = pay(first, new Wallet("B19", Wallet.MEI), 10);
        first.close();
        Path notes = data.resolve(FileNotebook.NOTES);
        Files.writeString(notes, "{\"check\": \"0123", StandardOpenOption.APPEND); // a crash in the middle of a write

        WebNode again = villager("--data", data.toString());
        assertTrue(again.printed().contains("notebook: cut its last line, line 2 of " + notes), again.printed());
        assertEquals("pending", whereabouts(again, id).get("status"));
        assertTrue(Files.readString(notes).endsWith("\n"));
    }

    private static String paymentStatus(WebNode node, String id) {
        try {
            HttpResponse<String> answer = node.get("/transactions/" + id);
            return answer.statusCode() == 200 ? (String) Http.json(answer, 200).get("status") : "status " + answer.statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPaymentAnswered201ThatLostItsCoinToANeighboursBlockIsStillConflictedAfterARestart() throws Exception {
        String data = dir.resolve("a").toString();
        WebNode a = villager("--data", data);
        WebNode b = villager();
        String ours = pay(a, new Wallet("B19", Wallet.MEI), 10);
        String theirs = pay(b, new Wallet("B19", Wallet.MEI), 20); // 小美's same coin: a double spend
        Http.json(b.get("/mine"), 200);
        register(a, b);
        register(b, a); // b greets a with its tip, which a fetches: a longer chain, where our payment's coin is spent
        await(() -> paymentStatus(a, ours).equals("conflicted"), () -> a.printed());
        a.close();

        WebNode again = villager("--data", data);
        Map<String, Object> whereabouts = whereabouts(again, ours); // answered 201 once: never a 404
        assertEquals("conflicted", whereabouts.get("status"), whereabouts.toString());
        assertEquals(theirs, whereabouts.get("conflicted_by"));
    }
}

package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.testing.Http;
import bitvillage.testing.Wallet;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.python.PyJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}

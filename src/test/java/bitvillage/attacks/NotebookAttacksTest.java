package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B19Notebook;
import bitvillage.stages.taught.Notebook;
import bitvillage.stages.taught.FileNotebook;
import bitvillage.stages.taught.NotebookLines;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B19's notebook attacked: notes a villager never writes, whose check is right (only the rules can see them), stop the
 * start naming their line; a request may not make the villager force its notebook once per address it names.
 */
class NotebookAttacksTest {
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

    private static Map<String, Object> entry(Object... keysAndValues) {
        Map<String, Object> entry = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) entry.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return entry;
    }

    @Test
    void aPaymentNoteThatIsNoPaymentStopsTheStartNamingItsLine() throws Exception {
        List<Map<String, Object>> notPayments = List.of(entry(), entry("inputs", "x", "outputs", 7L),
                entry("inputs", List.of("x"), "outputs", List.of()), entry("id", "p1", "sender", "小美", "recipient", "大華", "amount", 3L));
        for (Map<String, Object> notAPayment : notPayments) {
            Path data = Files.createTempDirectory(dir, "data");
            Path notes = data.resolve(FileNotebook.NOTES);
            Files.writeString(notes, NotebookLines.line("payment", notAPayment)); // whole, and its check matches
            StageFailed refused = assertThrows(StageFailed.class, () -> villager("--data", data.toString()), notAPayment.toString());
            assertTrue(refused.getMessage().startsWith("line 1 of " + notes + ": a payment that is misshapen: "), refused.getMessage());
            assertTrue(refused.getMessage().contains("What to do"), refused.getMessage());
        }
    }

    @Test
    void aBlockNoteThatIsNoBlockStopsTheStartNamingItsLine() throws Exception {
        for (Map<String, Object> notABlock : List.of(entry(), entry("index", 2L), entry("index", "2", "transactions", "x"))) {
            Path data = Files.createTempDirectory(dir, "data");
            Path notes = data.resolve(FileNotebook.NOTES);
            Files.writeString(notes, NotebookLines.line("block", notABlock));
            StageFailed refused = assertThrows(StageFailed.class, () -> villager("--data", data.toString()), notABlock.toString());
            assertTrue(refused.getMessage().startsWith("line 1 of " + notes + ": a block that is misshapen: "), refused.getMessage());
        }
    }

    /** A notebook in memory that counts how often the neighbours were saved: each save is two forces on a disk. */
    private static final class CountingNotebook implements Notebook {
        final AtomicInteger saves = new AtomicInteger();

        @Override
        public void append(String kind, Map<String, Object> entry) {
            // kept nowhere: only the saves are counted
        }

        @Override
        public List<Note> readAll() {
            return List.of();
        }

        @Override
        public void saveNeighbours(Collection<String> neighbours) {
            saves.incrementAndGet();
        }

        @Override
        public List<String> neighbours() {
            return List.of();
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    @Test
    void registeringOrForgettingAHundredNeighboursInOneRequestSavesTheListOnce() throws Exception {
        CountingNotebook notebook = new CountingNotebook();
        WebApp villager = B19Notebook.start(Options.parse(new String[] {"--port", "0", "--zeros", "2", "--seed", "礦工"}, B19Notebook.OPTIONS),
                World.fixed(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)), notebook);
        closing.add(villager);
        List<String> hundred = IntStream.range(0, B19Notebook.MAX_NEIGHBOURS).mapToObj(i -> "http://127.0.0.1:" + (20_000 + i)).toList();
        Http.json(Http.post(villager, "/nodes/register", Map.of("nodes", hundred)), 200);
        assertEquals(1, notebook.saves.get(), "one request, one list saved: not one save (a write and two forces) per address");
        Http.json(Http.post(villager, "/nodes/register", Map.of("nodes", hundred)), 200);
        assertEquals(1, notebook.saves.get(), "nothing new: nothing saved");
        Http.json(Http.post(villager, "/nodes/forget", Map.of("nodes", hundred)), 200);
        assertEquals(2, notebook.saves.get(), "forgetting a hundred: one save");
    }
}

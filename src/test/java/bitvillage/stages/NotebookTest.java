package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.taught.FileNotebook;
import bitvillage.stages.taught.NoNotebook;
import bitvillage.stages.taught.Notebook;
import bitvillage.stages.taught.Notebook.Note;
import bitvillage.stages.taught.NotebookLines;
import bitvillage.util.guard.DataDir;
import bitvillage.util.python.PyJson;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B19's notebook, below any stage: notes come back as written (CJK too); a torn last line, or a last
 * line with a changed byte, is cut and said; a changed byte in a middle line stops the start with its
 * line number; one villager a directory, until it closes or is killed with SIGKILL; a directory that
 * cannot be written is refused (as root too: a child process claims it as the user nobody); the
 * neighbours are replaced whole; and the order a stage must keep, every acknowledgement after the
 * force of its note, as a test asserts it.
 */
class NotebookTest {
    @TempDir
    Path temp;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static Map<String, Object> payment(String id, String sender, Object amount) {
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("id", id);
        payment.put("sender", sender);
        payment.put("recipient", "大華");
        payment.put("amount", amount);
        return payment;
    }

    private static Map<String, Object> block(long index) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", index);
        block.put("previous_hash", "0".repeat(64));
        block.put("transactions", List.of(payment("p" + index, "小美", 2.5), payment("q" + index, "𝄞 clef", 7L)));
        block.put("nonce", 123_456_789_012L);
        return block;
    }

    private Path threeNotes() {
        Path dir = temp.resolve("villager-a");
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            notebook.append("block", block(1));
            notebook.append("payment", payment("p9", "小美", 3L));
            notebook.append("block", block(2));
        }
        return dir;
    }

    private static List<String> lines(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(FileNotebook.NOTES), StandardCharsets.UTF_8);
    }

    /** The file with {@code from} replaced by {@code to} once, in line {@code number} (from 1). */
    private static void change(Path dir, int number, String from, String to) throws IOException {
        List<String> lines = new ArrayList<>(lines(dir));
        String line = lines.get(number - 1);
        assertTrue(line.contains(from), line);
        lines.set(number - 1, line.replaceFirst(java.util.regex.Pattern.quote(from), to));
        Files.writeString(dir.resolve(FileNotebook.NOTES), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void notesComeBackAsWrittenInOrderCjkTooAsJsonLines() throws IOException {
        Path dir = threeNotes();
        List<Note> expected = List.of(new Note("block", block(1)), new Note("payment", payment("p9", "小美", 3L)),
                new Note("block", block(2)));
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(expected, notebook.readAll()); // Long stays Long, 2.5 a Double, 小美 and 𝄞 as they were
            notebook.append("payment", payment("p10", "小美", 1L));
            assertEquals(expected, notebook.readAll(), "what it held when opened: the file is read once");
        }
        List<String> lines = lines(dir);
        assertEquals(4, lines.size());
        String first = lines.get(0);
        assertTrue(first.startsWith("{\"check\": \"" + NotebookLines.check("block", block(1)) + "\", \"entry\": {"), first);
        assertTrue(first.chars().allMatch(c -> c < 0x80), "ASCII, as json.dumps writes: " + first);
        assertEquals(PyJson.dumps(block(1)), PyJson.dumps(((Map<?, ?>) PyJson.loads(first)).get("entry")));
        assertEquals(List.of(), log);
    }

    @Test
    void aTornLastLineIsCutAndSaid() throws IOException {
        Path dir = threeNotes();
        Path file = dir.resolve(FileNotebook.NOTES);
        long whole = Files.size(file);
        String torn = NotebookLines.line("block", block(3));
        Files.writeString(file, torn.substring(0, torn.length() / 2), StandardOpenOption.APPEND);
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(whole, Files.size(file));
            assertEquals(3, notebook.readAll().size());
            notebook.append("block", block(3)); // the next line starts on a line of its own
        }
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(new Note("block", block(3)), notebook.readAll().get(3));
        }
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("line 4 of " + file) && log.get(0).contains("no newline at its end"), log.get(0));
    }

    @Test
    void theFileIsReadOnceWhenOpenedNotAgainByReadAll() throws IOException {
        Path dir = threeNotes();
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            change(dir, 2, "\"amount\": 3", "\"amount\": 8"); // were it read again, line 2 would be damage
            assertEquals(3, notebook.readAll().size());
        }
    }

    @Test
    void aWholeLineWithoutItsNewlineIsCutToo() throws IOException {
        Path dir = threeNotes();
        String line = NotebookLines.line("payment", payment("p11", "小美", 1L));
        Files.writeString(dir.resolve(FileNotebook.NOTES), line.strip(), StandardOpenOption.APPEND);
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(3, notebook.readAll().size());
        }
        assertEquals(1, log.size());
    }

    @Test
    void aChangedByteInTheLastLineIsCutAndSaidEvenWhenItStillReadsAsJson() throws IOException {
        Path dir = threeNotes();
        change(dir, 3, "\"nonce\": 123456789012", "\"nonce\": 123456789013");
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(2, notebook.readAll().size());
        }
        assertEquals(2, lines(dir).size());
        assertTrue(log.get(0).contains("line 3") && log.get(0).contains("check does not match"), log.get(0));

        log.clear();
        change(dir, 2, "{\"check\"", "[\"check\""); // no longer JSON
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(List.of(new Note("block", block(1))), notebook.readAll());
        }
        assertTrue(log.get(0).contains("line 2") && log.get(0).contains("not JSON"), log.get(0));
    }

    @Test
    void aChangedByteInAMiddleLineStopsTheStartWithItsNumberAndCutsNothing() throws IOException {
        Path dir = threeNotes();
        change(dir, 2, "\"amount\": 3", "\"amount\": 8");
        byte[] before = Files.readAllBytes(dir.resolve(FileNotebook.NOTES));
        NotebookLines.Damaged damaged = assertThrows(NotebookLines.Damaged.class, () -> FileNotebook.open(dir, log::add));
        assertTrue(damaged.getMessage().startsWith("line 2 of " + dir.resolve(FileNotebook.NOTES) + " is damaged"), damaged.getMessage());
        assertTrue(damaged.getMessage().contains("--join") && damaged.getMessage().contains("head -n 1"), damaged.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve(FileNotebook.NOTES))));
        // the failed start let the directory go: the same error again, not "in use"
        assertThrows(NotebookLines.Damaged.class, () -> FileNotebook.open(dir, log::add));
    }

    @Test
    void aSecondVillagerOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
        Path dir = temp.resolve("villager-a");
        FileNotebook first = FileNotebook.open(dir, log::add);
        DataDir.Refused refused = assertThrows(DataDir.Refused.class, () -> FileNotebook.open(dir, log::add));
        assertTrue(refused.getMessage().contains("in use by another villager (process " + ProcessHandle.current().pid() + ")"),
                refused.getMessage());
        first.close();
        FileNotebook.open(dir, log::add).close();
    }

    @Test
    void aVillagerKilledWithSigkillLetsTheDirectoryGo() throws Exception {
        Path dir = temp.resolve("villager-a");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                NotebookHolder.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("open", out.readLine());
            DataDir.Refused refused = assertThrows(DataDir.Refused.class, () -> FileNotebook.open(dir, log::add));
            assertTrue(refused.getMessage().contains("(process " + child.pid() + ")"), refused.getMessage());
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hook, no close
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(dir.resolve(DataDir.LOCK_FILE)), "the lock file stays; only its lock is gone");
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(List.of(new Note("payment", Map.of("id", "held"))), notebook.readAll());
        }
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        DataDir.Refused notADirectory = assertThrows(DataDir.Refused.class, () -> FileNotebook.open(file, log::add));
        assertTrue(notADirectory.getMessage().contains("is a file, not a directory"), notADirectory.getMessage());
        DataDir.Refused under = assertThrows(DataDir.Refused.class, () -> FileNotebook.open(file.resolve("dir"), log::add));
        assertTrue(under.getMessage().startsWith("cannot create the directory " + file.resolve("dir")), under.getMessage());

        Path readOnly = Files.createDirectory(temp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (!Files.isWritable(readOnly)) {
                DataDir.Refused refused = assertThrows(DataDir.Refused.class, () -> FileNotebook.open(readOnly, log::add));
                assertTrue(refused.getMessage().startsWith("cannot write in " + readOnly), refused.getMessage());
            } else { // root, as in CI: chmod does not keep root out, so a child process claims it as the user nobody
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody may look in
                Path writable = Files.createDirectory(temp.resolve("writable"));
                Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxrwx"));
                assertEquals("claimed " + writable, claimAsNobody(writable), "nobody can claim a directory it may write");
                String refused = claimAsNobody(readOnly);
                assertTrue(refused.startsWith("cannot write in " + readOnly), refused);
                assertTrue(claimAsNobody(readOnly.resolve("dir")).startsWith("cannot create the directory " + readOnly.resolve("dir")));
            }
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** What {@link DataDirClaim} says, run as the user nobody (uid 65534) with no groups; only this build's own classes on its path. */
    private static String claimAsNobody(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Files.isDirectory(Path.of(entry))).collect(Collectors.joining(File.pathSeparator)); // target's: ~/.m2 may be closed to nobody
        Process child = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java, "-cp", classPath,
                DataDirClaim.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String said = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), said);
        return said;
    }

    @Test
    void theNeighboursAreReplacedWhole() throws IOException {
        Path dir = temp.resolve("villager-a");
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(List.of(), notebook.neighbours());
            notebook.saveNeighbours(List.of("127.0.0.1:5001", "[::1]:5002"));
            notebook.saveNeighbours(List.of("127.0.0.1:5003"));
        }
        Files.writeString(dir.resolve(FileNotebook.NEIGHBOURS + ".tmp"), "[\"half"); // a save a crash interrupted
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(List.of("127.0.0.1:5003"), notebook.neighbours());
        }
        assertFalse(Files.exists(dir.resolve(FileNotebook.NEIGHBOURS + ".tmp")));
        Files.writeString(dir.resolve(FileNotebook.NEIGHBOURS), "{\"not\": \"a list\"}");
        try (FileNotebook notebook = FileNotebook.open(dir, log::add)) {
            assertEquals(List.of(), notebook.neighbours());
        }
        assertTrue(log.get(0).contains("is not a list of addresses"), log.toString());
    }

    @Test
    void everyAcknowledgementComesAfterTheForceOfItsNote() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Notebook notebook = new RecordingNotebook(events);
        // what a stage's route does, in the order it must: note, then act
        notebook.append("payment", payment("p1", "小美", 3L));
        events.add("201 p1");
        notebook.append("block", block(1));
        events.add("announce 1");
        events.add("serve 1");
        RecordingNotebook.assertBefore(events, "forced payment p1", "201 p1");
        RecordingNotebook.assertBefore(events, "forced block 1", "announce 1");
        RecordingNotebook.assertBefore(events, "forced block 1", "serve 1");
        assertThrows(AssertionError.class, () -> RecordingNotebook.assertBefore(events, "announce 1", "forced block 1"));
    }

    @Test
    void noNotebookKeepsNothing() {
        try (Notebook notebook = new NoNotebook()) {
            notebook.append("block", block(1));
            notebook.saveNeighbours(List.of("127.0.0.1:5001"));
            assertEquals(List.of(), notebook.readAll());
            assertEquals(List.of(), notebook.neighbours());
        }
    }
}

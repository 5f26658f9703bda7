package bitvillage;

import bitvillage.story.Forge;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forgery end to end, in this JVM: two real B12 nodes and 小美's server, real HTTP. Its whole
 * output in the repeatable world is the golden file expected/forge.txt, which {@link StageOutputTest}
 * checks; the exit status is checked in {@link LauncherTest}.
 */
class ForgeTest {

    record Run(boolean asTheLessonSays, String out, String notices) {}

    static Run forge(InputStream keyboard, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        boolean outcome;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            outcome = Forge.PLAY.run(Options.parse(args, Forge.OPTIONS), World.fixed(out), keyboard, notices);
        }
        return new Run(outcome, bytes.toString(StandardCharsets.UTF_8), noticeBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyStepComesOutAsTheLessonSaysAndTheForgerTriedNoNonce() throws Exception {
        Run run = forge(InputStream.nullInputStream());
        assertTrue(run.asTheLessonSays(), run.out());
        List<String> lessons = run.out().lines().filter(line -> line.startsWith("Lesson: ")).toList();
        assertEquals(5, lessons.size(), run.out());
        assertTrue(lessons.stream().allMatch(line -> line.endsWith(". OK")), run.out());
        assertFalse(run.out().contains("NOT SO"), run.out());
        // The book's nonces, so the honest work is the same on every computer.
        assertTrue(run.out().contains(
                "  A and B, mining blocks 2 to 7: 35294 + 35090 + 119679 + 146503 + 43539 + 85725 = 465830\n"), run.out());
        assertTrue(run.out().contains("  小美, rewriting blocks 2 to 7: 0 (and 6 hashes, to link them again)\n"), run.out());
        assertTrue(run.out().contains("\"confirmations\": 6,"), run.out());
        assertTrue(run.out().contains("\"status\": \"pending\","), "dropping the payment is shown to fail: " + run.out());
        assertTrue(run.out().contains("who may pay in a name, or whether the payer has the coins"), run.out());
        assertTrue(run.out().strip().endsWith("All 5 checks came out as the lesson says: six confirmations, undone at no work."),
                run.out());
    }

    @Test
    void theAddressesGoToTheNoticesAndTheStoryNamesTheNodes() throws Exception {
        Run run = forge(InputStream.nullInputStream());
        assertEquals(3, run.notices().lines().filter(line -> line.matches(
                "forge: (villager [AB]|小美's node M) listens on http://127\\.0\\.0\\.1:\\d+")).count(), run.notices());
        assertFalse(run.out().contains("127.0.0.1"), "the story is the same on every computer: " + run.out());
        assertEquals(run.out(), forge(InputStream.nullInputStream()).out(), "two runs in the repeatable world agree");
    }

    @Test
    void slowWaitsForEnterBeforeEachStepAndCarriesOnWhenInputEnds() throws Exception {
        Run run = forge(new ByteArrayInputStream("\n\n".getBytes(StandardCharsets.UTF_8)), "--slow");
        assertTrue(run.asTheLessonSays(), run.out());
        assertEquals(List.of("1", "2", "3a", "3b", "4"), run.out().lines()
                .filter(line -> line.startsWith("(press Enter for step "))
                .map(line -> line.substring("(press Enter for step ".length(), line.length() - 1)).toList());
    }
}

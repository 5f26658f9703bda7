package bitvillage;

import bitvillage.story.Fees;
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
 * The fees story end to end, in this JVM: two real B15 nodes, real HTTP. Its whole output in the
 * repeatable world is the golden file expected/fees.txt ({@link StageOutputTest}); the exit status
 * is checked in {@link LauncherTest}.
 */
class FeesCommandTest {

    record Run(boolean asTheLessonSays, String out, String notices) {}

    static Run fees(InputStream keyboard, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        boolean outcome;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            outcome = Fees.PLAY.run(Options.parse(args, Fees.OPTIONS), World.fixed(out), keyboard, notices);
        }
        return new Run(outcome, bytes.toString(StandardCharsets.UTF_8), noticeBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyStepComesOutAsTheLessonSaysAndFeeRateEarnsMoreThanFee() throws Exception {
        Run run = fees(InputStream.nullInputStream());
        assertTrue(run.asTheLessonSays(), run.out());
        List<String> lessons = run.out().lines().filter(line -> line.startsWith("Lesson: ")).toList();
        assertEquals(5, lessons.size(), run.out());
        assertTrue(lessons.stream().allMatch(line -> line.endsWith(". OK")), run.out());
        assertFalse(run.out().contains("NOT SO"), run.out());
        assertTrue(run.out().contains("The next block, 2, filled by fee rate earns the miner 24 in fees; highest fee first, it would earn 20."),
                run.out());
        assertTrue(run.out().contains("  the reward: 25 = 1 + 24 in fees"), run.out());
        assertTrue(run.out().contains("  503 Service Unavailable: the mempool is full"), run.out());
        assertTrue(run.out().contains("  200 OK: evicted"), run.out());
        assertFalse(run.out().contains("127.0.0.1"), "the story is the same on every computer: " + run.out());
        assertEquals(2, run.notices().lines().filter(line -> line.matches(
                "fees: villager [AB] listens on http://127\\.0\\.0\\.1:\\d+")).count(), run.notices());
    }

    @Test
    void slowWaitsForEnterBeforeEachStep() throws Exception {
        Run run = fees(new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8)), "--slow");
        assertTrue(run.asTheLessonSays(), run.out());
        assertEquals(5, run.out().lines().filter(line -> line.startsWith("(press Enter for step ")).count());
    }
}

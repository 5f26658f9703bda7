package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.story.Signatures;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signatures story end to end, in this JVM: two real B16 nodes, real HTTP; its page shows the same output. */
class SignaturesStoryTest {

    @Test
    void everyStepComesOutAsTheLessonSays() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        boolean asTheLessonSays;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            asTheLessonSays = Signatures.PLAY.run(Options.parse(new String[0], Signatures.OPTIONS), World.fixed(out),
                    InputStream.nullInputStream(), notices);
        }
        String story = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(asTheLessonSays, story);
        List<String> lessons = story.lines().filter(line -> line.startsWith("Lesson: ")).toList();
        assertEquals(8, lessons.size(), story);
        assertTrue(lessons.stream().allMatch(line -> line.endsWith(". OK")), story);
        assertFalse(story.contains("NOT SO"), story);
        for (String line : List.of(
                "  200 OK: block 2, the reward of 1 to <小美> (sequence 2) and 0 payments",
                "  201 Created: Transaction will be added to Block 3; id e9497ab517b7…",
                "  400 Bad Request: signature does not verify for the sender; nothing was queued",
                "  200 OK: Transaction is already pending, for Block 3; id e9497ab517b7…",
                "  409 Conflict: payment e9497ab517b7… has this sender's sequence 1 already",
                "  400 Bad Request: balance 301, payment needs 500",
                "The book (B-1): 「雙方都無法耍賴」",
                "Still missing: a rewritten chain can still drop her payment")) {
            assertTrue(story.contains(line), line + "\n" + story);
        }
        assertFalse(story.contains("127.0.0.1"), "the story is the same on every computer: " + story);
        assertEquals(2, noticeBytes.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.matches("signatures: villager [AB] listens on http://127\\.0\\.0\\.1:\\d+")).count());
    }
}

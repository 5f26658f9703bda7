package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.story.Coins;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coins story end to end, in this JVM: a real B17 node and 小美's node M, real HTTP; its page shows the same output. */
class CoinsStoryTest {

    @Test
    void everyStepComesOutAsTheLessonSays() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        boolean asTheLessonSays;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            asTheLessonSays = Coins.PLAY.run(Options.parse(new String[0], Coins.OPTIONS), World.fixed(out),
                    InputStream.nullInputStream(), notices);
        }
        String story = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(asTheLessonSays, story);
        List<String> lessons = story.lines().filter(line -> line.startsWith("Lesson: ")).toList();
        assertEquals(8, lessons.size(), story);
        assertTrue(lessons.stream().allMatch(line -> line.endsWith(". OK")), story);
        assertFalse(story.contains("NOT SO"), story);
        for (String line : List.of(
                "  400 Bad Request: input 0 spends a reward coin not yet mature",
                "    657b4a5c15fd…:1  300 coins, 0 confirmations, spendable",
                "  409 Conflict: input 0 spends 35801c7d6610…:0, already spent by 657b4a5c15fd…",
                "<M> skipped: invalid chain: block 4: transaction 3: input 0 spends ",
                "All 8 checks came out as the lesson says")) {
            assertTrue(story.contains(line), line + "\n" + story);
        }
        assertFalse(story.contains("127.0.0.1"), "the story is the same on every computer: " + story);
        assertEquals(2, noticeBytes.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.matches("coins: (villager A|小美's node M) listens on http://127\\.0\\.0\\.1:\\d+")).count());
    }
}

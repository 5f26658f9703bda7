package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.story.Partition;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The partition story end to end, in this JVM: five real B19 villagers (in memory, gossiping as B18's), real HTTP; its page shows the same output. */
class PartitionStoryTest {

    @Test
    void everyStepComesOutAsTheLessonSays() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        boolean asTheLessonSays;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            asTheLessonSays = Partition.PLAY.run(Options.parse(new String[0], Partition.OPTIONS), World.fixed(out),
                    InputStream.nullInputStream(), notices);
        }
        String story = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(asTheLessonSays, story);
        List<String> lessons = story.lines().filter(line -> line.startsWith("Lesson: ")).toList();
        assertEquals(6, lessons.size(), story);
        assertFalse(story.contains("NOT SO"), story);
        assertFalse(story.contains("127.0.0.1"), "the story is the same on every computer: " + story);
        assertEquals(5, noticeBytes.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.matches("partition: villager [A-E] listens on http://127\\.0\\.0\\.1:\\d+")).count());
    }
}

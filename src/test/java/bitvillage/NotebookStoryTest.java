package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.story.Notebook;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The notebook story end to end: 小美's villager a B19 process of its own, killed with SIGKILL twice, 大華's in this
 * JVM, real HTTP; its page shows the same output. Afterwards no villager process of it runs, and its directory is gone.
 */
class NotebookStoryTest {

    @Test
    void everyStepComesOutAsTheLessonSaysAndNothingIsLeft() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        boolean asTheLessonSays;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            asTheLessonSays = Notebook.PLAY.run(Options.parse(new String[0], Notebook.OPTIONS), World.fixed(out),
                    InputStream.nullInputStream(), notices);
        }
        String story = bytes.toString(StandardCharsets.UTF_8);
        String noticed = noticeBytes.toString(StandardCharsets.UTF_8);
        assertTrue(asTheLessonSays, story);
        List<String> lessons = story.lines().filter(line -> line.startsWith("Lesson: ")).toList();
        assertEquals(6, lessons.size(), story);
        assertTrue(lessons.stream().allMatch(line -> line.endsWith(". OK")), story);
        assertFalse(story.contains("NOT SO"), story);
        assertEquals(2, story.lines().filter(line -> line.equals("  kill -9 A: exit status 137 (128 + 9, SIGKILL)")).count(), story);
        assertFalse(story.contains("127.0.0.1"), "the story is the same on every computer: " + story);

        Matcher directory = Pattern.compile("notebook: <DIR> is (\\S+) ").matcher(noticed);
        assertTrue(directory.find(), noticed);
        assertFalse(story.contains(directory.group(1)), "the story is the same on every computer: " + story);
        assertFalse(Files.exists(Path.of(directory.group(1))), "the story removes its directory: " + noticed);
        Matcher started = Pattern.compile("notebook: 小美's villager A \\(process (\\d+)\\) listens on http://127\\.0\\.0\\.1:\\d+").matcher(noticed);
        int starts = 0;
        while (started.find()) {
            starts++;
            long pid = Long.parseLong(started.group(1));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "villager A, process " + pid + ", still runs");
        }
        assertEquals(3, starts, noticed);
    }
}

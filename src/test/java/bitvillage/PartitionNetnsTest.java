package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.story.Partition;
import bitvillage.testing.Netns;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code partition --netns} end to end, as root: five villager processes in network namespaces of their
 * own, the cut made by nftables. It comes out as its page shows, and leaves nothing behind, also when a
 * villager dies in the middle of it.
 */
class PartitionNetnsTest {
    private static final String PAGE_MARK = "<!-- output of: java -jar target/bitvillage.jar partition --netns -->";

    @Test
    void everyStepComesOutAsThePageShowsAndNothingIsLeft() throws Exception {
        Netns.assumeAvailable();
        Run run = new Run();
        boolean asTheLessonSays = run.play().get(15, TimeUnit.MINUTES);
        String story = run.story();
        assertTrue(asTheLessonSays, story);
        assertFalse(story.contains("NOT SO"), story);
        assertEquals(5, run.notices().lines().filter(line -> line.matches("partition: villager [A-E] listens on http://10\\.77\\.\\d+\\.[2-6]:5000")).count(),
                run.notices());
        assertEquals(shownOnThePage(), story.strip(), "chapters/partition.md shows another run of partition --netns");
        Netns.assertNothingLeft("after partition --netns");
    }

    @Test
    void aVillagerKilledMidwayFailsTheStoryAndNothingIsLeft() throws Exception {
        Netns.assumeAvailable();
        Run run = new Run();
        CompletableFuture<Boolean> played = run.play();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!run.story().contains("Step 3.") && !played.isDone() && System.nanoTime() < deadline) Thread.sleep(100);
        assertTrue(run.story().contains("Step 3."), run.story() + run.notices());
        // Villager C is what runs in the run's namespace number 2 (a JVM's own command line is too long to read whole).
        List<ProcessHandle> villagerC = Netns.processesIn(Netns.namespacesOfThisJvm().stream().filter(name -> name.endsWith("-2")).toList());
        assertEquals(1, villagerC.size(), "villager C's process: " + villagerC);
        villagerC.get(0).destroyForcibly();
        assertFalse(played.get(15, TimeUnit.MINUTES), run.story());
        assertTrue(run.story().contains("villager C stopped"), run.story());
        Netns.assertNothingLeft("after a villager was killed");
    }

    /** The block of text after the page's mark. */
    private static String shownOnThePage() throws Exception {
        List<String> page = Files.readAllLines(Path.of("chapters/partition.md"), StandardCharsets.UTF_8);
        int mark = page.indexOf(PAGE_MARK);
        assertTrue(mark >= 0 && page.get(mark + 1).equals("```text"), "chapters/partition.md has no block after " + PAGE_MARK);
        int end = page.subList(mark + 2, page.size()).indexOf("```") + mark + 2;
        return String.join("\n", page.subList(mark + 2, end)).strip();
    }

    /** One run of the story in the background, what it tells and its notices kept. */
    private static final class Run {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream notices = new ByteArrayOutputStream();

        CompletableFuture<Boolean> play() {
            return CompletableFuture.supplyAsync(() -> {
                try (PrintStream story = new PrintStream(out, true, StandardCharsets.UTF_8);
                     PrintStream noticed = new PrintStream(notices, true, StandardCharsets.UTF_8)) {
                    return Partition.PLAY.run(Options.parse(new String[] {"--netns"}, Partition.OPTIONS), World.fixed(story),
                            InputStream.nullInputStream(), noticed);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        String story() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String notices() {
            return notices.toString(StandardCharsets.UTF_8);
        }
    }
}

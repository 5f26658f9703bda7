package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher as a reader meets it: a separate java process, its output and its exit status. */
class LauncherTest {

    record Result(int status, String out, String err) {}

    static Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.JAVA, "-cp", System.getProperty("java.class.path"), "bitvillage.BitVillage"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out, err);
    }

    private static final class Path {
        static final String JAVA = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void noArgumentListsEveryStageWithItsCommand() throws Exception {
        Result result = java();
        assertEquals(0, result.status());
        for (BitVillage.Stage stage : BitVillage.STAGES) {
            assertTrue(result.out().contains(stage.command()), stage.id());
        }
        assertEquals("", result.err());
    }

    @Test
    void anUnknownStageSaysSoListsTheStagesAndExits2() throws Exception {
        Result result = java("B99");
        assertEquals(2, result.status());
        assertTrue(result.err().contains("unknown stage: B99"), result.err());
        assertTrue(result.err().contains("java -jar target/bitvillage.jar B2"), result.err());
    }

    @Test
    void anUnknownOptionSaysSoAndExits2() throws Exception {
        Result result = java("B2", "--zeroes", "5");
        assertEquals(2, result.status());
        assertTrue(result.err().contains("unknown option: --zeroes"), result.err());
        Result badValue = java("B2", "--zeros", "many");
        assertEquals(2, badValue.status());
        assertTrue(badValue.err().contains("--zeros takes a whole number"), badValue.err());
    }

    @Test
    void stageIdsMayHaveTwoDigitsAndAnyCase() throws Exception {
        Result result = java("b02");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("Nonce of the new block: 35293"), result.out());
        assertEquals("", result.err(), "a reader sees no logging noise");
    }

    @Test
    void helpExplainsTheOptions() throws Exception {
        Result result = java("--help");
        assertEquals(0, result.status());
        assertTrue(result.out().contains("exit status 2"), result.out());
    }

    @Test
    void theWalkthroughExits0WhenEverythingIsAsInTheBook() throws Exception {
        Result result = java("walkthrough");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("All 8 steps turned out as the book says"), result.out());
    }

    @Test
    void theWalkthroughExits1AndSaysWhyWhenAStepIsNotAsInTheBook() throws Exception {
        Result result = java("walkthrough", "--zeros", "3");
        assertEquals(1, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("Not as in the book: steps 2a, 2b, 4"), result.out());
        assertTrue(result.err().contains("bitvillage: the walkthrough did not turn out as the book says"), result.err());
    }
}

package bitvillage;

import bitvillage.util.cli.Command;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The launcher as a reader meets it: a separate java process, its output and its exit status. */
class LauncherTest {

    record Result(int status, String out, String err) {}

    /** Runs the launcher in a child JVM; its output goes to files, so a chatty child cannot block on a full pipe. */
    static Result java(String... args) throws IOException, InterruptedException {
        return javaInLocale(null, args);
    }

    /**
     * The same in the locale {@code LANG=lang} (null: this JVM's own), with no LC_ALL or LC_CTYPE to
     * outrank it. On Linux, Java decodes its command line by the locale: under LANG=C each byte of 小美
     * arrives as U+FFFD. The arguments' UTF-8 bytes reach the child as they are, whatever this JVM's own
     * locale, because a shell's printf writes them from octal escapes, which are ASCII.
     */
    static Result javaInLocale(String lang, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                JAVA, "-cp", System.getProperty("java.class.path"), "bitvillage.BitVillage"));
        if (lang == null) {
            command.addAll(List.of(args));
        } else {
            StringBuilder script = new StringBuilder("exec \"$@\"");
            for (String arg : args) {
                script.append(" \"$(printf '");
                for (byte b : arg.getBytes(StandardCharsets.UTF_8)) script.append(String.format("\\%03o", b & 0xff));
                script.append("')\"");
            }
            command.addAll(0, List.of("/bin/sh", "-c", script.toString(), "sh"));
        }
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (lang != null) {
                builder.environment().keySet().removeIf(name -> name.equals("LC_ALL") || name.equals("LC_CTYPE"));
                builder.environment().put("LANG", lang);
            }
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the launcher did not end within 120 s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void noArgumentListsEveryStageWithItsCommand() throws Exception {
        Result result = java();
        assertEquals(0, result.status());
        for (Command command : BitVillage.COMMANDS) {
            assertTrue(result.out().contains(command.line()), command.id());
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
    void aWrongValueOfAWebStageStopsItBeforeItPrintsAndShowsThatStagesOptions() throws Exception {
        Result result = java("B7", "--port", "abc");
        assertEquals(2, result.status());
        assertEquals("", result.out(), "nothing is printed before the options are checked");
        assertTrue(result.err().contains("--port takes a whole number from 0 to 65535, not 'abc'"), result.err());
        assertTrue(result.err().contains("usage: java -jar target/bitvillage.jar B7 [options]"), result.err());
    }

    @Test
    void aTakenPortIsAClearMessageAndExitStatus1NotAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = java("B3", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, result.status(), result.err());
            assertTrue(result.err().startsWith("bitvillage: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    result.err());
            assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
        }
    }

    @Test
    void stageIdsMayHaveTwoDigitsAndAnyCase() throws Exception {
        Result result = java("b02");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("Nonce of the new block: 35293"), result.out());
        assertEquals("", result.err(), "a reader sees no logging noise");
    }

    @Test
    void theBooksProgramNamesRunTheirStage() throws Exception {
        for (String name : List.of("B-2.py", "B-2")) {
            Result result = java(name);
            assertEquals(0, result.status(), name + ": " + result.err());
            assertTrue(result.out().contains("Nonce of the new block: 35293"), name + ": " + result.out());
        }
        assertTrue(java("--help").out().contains("not book section B-N"), "the usage says what B-N names");
    }

    @Test
    void aNearMissSuggestsTheStage() throws Exception {
        Result result = java("B1O");
        assertEquals(2, result.status());
        assertTrue(result.err().contains("unknown stage: B1O (did you mean B10?)"), result.err());
        assertTrue(java("walktrough").err().contains("(did you mean walkthrough?)"));
        assertFalse(java("mine").err().contains("did you mean"), "no guess when nothing is near");
    }

    @Test
    void anOptionsValueMayFollowAnEqualsSign() throws Exception {
        Result result = java("B2", "--zeros=3");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("Nonce of the new block: 6016"), "--zeros=3 mines with three zeros: " + result.out());
        Result badValue = java("B7", "--port=abc");
        assertEquals(2, badValue.status());
        assertTrue(badValue.err().contains("--port takes a whole number from 0 to 65535, not 'abc'"), badValue.err());
    }

    @Test
    void helpExplainsTheOptions() throws Exception {
        Result result = java("--help");
        assertEquals(0, result.status());
        assertTrue(result.out().contains("exit status 2"), result.out());
    }

    @Test
    void attackExits0WhenTheDoubleSpendSucceeds3WhenItFailsAnd2ForBadOptions() throws Exception {
        Result won = java("attack", "--share", "0.6", "--seed", "1");
        assertEquals(0, won.status(), won.out() + won.err());
        assertTrue(won.out().contains("Outcome: the attack succeeded."), won.out());
        Result lost = java("attack", "--share", "0.3", "--seed", "1");
        assertEquals(3, lost.status(), lost.out() + lost.err());
        assertTrue(lost.err().contains("bitvillage: the attack failed"), lost.err());
        Result bad = java("attack", "--share", "1.5");
        assertEquals(2, bad.status(), bad.out() + bad.err());
        assertTrue(bad.err().contains("--share takes a number of at least 0 and below 1, not 1.5"), bad.err());
        assertTrue(bad.err().contains("usage: java -jar target/bitvillage.jar attack [options]"), bad.err());
    }

    @Test
    void theWalkthroughExits0WhenEverythingIsAsInTheBook() throws Exception {
        Result result = java("walkthrough");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("All 8 requests turned out as the book says"), result.out());
    }

    @Test
    void theWalkthroughExits1AndSaysWhyWhenAStepIsNotAsInTheBook() throws Exception {
        Result result = java("walkthrough", "--zeros", "3");
        assertEquals(1, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("Not as in the book: steps 2a, 2b, 4"), result.out());
        assertTrue(result.err().contains("bitvillage: the walkthrough did not turn out as the book says"), result.err());
    }

    @Test
    void theForgeryExits0WhenEveryStepComesOutAsTheLessonSays() throws Exception {
        Result result = java("forge");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("All 5 checks came out as the lesson says"), result.out());
        assertTrue(result.err().contains("forge: villager A listens on http://127.0.0.1:"), result.err());
    }

    @Test
    void theFeesStoryExits0WhenEveryStepComesOutAsTheLessonSays() throws Exception {
        Result result = java("fees");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("All 5 checks came out as the lesson says"), result.out());
        assertTrue(result.err().contains("fees: villager A listens on http://127.0.0.1:"), result.err());
    }

    @Test
    void theSignaturesStoryExits0WhenEveryStepComesOutAsTheLessonSays() throws Exception {
        Result result = java("signatures");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("All 8 checks came out as the lesson says"), result.out());
    }

    @Test
    void theCoinsStoryExits0WhenEveryStepComesOutAsTheLessonSays() throws Exception {
        Result result = java("coins");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("All 8 checks came out as the lesson says"), result.out());
        assertTrue(result.err().contains("coins: villager A listens on http://127.0.0.1:"), result.err());
    }
}

package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import bitvillage.util.World;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each stage's main output, in the repeatable world, against src/test/resources/expected/. When a
 * stage's output changes on purpose, run with -Dbitvillage.writeExpected=true and review the diff.
 */
class StageOutputTest {

    /** Runs the launcher as a reader would, but in the repeatable world, and answers what it printed. */
    static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            AutoCloseable server = BitVillage.launch(args, World.fixed(out));
            if (server != null) server.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "B00, B0",
        "B01, B1",
        "B02, B2",
        "B02-zeros-5, B2 --zeros 5",
        "stage-list, ''",
        "B02-help, B2 --help",
    })
    void printsWhatTheExpectedFileSays(String expectedName, String commandLine) throws Exception {
        String[] args = commandLine.isBlank() ? new String[0] : commandLine.trim().split(" ");
        String actual = run(args);
        String resource = "expected/" + expectedName + ".txt";
        if (Boolean.getBoolean("bitvillage.writeExpected")) {
            Path file = Path.of("src/test/resources", resource);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        try (InputStream in = getClass().getResourceAsStream("/" + resource)) {
            if (in == null) fail("no " + resource + "; the stage printed:\n" + actual);
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual);
        } catch (IOException e) {
            fail(e);
        }
    }
}

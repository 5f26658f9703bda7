package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each stage's output, in the repeatable world, against the files in src/test/resources/expected/.
 * A file's first line is the command ({@code $ java -jar target/bitvillage.jar B2 --zeros 5}), the
 * rest what it prints. A server a stage starts is stopped at once, and the port it says it runs on
 * is shown as PORT. When an output changes on purpose, run with -Dbitvillage.writeExpected=true and
 * review the diff.
 */
class StageOutputTest {
    static final Path EXPECTED = Path.of("src/test/resources/expected");
    static final String JAR = "java -jar target/bitvillage.jar";

    /** Runs the launcher as a reader would, but in the repeatable world, and answers what it printed. */
    static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            AutoCloseable server = BitVillage.launch(args, World.fixed(out));
            if (server != null) server.close();
        }
        return bytes.toString(StandardCharsets.UTF_8).replaceAll("(http://[\\w.]+):\\d+", "$1:PORT");
    }

    static Stream<Path> expectedFiles() throws IOException {
        return filesEndingWith(EXPECTED, ".txt");
    }

    /** The files in {@code folder} whose names end so, in name order (test names stay in order too). */
    static Stream<Path> filesEndingWith(Path folder, String ending) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> sorted = files.filter(file -> file.toString().endsWith(ending)).sorted().toList();
            return sorted.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectedFiles")
    void printsWhatTheExpectedFileSays(Path file) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int endOfCommand = text.indexOf('\n');
        String command = text.substring(0, endOfCommand);
        assertTrue(command.startsWith("$ " + JAR), file + " must start with: $ " + JAR);
        String arguments = command.substring(("$ " + JAR).length()).trim();
        String actual = run(arguments.isEmpty() ? new String[0] : arguments.split(" +"));
        if (Boolean.getBoolean("bitvillage.writeExpected")) {
            Files.writeString(file, command + "\n" + actual, StandardCharsets.UTF_8);
        }
        assertEquals(text.substring(endOfCommand + 1), actual);
    }
}

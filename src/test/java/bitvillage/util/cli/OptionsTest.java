package bitvillage.util.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final Options.Option PORT = new Options.Option("--port", "N", "port");
    private static final Options.Option SLOW = new Options.Option("--slow", null, "step by step");
    private static final Options.Option TEXT = new Options.Option("TEXT", "TEXT", "messages");

    @Test
    void aValueMayFollowAnEqualsSignOrASpace() {
        assertEquals("5001", Options.parse(new String[] {"--port=5001"}, List.of(PORT)).text("--port", null));
        assertEquals("5001", Options.parse(new String[] {"--port", "5001"}, List.of(PORT)).text("--port", null));
        assertEquals("a=b", Options.parse(new String[] {"--port=a=b"}, List.of(PORT)).text("--port", null));
    }

    @Test
    void aFlagTakesNoValue() {
        Options.UsageError error = assertThrows(Options.UsageError.class,
                () -> Options.parse(new String[] {"--slow=yes"}, List.of(SLOW)));
        assertTrue(error.getMessage().contains("--slow takes no value"), error.getMessage());
    }

    @Test
    void wordsWithoutADashAreCollectedOnlyWhereAStageTakesThem() {
        Options options = Options.parse(new String[] {"apple", "--port", "1", "Apple", "--", "-5"}, List.of(PORT, TEXT));
        assertEquals(List.of("apple", "Apple", "-5"), options.all("TEXT"));
        assertEquals("1", options.text("--port", null));
        assertThrows(Options.UsageError.class, () -> Options.parse(new String[] {"apple"}, List.of(PORT)));
    }

    @Test
    void anOptionsDefaultAndRangeAreWhatHelpSaysAndWhatNumberReads() {
        Options.Option zeros = Options.Option.number("--zeros", "N", "leading zeros", 4, 1, 12).noting("as in the book");
        Options.Option with = Options.Option.text("--with", "ALGORITHM", "a digest", "SHA-256");
        assertEquals(String.format("  %-16s %s%n  %-16s %s%n  %-16s %s%n  %-16s %s%n",
                        "--zeros N", "leading zeros (1 to 12, default 4, as in the book)",
                        "--with ALGORITHM", "a digest (default SHA-256)",
                        "--port N", "port",
                        "--help", "explain this stage's options and stop"),
                Options.describe(List.of(zeros, with, PORT)));

        Options none = Options.parse(new String[0], List.of(zeros, with));
        assertEquals(4, none.number(zeros));
        assertEquals("SHA-256", none.text(with));
        Options given = Options.parse(new String[] {"--zeros", "12", "--with", "MD5"}, List.of(zeros, with));
        assertEquals(12, given.number(zeros));
        assertEquals("MD5", given.text(with));
        Options.UsageError outside = assertThrows(Options.UsageError.class,
                () -> Options.parse(new String[] {"--zeros", "13"}, List.of(zeros)).number(zeros));
        assertEquals("--zeros takes a whole number from 1 to 12, not '13'", outside.getMessage());
    }

    @Test
    void anotherDefaultIsTheSameOptionOtherwise() {
        Options.Option port = Options.Option.number("--port", "N", "port to listen on", 5000, 0, 65535).noting("as Flask's");
        Options.Option b11 = port.withDefault(5002).noting("as in B-11.py");
        assertEquals(5002, Options.parse(new String[0], List.of(b11)).number(b11));
        assertEquals("port to listen on (0 to 65535, default 5002, as in B-11.py)", Options.describe(List.of(b11)).lines()
                .findFirst().orElseThrow().substring(19));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[0], List.of(PORT)).number(PORT),
                "an option without a default or range is read by name");
    }
}

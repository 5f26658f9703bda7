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
}

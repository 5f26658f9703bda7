package bitvillage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The top-level guides: their links lead somewhere, and the Chinese map covers every program of the book. */
class ReadmeLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "README.zh-TW.md", "CONTRIBUTING.md", "chapters/README.md", "chapters/glossary.md"})
    void everyRelativeLinkExists(String guide) throws IOException {
        Path file = Path.of(guide);
        Matcher link = LINK.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (link.find()) {
            String target = link.group(1);
            if (target.startsWith("http://") || target.startsWith("https://")) continue;
            Path resolved = file.toAbsolutePath().getParent().resolve(target).normalize();
            assertTrue(Files.exists(resolved), guide + " links to " + target + ", which does not exist");
        }
    }

    @Test
    void theChineseMapHasARowForEveryProgramOfTheBook() throws IOException {
        String map = Files.readString(Path.of("README.zh-TW.md"), StandardCharsets.UTF_8);
        for (int program = 0; program <= 11; program++) {
            assertTrue(map.contains("| B-" + program + ".py | `B" + program + "`"), "no row for B-" + program + ".py");
        }
        for (String part : new String[] {"補充學習 A", "補充學習 B", "Postman"}) {
            assertTrue(map.contains(part), "no row for " + part);
        }
        assertTrue(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8).contains("(README.zh-TW.md)"),
                "README.md links the Chinese guide");
    }
}

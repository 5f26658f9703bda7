package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B00.1")
class B00Sha256Test {

    @Test
    void appleAsTheBookHashesIt() {
        assertEquals(Facts.APPLE_SHA256, B00Sha256.hex("apple"));
    }

    @Test
    void theBooksSortedDictionary() {
        assertEquals("91ecf21df62be90e84490fc80621e3a1ea20c6b88b89ab606881dba7a892237f",
                B00Sha256.hex("{\"1\": \"cat\", \"2\": \"dog\"}"));
    }

    /** Text beyond ASCII is hashed as its UTF-8 bytes, as Python's encode('utf-8'). */
    @Test
    void theDigestsCPythonComputedOfTwoThousandTexts() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map<String, Object> row : Facts.pythonDumps()) {
            String text = (String) row.get("dumps");
            if (!row.get("sha256").equals(B00Sha256.hex(text))) wrong.add(text);
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(3, wrong.size())), wrong.size() + " of 2000 differ");
        assertEquals(Facts.APPLE_SHA256.length(), B00Sha256.hex("").length(), "always 64 hex digits");
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B00.1")
class B00Sha256Test {

    /** The digests section B-2-0 of the book prints. */
    @Test
    void theBooksDigests() {
        assertEquals(Facts.APPLE_SHA256, B00Sha256.hex("apple"));
        assertEquals("f223faa96f22916294922b171a2696d868fd1f9129302eb41a45b2a2ea2ebbfd", B00Sha256.hex("Apple"));
        assertEquals("cd6357efdd966de8c0cb2f876cc89ec74ce35f0968e11743987084bd42fb8944", B00Sha256.hex("dog"));
        assertEquals("77af778b51abd4a3c51c5ddd97204a9c3ae614ebccb75a606c3b6865aed6744e", B00Sha256.hex("cat"));
    }

    /**
     * The book's message, hashed as its UTF-8 bytes (the book does not print this digest; it is what
     * hashlib and sha256sum give for those 24 bytes), and the tampered one, which the digest catches.
     */
    @Test
    void theBooksMessageAndItsTampering() {
        assertEquals("f0408a42335cdbab42ce6b86fac5cbdba8157a04e950c9f90ab8b35a8f4f38bd", B00Sha256.hex("明天早上六點集合"));
        assertEquals("d5867e5dc68403a23a48f9a2a3a7f6916b52b40cfa5e0c541e68f7bda8b955e4", B00Sha256.hex("明天早上十點集合"));
    }

    @Test
    void theBooksSortedDictionary() {
        assertEquals("91ecf21df62be90e84490fc80621e3a1ea20c6b88b89ab606881dba7a892237f",
                B00Sha256.hex("{\"1\": \"cat\", \"2\": \"dog\"}"));
    }

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

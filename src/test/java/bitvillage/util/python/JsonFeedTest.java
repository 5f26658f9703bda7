package bitvillage.util.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JsonFeed reads what PyJson.loads reads, a piece at a time, and says what is wrong without repeating the text. */
class JsonFeedTest {

    /** The value the tokens make, fed {@code piece} bytes at a time. */
    @SuppressWarnings("unchecked")
    static Object loads(byte[] bytes, int piece) {
        try (JsonFeed json = new JsonFeed()) {
            Deque<Object> open = new ArrayDeque<>();
            Deque<String> keys = new ArrayDeque<>();
            Object[] root = new Object[1];
            for (int at = 0; at < bytes.length + piece; at += piece) {
                if (at < bytes.length) json.feed(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
                else json.end();
                for (JsonToken token = json.next(); token != null; token = json.next()) {
                    if (token == JsonToken.FIELD_NAME) {
                        keys.push(json.key());
                        continue;
                    }
                    if (token.isStructEnd()) {
                        open.pop();
                        continue;
                    }
                    Object value = token == JsonToken.START_OBJECT ? new LinkedHashMap<String, Object>()
                            : token == JsonToken.START_ARRAY ? new ArrayList<>() : json.scalar();
                    Object parent = open.peek();
                    if (parent == null) root[0] = value;
                    else if (parent instanceof Map<?, ?> map) ((Map<String, Object>) map).put(keys.pop(), value);
                    else ((List<Object>) parent).add(value);
                    if (token.isStructStart()) open.push(value);
                }
            }
            return root[0];
        }
    }

    @Test
    void readsTheTwoThousandFixtureValuesAsPyJsonLoadsDoes() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (String line : PyJsonTest.resourceLines("python-json-dumps.jsonl")) {
            @SuppressWarnings("unchecked")
            String input = (String) ((Map<String, Object>) PyJson.loads(line)).get("input");
            String expected = PyJson.dumps(PyJson.loads(input));
            for (int piece : new int[] {1, 7, 4096}) {
                String got = PyJson.dumps(loads(input.getBytes(StandardCharsets.UTF_8), piece));
                if (!got.equals(expected)) mismatches.add(input + " in pieces of " + piece + ": " + got);
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(5, mismatches.size())), mismatches.size() + " differ");
    }

    @Test
    void prettyBytesCountsWhatPrettyWrites() throws Exception {
        List<Object> values = new ArrayList<>();
        for (String line : PyJsonTest.resourceLines("python-json-dumps.jsonl")) {
            @SuppressWarnings("unchecked")
            String input = (String) ((Map<String, Object>) PyJson.loads(line)).get("input");
            values.add(PyJson.loads(input));
        }
        values.add(List.of("\ud800x", "😀", "小美", "\u0001\u007f\n\"\\", Map.of(), List.of(), 1e300, -0.0));
        for (Object value : values) {
            String text = PyJson.pretty(value);
            long lines = text.chars().filter(c -> c == '\n').count();
            for (int depth : new int[] {0, 2, 4}) {
                assertEquals(Utf8.length(text) + 2L * depth * lines, PyJson.prettyBytes(value, depth), text);
            }
        }
    }

    @Test
    void whatIsWrongIsSaidWithoutTheText() {
        String secret = "SECRET_API_KEY_abc123XYZ";
        for (String text : List.of(secret, "{\"a\": " + secret + "}", "[1, 2", "{} " + secret, "", "\"" + "x".repeat(70_000) + "\"")) {
            PyJson.JsonException e = assertThrows(PyJson.JsonException.class, () -> loads(text.getBytes(StandardCharsets.UTF_8), 3));
            assertFalse(e.getMessage().contains("SECRET") || e.getMessage().contains("xxx"), e.getMessage());
        }
        String malformed = assertThrows(PyJson.JsonException.class, () -> loads(secret.getBytes(StandardCharsets.UTF_8), 5)).getMessage();
        assertTrue(malformed.matches("malformed JSON \\(line 1, column [0-9]+\\)"), malformed);
        String more = assertThrows(PyJson.JsonException.class, () -> loads("{} 2".getBytes(StandardCharsets.UTF_8), 1)).getMessage();
        assertTrue(more.startsWith("more text after the JSON value (line 1, column "), more);
        assertEquals(JsonFeed.NOT_UTF8, assertThrows(PyJson.JsonException.class,
                () -> loads(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}, 2)).getMessage(), "no surrogates");
        assertEquals(JsonFeed.NOT_UTF8, assertThrows(PyJson.JsonException.class,
                () -> loads(new byte[] {'"', (byte) 0xc0, (byte) 0x80, '"'}, 2)).getMessage(), "no overlong forms");
        assertEquals("村", loads("\"村\"".getBytes(StandardCharsets.UTF_8), 1), "a character split across pieces");
    }
}

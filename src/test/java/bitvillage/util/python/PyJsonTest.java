package bitvillage.util.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyJsonTest {

    static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = PyJsonTest.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line; (line = reader.readLine()) != null; ) lines.add(line);
            return lines;
        }
    }

    /** 2,000 values with what CPython 3.11's json.dumps(value, sort_keys=True) made of them. */
    @Test
    void everyFixtureValueDumpsAndHashesAsCPythonDoes() throws IOException {
        List<String> lines = resourceLines("python-json-dumps.jsonl");
        assertEquals(2000, lines.size());
        List<String> mismatches = new ArrayList<>();
        for (String line : lines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) PyJson.loads(line);
            Object value = PyJson.loads((String) row.get("input"));
            String dumped = PyJson.dumps(value);
            if (!dumped.equals(row.get("dumps")) || !Sha256.hex(dumped).equals(row.get("sha256"))) {
                mismatches.add("expected " + row.get("dumps") + "\n     got " + dumped);
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(5, mismatches.size())),
                mismatches.size() + " of 2000 differ");
    }

    @Test
    void theBookSortedDictionary() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("2", "dog");
        block.put("1", "cat");
        assertEquals("{\"1\": \"cat\", \"2\": \"dog\"}", PyJson.dumps(block));
        assertEquals("91ecf21df62be90e84490fc80621e3a1ea20c6b88b89ab606881dba7a892237f", Sha256.hex(PyJson.dumps(block)));
    }

    @Test
    void escapesAsEnsureAsciiDoes() {
        assertEquals("\"a\\\"b\\\\c/\\td\\n\\r\\b\\f\\u0001\\u007f\\u00e9\\u5c0f\\ud83d\\udc15\"",
                PyJson.dumps("a\"b\\c/\td\n\r\b\f\u0001\u007fé小\uD83D\uDC15"));
    }

    @Test
    void keysSortByCodePointNotByUtf16Unit() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("\uD83D\uDC15", 1L); // U+1F415, a surrogate pair in Java
        map.put("\uE000", 2L);       // U+E000 sorts first by code point, last by UTF-16 unit
        assertEquals("{\"\\ue000\": 2, \"\\ud83d\\udc15\": 1}", PyJson.dumps(map));
    }

    @Test
    void integersOfAnySizeStayIntegers() {
        Object big = PyJson.loads("-683539108202623413055");
        assertInstanceOf(BigInteger.class, big);
        assertEquals("-683539108202623413055", PyJson.dumps(big));
        assertEquals(35293L, PyJson.loads("35293"));
        assertEquals("[1, 1.0, -0.0, 1e+16, 1.5e-05, true, false, null]",
                PyJson.dumps(PyJson.loads("[1, 1.0, -0.0, 1e16, 0.000015, true, false, null]")));
    }

    @Test
    void prettyEscapesALoneSurrogateSoTheBytesSentAreTheTextHashed() {
        // UTF-8 cannot carry half a character: sent raw it would arrive as '?', a block we never hashed.
        assertEquals("[\n  \"\\ud800 \\udfff \ud83d\ude00 \\ud83d\"\n]", PyJson.pretty(List.of("\ud800 \udfff \ud83d\ude00 \ud83d")));
        Object readBack = PyJson.loads(PyJson.pretty(List.of("\ud800x")));
        assertEquals(List.of("\ud800x"), readBack);
        assertEquals("[\"\\ud800x\"]", PyJson.dumps(readBack), "and it hashes as Python's json.dumps writes it");
    }

    @Test
    void prettyIsIndentedSortedAndKeepsChinese() {
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("sender", "小美");
        transaction.put("amount", 699L);
        transaction.put("tags", List.of());
        assertEquals("{\n  \"amount\": 699,\n  \"sender\": \"小美\",\n  \"tags\": []\n}", PyJson.pretty(transaction));
    }

    @Test
    void malformedTextIsAJsonException() {
        assertThrows(PyJson.JsonException.class, () -> PyJson.loads("{\"nodes\": [}"));
        assertThrows(PyJson.JsonException.class, () -> PyJson.loads("{} trailing"));
        assertThrows(PyJson.JsonException.class, () -> PyJson.loads(""));
    }
}

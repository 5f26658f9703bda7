package bitvillage.util.python;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON the way the book's Python writes and reads it.
 *
 * <p>{@link #dumps} is {@code json.dumps(value, sort_keys=True)} byte for byte: the text a block
 * hash is computed from. Our node and the book's Python node accept each other's chains only
 * because both sides produce exactly these bytes.
 *
 * <p>Values are plain Java: {@code Map<String, Object>} for a dict, {@code List} for a list,
 * {@code String}, {@code Long} or {@code BigInteger} for an int, {@code Double} for a float,
 * {@code Boolean}, and {@code null}.
 */
public final class PyJson {
    private PyJson() {}

    /**
     * Jackson's reader, built the first time a stage reads JSON. A holder class, because building
     * it loads some 300 classes, a tenth of a second that stages B0-B2, which only write JSON,
     * would otherwise spend before they print anything.
     */
    private static final class Reader {
        static final JsonMapper READER = JsonMapper.builder(JsonFactory.builder()
                        // CPython reads and writes whole numbers of up to 4,300 digits; Jackson would stop at 1,000.
                        .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(MAX_DIGITS).build())
                        .build())
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python reads NaN and Infinity
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** The most digits of a whole number that CPython converts (sys.get_int_max_str_digits()), and so we read. */
    public static final int MAX_DIGITS = 4300;

    /** Python sorts keys by code point; Java's String order is by UTF-16 unit and differs above U+FFFF. */
    private static final Comparator<String> BY_CODE_POINT = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    /** {@code json.dumps(value, sort_keys=True)}: one line, ASCII only. */
    public static String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, true, -1, 0);
        return out.toString();
    }

    /**
     * {@code json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)}: what our web routes
     * answer, so that a reader sees 小美 rather than \u5c0f\u7f8e.
     */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, false, 2, 0);
        return out.toString();
    }

    /**
     * How many bytes {@link #pretty} writes for {@code value} in UTF-8 when it stands {@code depth}
     * levels deep in a larger value (each of its lines after the first indented by two spaces a
     * level); counted without writing it, so a block of many megabytes costs no copy of itself.
     */
    public static long prettyBytes(Object value, int depth) {
        if (value instanceof String text) return stringBytes(text);
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            int items = value instanceof Map<?, ?> map ? map.size() : ((Collection<?>) value).size();
            if (items == 0) return 2; // {} or []
            // The brackets, a comma between items, each item on a line of its own, the closing bracket on one too.
            long[] bytes = {2 + (items - 1) + items * (1 + 2L * (depth + 1)) + 1 + 2L * depth};
            if (value instanceof Map<?, ?> map) { // forEach, not entrySet(): a map keeps the view it makes, 16 bytes for good
                map.forEach((key, item) -> bytes[0] += stringBytes((String) key) + ": ".length() + prettyBytes(item, depth + 1));
            } else {
                for (Object item : (Collection<?>) value) bytes[0] += prettyBytes(item, depth + 1);
            }
            return bytes[0];
        }
        StringBuilder out = new StringBuilder(); // a number, true, false or null: a few ASCII characters
        write(out, value, false, 2, depth);
        return out.length();
    }

    /** The bytes of a string as {@link #pretty} writes it: in quotes, escaped as {@link #writeString} escapes it, in UTF-8. */
    private static long stringBytes(String text) {
        long bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                bytes += 2;
            } else if (c < 0x20 || Character.isSurrogate(c) && isLoneSurrogate(text, i)) {
                bytes += 6; // \u0001, \ud800
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4; // with its low surrogate: one character past U+FFFF
                i++;
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        return bytes;
    }

    /** {@code json.loads(text)}; a {@link JsonException} says what is wrong with malformed text. */
    public static Object loads(String text) {
        try {
            return toPlain(Reader.READER.readTree(text));
        } catch (JsonProcessingException e) {
            throw new JsonException(describe(e), e);
        }
    }

    /** Jackson's complaint without its internals, and where in the text the trouble is. */
    private static String describe(JsonProcessingException e) {
        String message = plainWords(e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source: .*]\\)", ""));
        JsonLocation where = e.getLocation();
        if (where == null || where.getLineNr() < 1) return message;
        return message + " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
    }

    /**
     * Jackson's messages that name its own settings (StreamReadConstraints, DeserializationFeature),
     * said as a reader would; any other mention of its classes in backquotes is dropped.
     */
    private static String plainWords(String message) {
        Matcher limit = LIMIT.matcher(message);
        if (limit.find()) {
            return switch (limit.group(1)) {
                case "Number value length" -> "a number of " + limit.group(2) + " characters; we read at most "
                        + limit.group(3) + ", as Python reads whole numbers of at most " + MAX_DIGITS + " digits";
                case "Document nesting depth" -> "lists and objects nested " + limit.group(2) + " deep; we read at most "
                        + limit.group(3) + " levels";
                case "Name length" -> "a key of " + limit.group(2) + " characters; we read keys of at most " + limit.group(3);
                default -> "a string of " + limit.group(2) + " characters; we read strings of at most " + limit.group(3);
            };
        }
        if (message.startsWith("Trailing token")) return "more text after the JSON value";
        String plain = message.replaceAll("\\s*\\([^()]*`[^()]*\\)", "").replaceAll("`[^`]*`", "it");
        return plain.contains("fasterxml") ? "malformed JSON" : plain;
    }

    /** A limit of what we read (a string, a number, a nesting too long or deep), in plain words and with no text of the input. */
    static String limitInPlainWords(StreamConstraintsException e) {
        return plainWords(e.getOriginalMessage());
    }

    private static final Pattern LIMIT = Pattern.compile(
            "^(Number value length|Document nesting depth|Name length|String value length) \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

    /** Text that is not JSON. */
    public static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Object toPlain(JsonNode node) {
        if (node == null || node.isMissingNode()) throw new JsonException("no JSON value", null);
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                map.put(field.getKey(), toPlain(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode element : node) list.add(toPlain(element));
            return list;
        }
        if (node.isTextual()) return node.textValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isNull()) return null;
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        return node.doubleValue();
    }

    private static void write(StringBuilder out, Object value, boolean asciiOnly, int indent, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            writeString(out, text, asciiOnly);
        } else if (value instanceof Boolean bool) {
            out.append(bool ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(PyFloat.repr(((Number) value).doubleValue()));
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, asciiOnly, indent, depth);
        } else if (value instanceof Collection<?> list) {
            writeArray(out, list, asciiOnly, indent, depth);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, boolean asciiOnly, int indent, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<String> keys = new ArrayList<>();
        map.forEach((key, value) -> keys.add((String) key)); // not keySet(): a map keeps the view it makes, for good
        keys.sort(BY_CODE_POINT);
        out.append('{');
        boolean first = true;
        for (String key : keys) {
            separate(out, first, indent, depth + 1);
            first = false;
            writeString(out, key, asciiOnly);
            out.append(": ");
            write(out, map.get(key), asciiOnly, indent, depth + 1);
        }
        close(out, indent, depth);
        out.append('}');
    }

    private static void writeArray(StringBuilder out, Collection<?> list, boolean asciiOnly, int indent, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object element : list) {
            separate(out, first, indent, depth + 1);
            first = false;
            write(out, element, asciiOnly, indent, depth + 1);
        }
        close(out, indent, depth);
        out.append(']');
    }

    /** Python's separators: ", " on one line, "," followed by a new line when indenting. */
    private static void separate(StringBuilder out, boolean first, int indent, int depth) {
        if (indent < 0) {
            if (!first) out.append(", ");
            return;
        }
        if (!first) out.append(',');
        out.append('\n').append(" ".repeat(indent * depth));
    }

    private static void close(StringBuilder out, int indent, int depth) {
        if (indent >= 0) out.append('\n').append(" ".repeat(indent * depth));
    }

    /**
     * A string in quotes, escaped as Python escapes it: control characters always, {@code "} and
     * {@code \}, and with ensure_ascii everything above '~' (DEL included), one UTF-16 unit at a
     * time, so a character above U+FFFF becomes a surrogate pair. Without ensure_ascii a lone
     * surrogate is escaped all the same: UTF-8 cannot carry it, and the node would send '?' in its
     * place, a block other than the one it hashed. Runs of plain characters, nearly all of a block,
     * are copied in one go.
     */
    private static void writeString(StringBuilder out, String text, boolean asciiOnly) {
        out.append('"');
        int copied = 0; // the text before this index is in out already
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c != '"' && c != '\\'
                    && (c <= 0x7e || !asciiOnly && !(Character.isSurrogate(c) && isLoneSurrogate(text, i)));
            if (plain) continue;
            out.append(text, copied, i).append(escape(c));
            copied = i + 1;
        }
        if (copied == 0) out.append(text); // the usual case: nothing to escape
        else out.append(text, copied, text.length());
        out.append('"');
    }

    /** Is the surrogate at {@code i} without its partner, half of a character that is not there? */
    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** How Python writes a character that cannot stand as it is in a JSON string. */
    private static String escape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> String.format("\\u%04x", (int) c);
        };
    }
}

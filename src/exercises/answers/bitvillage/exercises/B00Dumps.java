package bitvillage.exercises;

import bitvillage.util.python.PyFloat;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Answer B00.2: a short json.dumps(value, sort_keys=True); bitvillage.util.python.PyJson is the node's own, faster one. */
public final class B00Dumps {
    private B00Dumps() {}

    public static String dumps(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) out.append("null");
        else if (value instanceof Boolean b) out.append(b ? "true" : "false");
        else if (value instanceof Long || value instanceof BigInteger) out.append(value);
        else if (value instanceof Double d) out.append(PyFloat.repr(d));
        else if (value instanceof String s) writeString(out, s);
        else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(", ");
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            for (Object key : map.keySet()) keys.add((String) key);
            // Python compares str by code point; String.compareTo compares UTF-16 units.
            keys.sort((a, b) -> {
                int[] x = a.codePoints().toArray();
                int[] y = b.codePoints().toArray();
                return java.util.Arrays.compare(x, y);
            });
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) out.append(", ");
                writeString(out, keys.get(i));
                out.append(": ");
                write(out, map.get(keys.get(i)));
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    /** ensure_ascii: everything outside ' '..'~' as \\uXXXX of each UTF-16 unit, with Python's short escapes. */
    private static void writeString(StringBuilder out, String text) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) out.append(c);
                    else out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        out.append('"');
    }
}

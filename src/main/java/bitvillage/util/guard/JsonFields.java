package bitvillage.util.guard;

import bitvillage.util.web.WebApp;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of the fields of a request's JSON object. Each answers the value, or throws a
 * {@link WebApp.Rejected} 400 that names the field and says what it should have been, so a
 * villager with a typo in Postman learns what to fix.
 */
public final class JsonFields {
    private JsonFields() {}

    /** A string with at least one character. */
    public static String text(Map<String, Object> values, String name) {
        Object value = required(values, name, "a non-empty string");
        if (!(value instanceof String text)) throw wrong(name, "a non-empty string", value);
        if (text.isEmpty()) throw new WebApp.Rejected(400, "'" + name + "' is empty: it must be a non-empty string");
        return text;
    }

    /** A JSON number that is finite: NaN and Infinity, which Python reads, are no amount. */
    public static Number number(Map<String, Object> values, String name) {
        Object value = required(values, name, "a number");
        if (value instanceof Long || value instanceof BigInteger) return (Number) value;
        if (value instanceof Double real) {
            if (!Double.isFinite(real)) {
                throw new WebApp.Rejected(400, "'" + name + "' must be a finite number, not NaN or Infinity");
            }
            return real;
        }
        throw wrong(name, "a number", value);
    }

    /** A list of strings with at least one element. */
    public static List<String> texts(Map<String, Object> values, String name) {
        Object value = required(values, name, "a non-empty list of strings");
        if (!(value instanceof List<?> list)) throw wrong(name, "a non-empty list of strings", value);
        if (list.isEmpty()) throw new WebApp.Rejected(400, "'" + name + "' must be a non-empty list of strings, not []");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String text)) {
                throw new WebApp.Rejected(400, "'" + name + "' must be a list of strings, but item " + (i + 1)
                        + " is " + kind(list.get(i)));
            }
            texts.add(text);
        }
        return texts;
    }

    private static Object required(Map<String, Object> values, String name, String expected) {
        if (!values.containsKey(name)) throw new WebApp.Rejected(400, "'" + name + "' is missing: give " + expected);
        return values.get(name);
    }

    private static WebApp.Rejected wrong(String name, String expected, Object value) {
        return new WebApp.Rejected(400, "'" + name + "' must be " + expected + ", not " + kind(value));
    }

    /** What kind of JSON value this is, as a reader would say it. */
    private static String kind(Object value) {
        if (value == null) return "null";
        if (value instanceof String) return "a string";
        if (value instanceof Boolean) return value.toString();
        if (value instanceof Number) return "a number";
        if (value instanceof List<?>) return "a list";
        return "an object";
    }
}

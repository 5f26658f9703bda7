package bitvillage.exercises;

/**
 * Exercise B00.2: Python's {@code json.dumps(value, sort_keys=True)}, the bytes a block's hash is
 * computed from. Values are plain Java, as PyJson.loads makes them: {@code Map<String, Object>},
 * {@code List}, {@code String}, {@code Long} or {@code BigInteger}, {@code Double},
 * {@code Boolean} and {@code null}. For a Double you may call {@code bitvillage.util.python.PyFloat.repr},
 * Python's shortest digits (writing those yourself is a study of its own); everything else is yours:
 * the separators, the key order (by code point), and the escapes of {@code ensure_ascii}.
 */
public final class B00Dumps {
    private B00Dumps() {}

    /** The value as one line of JSON, exactly as CPython writes it with sort_keys=True. */
    public static String dumps(Object value) {
        throw new UnsupportedOperationException("exercise B00.2: write B00Dumps.dumps");
    }
}

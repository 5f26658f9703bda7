package bitvillage.stages.taught;

import bitvillage.stages.taught.Notebook.Note;
import bitvillage.util.guard.DataDir;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.python.Utf8;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lines of a notebook file, as B19's page taught: one note a line,
 * {@code {"check": "…", "entry": {…}, "kind": "block"}}, where the check is the first 16 hex digits
 * of the SHA-256 of the line's other two fields. A line is whole when it ends with a newline, is
 * JSON, and its check matches what it holds, so a byte that changed is found even when the line
 * still reads as JSON.
 *
 * <p>Only the last line can be caught half written: every line is forced to disk before the next is
 * begun. So a last line that is not whole is the write a crash interrupted, and is cut off (and the
 * log says so); a line before it that is not whole is damage, which stops the start with its line
 * number: a chain rebuilt from the lines around it would be one the villager never had.
 */
public final class NotebookLines {
    private NotebookLines() {}

    /** A line that is not whole before the last: the notebook cannot be read, and the villager must not start. */
    public static final class Damaged extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }

    // tag::line[]
    /** The note as one line of JSON, newline included: ASCII only, as {@code json.dumps} writes it. */
    public static String line(String kind, Map<String, Object> entry) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("check", check(kind, entry));
        line.put("entry", entry);
        line.put("kind", kind);
        return PyJson.dumps(line) + "\n";
    }

    /** The first 16 hex digits of the SHA-256 of {@code {"entry": …, "kind": …}}: what the line holds. */
    public static String check(String kind, Map<String, Object> entry) {
        Map<String, Object> held = new LinkedHashMap<>();
        held.put("entry", entry);
        held.put("kind", kind);
        return Sha256.hex(PyJson.dumps(held)).substring(0, 16);
    }
    // end::line[]

    /** The note a whole line holds (without its newline), or a {@link IllegalArgumentException} saying what is wrong with it. */
    @SuppressWarnings("unchecked")
    static Note parse(byte[] bytes) {
        if (bytes.length > DataDir.MAX_LINE_BYTES) throw new IllegalArgumentException("longer than " + DataDir.MAX_LINE_BYTES + " bytes");
        Object value;
        try {
            value = PyJson.loads(Utf8.strict(bytes));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 text", e);
        } catch (PyJson.JsonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (!(value instanceof Map<?, ?> map) || !map.keySet().equals(Set.of("check", "entry", "kind"))
                || !(map.get("kind") instanceof String kind) || !(map.get("entry") instanceof Map<?, ?> entry)
                || !(map.get("check") instanceof String check)) {
            throw new IllegalArgumentException("not a note: {\"check\": text, \"entry\": {...}, \"kind\": text}");
        }
        if (!check.equals(check(kind, (Map<String, Object>) entry))) {
            throw new IllegalArgumentException("its check does not match what it holds: a byte in it changed");
        }
        return new Note(kind, (Map<String, Object>) entry);
    }

    // tag::read[]
    /**
     * Every note of the file, in order. A last line that is not whole is cut off the file when
     * {@code cut} is given (its message goes to {@code log}), and is an error otherwise; a line before
     * it that is not whole is {@link Damaged}.
     */
    public static List<Note> read(Path file, boolean cut, Consumer<String> log) throws IOException {
        List<Note> notes = new ArrayList<>();
        if (!Files.exists(file)) return notes;
        long start = 0; // where the line being read begins, in bytes
        long bad = -1; // where the last line that was not whole begins; -1 while every line was
        String why = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long length = 0; // of the line being read, even past what is kept of it
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    if (length++ <= DataDir.MAX_LINE_BYTES) line.write(b);
                    continue;
                }
                if (bad >= 0) throw damaged(file, notes.size() + 1, why); // a line follows the one that was not whole
                try {
                    notes.add(parse(line.toByteArray()));
                } catch (IllegalArgumentException e) {
                    bad = start;
                    why = e.getMessage();
                }
                start += length + 1;
                length = 0;
                line.reset();
            }
        }
        if (length > 0) {
            if (bad >= 0) throw damaged(file, notes.size() + 1, why);
            bad = start;
            why = "it has no newline at its end (" + length + " bytes)";
        }
        if (bad < 0) return notes;
        int number = notes.size() + 1;
        if (!cut) throw new Damaged("line " + number + " of " + file + " is damaged (" + why + "), though the notebook was whole when opened");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(bad);
            channel.force(true);
        }
        log.accept("notebook: cut its last line, line " + number + " of " + file + ": " + why
                + "; a write a crash interrupted, or a damaged disk. The " + notes.size() + " notes before it are kept.");
        return notes;
    }
    // end::read[]

    private static Damaged damaged(Path file, int number, String why) {
        return new Damaged("line " + number + " of " + file + " is damaged (" + why + "), and lines follow it,"
                + " so the villager does not start on a chain it never had. Either move the notebook away and start"
                + " on an empty --data with --join, to fetch the chain from the village again, or keep the lines"
                + " before it (head -n " + (number - 1) + ") and start on those.");
    }
}

package bitvillage.stages.taught;

import bitvillage.util.guard.DataDir;
import bitvillage.util.python.PyJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;

/**
 * A villager's notebook in a directory: the notes in {@value #NOTES}, one JSON line each (see
 * {@link NotebookLines}; {@code head} and {@code jq} read it), the neighbours in {@value #NEIGHBOURS},
 * and the {@link DataDir} lock that keeps a second villager out for as long as this one runs.
 */
public final class FileNotebook implements Notebook {
    /** The notes, one JSON line each, only ever appended to. */
    public static final String NOTES = "notebook.jsonl";
    /** The neighbours' addresses, a JSON list, replaced whole. */
    public static final String NEIGHBOURS = "neighbours.json";

    private final DataDir dir;
    private final Consumer<String> log;
    private final FileChannel notes;
    private final List<Note> opened; // the notes it held when opened, read once
    private boolean broken; // a write or a force failed: what is on disk is unknown, so nothing more is written

    private FileNotebook(DataDir dir, Consumer<String> log, FileChannel notes, List<Note> opened) {
        this.dir = dir;
        this.log = log;
        this.notes = notes;
        this.opened = opened;
    }

    // tag::open[]
    /**
     * Opens the notebook in {@code path} (created if missing), for this process alone. Its last line,
     * if a crash left it half written, is cut off and {@code log} says so; a damaged line before it
     * throws {@link NotebookLines.Damaged}, and a directory another villager holds, or that cannot be
     * written, throws {@link DataDir.Refused}.
     */
    public static FileNotebook open(Path path, Consumer<String> log) {
        DataDir dir = DataDir.claim(path);
        try {
            Path file = path.resolve(NOTES);
            List<Note> opened = NotebookLines.read(file, true, log); // a torn last line cut now, before a new line follows it
            boolean created = !Files.exists(file);
            FileChannel notes = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            if (created) DataDir.forceDirectory(path); // the file's name is on disk too
            Files.deleteIfExists(path.resolve(NEIGHBOURS + ".tmp")); // a save a crash interrupted: the list before it stands
            return new FileNotebook(dir, log, notes, List.copyOf(opened));
        } catch (IOException | RuntimeException e) {
            dir.close();
            if (e instanceof IOException io) throw new UncheckedIOException("cannot open the notebook in " + path + ": " + io.getMessage(), io);
            throw (RuntimeException) e;
        }
    }
    // end::open[]

    // tag::append[]
    /**
     * The note as one line, appended and forced. {@code force(true)}, not {@code force(false)}: the
     * line makes the file longer, and its new length is the file's metadata, which
     * {@code force(false)} does not promise to write (Linux's fdatasync writes it anyway, so it costs
     * about the same). One note at a time, so the lines are in the order the villager acts on them.
     */
    @Override
    public synchronized void append(String kind, Map<String, Object> entry) {
        if (broken) throw new IllegalStateException("the notebook could not be written before: restart the villager on it");
        byte[] line = NotebookLines.line(kind, entry).getBytes(StandardCharsets.US_ASCII);
        if (line.length > DataDir.MAX_LINE_BYTES) {
            throw new IllegalArgumentException("a note of " + line.length + " bytes; a notebook line holds at most " + DataDir.MAX_LINE_BYTES);
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line);
            while (bytes.hasRemaining()) notes.write(bytes);
            notes.force(true);
        } catch (IOException e) {
            broken = true; // a failed force may have lost the line, and a second one can succeed without writing it
            throw new UncheckedIOException("cannot write the notebook: " + e.getMessage(), e);
        }
    }
    // end::append[]

    /** The notes read when it was opened: the file is read once, at the start. */
    @Override
    public List<Note> readAll() {
        return opened;
    }

    // tag::neighbours[]
    /**
     * The list written to a file of its own, forced, then renamed over the old one in one step: a
     * crash leaves the old list or the new, never half of one. The rename is on disk once the
     * directory is forced.
     */
    @Override
    public synchronized void saveNeighbours(Collection<String> neighbours) {
        Path file = dir.path().resolve(NEIGHBOURS);
        Path temporary = dir.path().resolve(NEIGHBOURS + ".tmp");
        byte[] text = (PyJson.pretty(new ArrayList<>(neighbours)) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text);
                while (bytes.hasRemaining()) out.write(bytes);
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            DataDir.forceDirectory(dir.path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the neighbours: " + e.getMessage(), e);
        }
    }
    // end::neighbours[]

    /** The neighbours saved last; none if there is no list, or (said in the log) one that cannot be read. */
    @Override
    public synchronized List<String> neighbours() {
        Path file = dir.path().resolve(NEIGHBOURS);
        if (!Files.exists(file)) return List.of();
        try {
            Object list = PyJson.loads(Files.readString(file, StandardCharsets.UTF_8));
            List<String> neighbours = new ArrayList<>();
            if (list instanceof List<?> items) {
                for (Object item : items) if (item instanceof String address) neighbours.add(address);
                if (neighbours.size() == items.size()) return neighbours;
            }
            log.accept("notebook: " + file + " is not a list of addresses; starting with no neighbours");
        } catch (IOException | IllegalArgumentException e) {
            log.accept("notebook: cannot read " + file + " (" + e.getMessage() + "); starting with no neighbours");
        }
        return List.of();
    }

    @Override
    public synchronized void close() {
        try {
            notes.close();
        } catch (IOException e) {
            log.accept("notebook: closing " + NOTES + ": " + e.getMessage());
        } finally {
            dir.close();
        }
    }
}

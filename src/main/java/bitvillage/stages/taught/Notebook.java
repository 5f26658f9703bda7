package bitvillage.stages.taught;

import bitvillage.util.cli.StageFailed;
import bitvillage.util.guard.DataDir;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What B19's page taught: a villager's notebook, where it writes down what it accepted so that a
 * crash does not take it away. Every block it accepts (its own and its neighbours', side branches
 * too) and every payment is a note, {@link #append appended} and on disk before the villager acts
 * on it: before the block is in a chain a route serves, before it is announced, before a payment's
 * 2xx. On starting, {@link #readAll} gives the notes back in the order they were written, to be
 * checked again from genesis. The neighbours are kept apart, whole: the latest list replaces the
 * one before.
 *
 * <p>{@link FileNotebook} keeps the notes in a directory ({@code --data DIR}); {@link NoNotebook}
 * keeps nothing, for a villager started without {@code --data}, which forgets everything as B18 did.
 */
public interface Notebook extends AutoCloseable {

    /**
     * The notebook of a villager started with {@code --data dir}, or none ({@link NoNotebook}) when {@code dir}
     * is null. A directory another villager holds, or that cannot be written or read, or a damaged line, stops
     * the start ({@link StageFailed}: the launcher says why and exits 1).
     */
    static Notebook open(String dir, Consumer<String> log) {
        try {
            return dir == null ? new NoNotebook() : FileNotebook.open(Path.of(dir), log);
        } catch (DataDir.Refused | NotebookLines.Damaged | UncheckedIOException e) {
            throw new StageFailed(e.getMessage());
        }
    }

    // tag::note[]
    /** One note: what it is ({@code "block"}, {@code "payment"}) and the block or payment as JSON values. */
    record Note(String kind, Map<String, Object> entry) {}

    /**
     * Writes the note and forces it to disk: when this returns, a crash (even of the machine) cannot
     * take it away, and only then may the villager act on it. A note that could not be written
     * throws, and the villager must not act on it (a 500, not a 201).
     */
    void append(String kind, Map<String, Object> entry);

    /** Every note it held when it was opened, in the order appended: what the villager starts on. */
    List<Note> readAll();
    // end::note[]

    /** Saves the neighbours' addresses, replacing the list saved before; whole or not at all. */
    void saveNeighbours(Collection<String> neighbours);

    /** The neighbours saved last, or none. */
    List<String> neighbours();

    /** Lets the notebook go: another villager may open it. */
    @Override
    void close();
}

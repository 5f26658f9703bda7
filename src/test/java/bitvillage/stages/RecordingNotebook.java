package bitvillage.stages;

import bitvillage.stages.taught.Notebook;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A notebook in memory that writes into a shared list of events what it forced, and when
 * ({@code "forced payment p1"}, {@code "forced neighbours"}): the test puts the villager's own
 * acknowledgements, announcements and served chains in the same list, and asserts that each comes
 * after the force of what it depends on. A SIGKILL cannot show this (the page cache outlives a
 * killed process); this order can.
 */
final class RecordingNotebook implements Notebook {
    private final List<String> events;
    private final List<Note> notes = new ArrayList<>();
    private List<String> neighbours = List.of();

    RecordingNotebook(List<String> events) {
        this.events = events;
    }

    @Override
    public synchronized void append(String kind, Map<String, Object> entry) {
        notes.add(new Note(kind, entry));
        Object id = entry.containsKey("id") ? entry.get("id") : entry.get("index");
        events.add("forced " + kind + " " + id);
    }

    @Override
    public synchronized List<Note> readAll() {
        return List.copyOf(notes);
    }

    @Override
    public synchronized void saveNeighbours(Collection<String> addresses) {
        neighbours = List.copyOf(addresses);
        events.add("forced neighbours");
    }

    @Override
    public synchronized List<String> neighbours() {
        return neighbours;
    }

    @Override
    public void close() {
        // nothing held
    }

    /** Asserts that {@code first} is in the events, and before {@code then}. */
    static void assertBefore(List<String> events, String first, String then) {
        int a = events.indexOf(first);
        int b = events.indexOf(then);
        if (a < 0 || b < 0 || a > b) throw new AssertionError("expected '" + first + "' before '" + then + "' in " + events);
    }
}

package bitvillage.stages.taught;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The notebook of a villager started without {@code --data}: it keeps nothing, so the villager forgets all as B18 did. */
public final class NoNotebook implements Notebook {
    // tag::keeps-nothing[]
    @Override
    public void append(String kind, Map<String, Object> entry) {
        // nothing kept: a crash loses what this villager alone accepted
    }
    // end::keeps-nothing[]

    @Override
    public List<Note> readAll() {
        return List.of();
    }

    @Override
    public void saveNeighbours(Collection<String> neighbours) {
        // nothing kept
    }

    @Override
    public List<String> neighbours() {
        return List.of();
    }

    @Override
    public void close() {
        // nothing held
    }
}

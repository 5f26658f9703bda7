package bitvillage.stages;

import bitvillage.stages.taught.FileNotebook;
import java.nio.file.Path;

/** A villager reduced to its notebook, for {@link NotebookTest}: opens the notebook in args[0], says so, and waits to be killed. */
public final class NotebookHolder {
    private NotebookHolder() {}

    public static void main(String[] args) throws InterruptedException {
        FileNotebook notebook = FileNotebook.open(Path.of(args[0]), System.err::println);
        notebook.append("payment", java.util.Map.of("id", "held"));
        System.out.println("open");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

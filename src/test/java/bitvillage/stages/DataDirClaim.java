package bitvillage.stages;

import bitvillage.util.guard.DataDir;
import java.nio.file.Path;

/** For {@link NotebookTest}: claims the directory in args[0] as the user this process runs as, and says what became of it. */
public final class DataDirClaim {
    private DataDirClaim() {}

    public static void main(String[] args) {
        try (DataDir dir = DataDir.claim(Path.of(args[0]))) {
            System.out.println("claimed " + dir.path());
        } catch (DataDir.Refused refused) {
            System.out.println(refused.getMessage());
        }
    }
}

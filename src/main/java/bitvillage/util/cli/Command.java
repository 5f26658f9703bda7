package bitvillage.util.cli;

import java.util.List;

/**
 * One line of the launcher's table: a stage, a story or a tool, what it teaches, the book section it
 * belongs to ({@code -} for none), its options, and what it does when it runs.
 */
public record Command(String id, String teaches, String section, List<Options.Option> options, Body body) {

    /** What a command does when it runs; one that serves HTTP answers the server, to stop it later. */
    @FunctionalInterface
    public interface Body {
        AutoCloseable run(Options options, World world) throws Exception;
    }

    /** A command that prints and returns, serving nothing. */
    @FunctionalInterface
    public interface Job {
        void run(Options options, World world) throws Exception;
    }

    /** A story that checks its own steps: false means a step did not turn out as its page says. */
    @FunctionalInterface
    public interface CheckedStory {
        boolean run(Options options, World world) throws Exception;
    }

    public static Command job(String id, String teaches, String section, List<Options.Option> options, Job job) {
        return new Command(id, teaches, section, options, (o, w) -> {
            job.run(o, w);
            return null;
        });
    }

    /** {@code failure} is the launcher's last line when a step went otherwise. */
    public static Command story(String id, String teaches, String section, List<Options.Option> options,
            CheckedStory story, String failure) {
        return new Command(id, teaches, section, options, (o, w) -> {
            if (!story.run(o, w)) throw new StageFailed(failure);
            return null;
        });
    }

    /** How a reader runs it. */
    public String line() {
        return "java -jar target/bitvillage.jar " + id;
    }
}

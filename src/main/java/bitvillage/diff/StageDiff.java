package bitvillage.diff;

import bitvillage.stages.Stages.Stage;
import bitvillage.stages.Stages;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code diff B10} (or {@code diff B9 B10}): what a stage adds to the one it grows from, as a unified
 * diff of the two classes. Each stage is a copy of an earlier one with something added; the diff leaves
 * out each file's header (package, imports, the class's javadoc) and counts the two class names as one,
 * so what is left is what the stage's page teaches. From B13 on, a stage may import what an earlier
 * page taught from {@link Stages#TAUGHT} instead of copying it; a class of that package that the newer
 * stage imports and the older one does not is the newer page's lesson too, and follows, whole, as a
 * new file. The sources come from the jar (pom.xml packs them under {@code sources/}).
 */
public final class StageDiff {
    private StageDiff() {}

    public static final List<Options.Option> OPTIONS = List.of(
            new Options.Option("STAGE", "STAGE", "a stage, diffed against the one it grows from; or two stages, older first"));

    private static final int CONTEXT = 3;

    public static void run(Options options, World world) {
        List<String> named = options.all("STAGE");
        if (named.isEmpty() || named.size() > 2) throw new UsageError("name a stage (diff B10) or two (diff B9 B10)");
        Stage newer = stage(named.get(named.size() - 1));
        String olderId = named.size() == 2 ? stage(named.get(0)).id() : newer.growsFrom();
        if (olderId == null) {
            throw new UsageError(newer.id() + " grows from no stage: it starts afresh (name two stages to compare)");
        }
        Stage older = stage(olderId);
        world.out().print(unified(older, newer));
    }

    /** A stage with a class of its own, by any name the launcher knows it by (B10, b10, B010, B-10.py). */
    public static Stage stage(String name) {
        Stage stage = Stages.findOrNull(name);
        // keys is a lesson whose class lives in bitvillage.keys, not a copy of a stage (and the jar packs only the stages' sources).
        boolean isStageClass = stage != null && stage.source().getPackageName().equals(Stages.class.getPackageName());
        if (!isStageClass) throw new UsageError(name + " is not a stage with a class of its own to diff");
        return stage;
    }

    /** The source of a stage's class, as packed into the jar. */
    public static List<String> source(Stage stage) {
        return source(stage.source().getName());
    }

    /** The source of a class of ours, by its full name, as packed into the jar. */
    public static List<String> source(String className) {
        String path = "/sources/" + className.replace('.', '/') + ".java";
        try (InputStream in = StageDiff.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("the jar holds no " + path + " (build it with mvn package)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The classes of {@link Stages#TAUGHT} that the newer source imports and the older does not, by
     * their full names, in the order imported: what the newer stage's page brings.
     */
    public static List<String> lessonsBrought(List<String> olderSource, List<String> newerSource) {
        List<String> older = taughtImports(olderSource);
        return taughtImports(newerSource).stream().filter(name -> !older.contains(name)).toList();
    }

    /** The classes of {@link Stages#TAUGHT} a source imports ({@code import bitvillage.stages.taught.FeeRate.Pending;} is FeeRate). */
    private static List<String> taughtImports(List<String> source) {
        String prefix = "import " + Stages.TAUGHT + ".";
        List<String> classes = new ArrayList<>();
        for (String line : source) {
            if (!line.startsWith(prefix)) continue;
            String name = Stages.TAUGHT + "." + line.substring(prefix.length()).split("[.;]")[0];
            if (!classes.contains(name)) classes.add(name);
        }
        return classes;
    }

    /** Where the class's body starts: after its {@code public final class} line (or {@code public interface}, for a taught interface). */
    static int bodyStart(List<String> source) {
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).startsWith("public final class ") || source.get(i).startsWith("public interface ")) return i + 1;
        }
        throw new IllegalStateException("no public final class or public interface line");
    }

    static String unified(Stage older, Stage newer) {
        List<String> oldSource = source(older);
        List<String> newSource = source(newer);
        int oldStart = bodyStart(oldSource);
        int newStart = bodyStart(newSource);
        String oldName = older.source().getSimpleName();
        String newName = newer.source().getSimpleName();
        List<String> after = newSource.subList(newStart, newSource.size());
        StringBuilder text = new StringBuilder();
        // A stage that calls the older one's classes instead of copying them adds its whole body.
        boolean uses = after.stream().anyMatch(line -> line.contains(oldName + "."));
        if (uses) text.append(newer.id()).append(" uses ").append(oldName).append(" rather than copying it: all of it is new.\n");
        List<String> before = uses ? List.of() : oldSource.subList(oldStart, oldSource.size());
        // Lines that differ only by the class's name count as the same line.
        List<String> comparedBefore = before.stream().map(line -> line.replace(oldName, newName)).toList();
        List<Edit> edits = edits(comparedBefore, after);
        text.append("--- ").append(older.id()).append(" ").append(oldName).append(".java\n");
        text.append("+++ ").append(newer.id()).append(" ").append(newName).append(".java\n");
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).kind() == ' ') {
                i++;
                continue;
            }
            int from = Math.max(0, i - CONTEXT);
            int to = i;
            // A hunk goes on while the next change is close enough for the contexts to touch.
            for (int j = i; j < edits.size() && j <= to + 2 * CONTEXT; j++) {
                if (edits.get(j).kind() != ' ') to = j;
            }
            int end = Math.min(edits.size(), to + CONTEXT + 1);
            appendHunk(text, edits.subList(from, end), before, after, uses ? 0 : oldStart, newStart);
            i = end;
        }
        List<String> lessons = lessonsBrought(oldSource, newSource);
        if (lessons.isEmpty() && edits.stream().allMatch(edit -> edit.kind() == ' ')) text.append("(no change)\n");
        for (String lesson : lessons) appendNewFile(text, newer, lesson);
        return text.toString();
    }

    /** A class the newer stage's page brings, whole but for its header: every line of it is new. */
    private static void appendNewFile(StringBuilder text, Stage newer, String className) {
        List<String> source = source(className);
        int start = bodyStart(source);
        List<String> body = source.subList(start, source.size());
        text.append("--- /dev/null\n");
        text.append("+++ ").append(newer.id()).append(" ").append(className.substring(className.lastIndexOf('.') + 1))
                .append(".java\n");
        text.append(String.format(Locale.ROOT, "@@ -0,0 +%d,%d @@\n", start + 1, body.size()));
        for (String line : body) text.append('+').append(line).append('\n');
    }

    /** One line of the edit script: kept (' '), removed ('-') or added ('+'), with its place in each file. */
    private record Edit(char kind, int before, int after) {}

    /** The shortest edit script, from the longest common subsequence of lines. */
    private static List<Edit> edits(List<String> before, List<String> after) {
        int n = before.size();
        int m = after.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && before.get(i).equals(after.get(j))) {
                edits.add(new Edit(' ', i++, j++));
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                edits.add(new Edit('-', i++, j)); // what goes comes before what replaces it, as in diff -u
            } else {
                edits.add(new Edit('+', i, j++));
            }
        }
        return edits;
    }

    /** A hunk, numbered by the lines of the whole files (the numbers a reader's editor shows). */
    private static void appendHunk(StringBuilder text, List<Edit> hunk, List<String> before, List<String> after,
            int oldStart, int newStart) {
        long removedOrKept = hunk.stream().filter(edit -> edit.kind() != '+').count();
        long addedOrKept = hunk.stream().filter(edit -> edit.kind() != '-').count();
        // As diff -u numbers them: an empty side names the line before the hunk.
        text.append(String.format(Locale.ROOT, "@@ -%d,%d +%d,%d @@\n",
                oldStart + hunk.get(0).before() + (removedOrKept == 0 ? 0 : 1), removedOrKept,
                newStart + hunk.get(0).after() + (addedOrKept == 0 ? 0 : 1), addedOrKept));
        for (Edit edit : hunk) {
            String line = edit.kind() == '-' ? before.get(edit.before()) : after.get(edit.after());
            // A blank line of context stays blank (no trailing space), as patch accepts it.
            if (edit.kind() == ' ' && line.isEmpty()) text.append('\n');
            else text.append(edit.kind()).append(line).append('\n');
        }
    }
}

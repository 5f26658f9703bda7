package bitvillage.exercises;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import bitvillage.stages.Stages;
import bitvillage.util.cli.Nearest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What a learner runs: {@code mvn -q test -Pexercises -Dexercise=B02.1}, or without {@code -Dexercise}
 * for all of them. The profile {@code exercises} of pom.xml compiles the stubs, their tests and this
 * class into target/exercise-classes and runs this main there (exec-maven-plugin, in Maven's JVM, from
 * the project's root) instead of surefire. It knows the exercises by the tags of the tests compiled
 * beside it, runs the tests asked for with the JUnit launcher, keeps what they print to itself, and
 * says first which file to edit and what is wrong: one exercise in a line or two, all of them in a
 * table. Exit status: 0 when every exercise asked for passes, 1 when one fails, 2 for an unknown id.
 * See src/exercises/README.md; ExercisesTest runs it on stubs, an answer and a mistake.
 */
public final class ExerciseRunner {
    private ExerciseRunner() {}

    /** Where the learner edits a stub, and where its test is, from the project's root. */
    static final String STUBS = "src/exercises/java/bitvillage/exercises/";
    static final String TESTS = "src/exercises/test/bitvillage/exercises/";
    static final String COMMAND = "mvn -q test -Pexercises -Dexercise=";
    /** A stage's two digits (B02.1), or the command of a lesson that is no numbered stage (keys.1), then a number. */
    private static final Pattern ID = Pattern.compile("(B\\d\\d|[a-z]+)\\.(\\d+)");
    /** How a learner may mistype an id: B2.1, b02.1, 2.1. */
    private static final Pattern LOOSE_ID = Pattern.compile("[Bb]?0*(\\d{1,2})\\.(\\d+)");
    /** In reading order: the lessons as the stage list has them, then each lesson's exercises by number. */
    private static final Comparator<String> BY_ID = Comparator
            .comparingInt(ExerciseRunner::lessonOrder).thenComparingInt(id -> number(id, 2)).thenComparing(id -> id);
    /** What the tests print is shown after the report, for a failing exercise, up to this many lines. */
    private static final int PRINTED_LINES = 30;

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out);
        System.out.flush();
        // exec:java runs this in Maven's own JVM: ending it here, with the status, spares the learner
        // Maven's BUILD FAILURE lines after ours. On success Maven ends as usual, quietly under -q.
        if (status != 0) System.exit(status);
    }

    /** One exercise: its id (the tag of its test) and its test class, which tests the stub of the same name without "Test". */
    record Exercise(String id, String testClass) {
        String stubClass() {
            return testClass.substring(0, testClass.length() - "Test".length());
        }

        /** The stub's file name, as in its folder: B02ValidNonce.java. */
        String fileName() {
            return stubClass().substring(stubClass().lastIndexOf('.') + 1) + ".java";
        }

        /** The file the learner edits, from the project's root. */
        String file() {
            return STUBS + fileName();
        }

        String testFileName() {
            return testClass.substring(testClass.lastIndexOf('.') + 1) + ".java";
        }
    }

    /** One test of an exercise (or its class, when the class itself failed) and its failure, null when it passed. */
    private record Check(String name, Throwable failure) {
        boolean passed() {
            return failure == null;
        }
    }

    private enum Result {
        SOLVED("solved"), NOT_WRITTEN("not written yet"), FAILING("failing");

        final String words;

        Result(String words) {
            this.words = words;
        }
    }

    /**
     * Runs the exercises named in {@code args} (ids separated by commas or spaces; all of them when
     * there are none) and reports on {@code out}; answers the exit status.
     */
    public static int run(String[] args, PrintStream out) throws Exception {
        Set<String> asked = new LinkedHashSet<>();
        for (String arg : args) {
            if (arg == null) continue;
            for (String id : arg.trim().split("[,\\s]+")) {
                if (!id.isEmpty()) asked.add(id);
            }
        }
        Launcher launcher = LauncherFactory.create();
        Map<String, Exercise> exercises = exercises(launcher);
        if (exercises.isEmpty()) {
            out.println("No exercise tests were found beside " + ExerciseRunner.class.getName() + ": are they compiled?");
            return 2;
        }
        for (String id : asked) {
            if (!exercises.containsKey(id)) {
                unknown(id, exercises.keySet(), out);
                return 2;
            }
        }
        if (!Files.isDirectory(Path.of("src/exercises"))) {
            out.println("Run the exercises from the project's root, the folder of pom.xml: their tests read files under src/.");
            return 2;
        }
        List<Exercise> chosen = new ArrayList<>();
        for (String id : asked.isEmpty() ? exercises.keySet() : asked) chosen.add(exercises.get(id));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<Exercise, List<Check>> checks = execute(launcher, chosen, printed);
        Map<Exercise, Result> results = new LinkedHashMap<>();
        for (Exercise exercise : chosen) results.put(exercise, result(exercise, checks.get(exercise)));

        if (chosen.size() == 1) {
            Exercise exercise = chosen.get(0);
            report(exercise, results.get(exercise), checks.get(exercise), printed.toString(StandardCharsets.UTF_8), out);
        } else {
            table(results, out);
        }
        return results.values().stream().allMatch(result -> result == Result.SOLVED) ? 0 : 1;
    }

    /** The exercises, by id, from the tags of the test classes compiled in the same place as this class. */
    private static Map<String, Exercise> exercises(Launcher launcher) throws Exception {
        Path root = Path.of(ExerciseRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        TestPlan plan = launcher.discover(request().selectors(selectClasspathRoots(Set.of(root))).build());
        Map<String, Exercise> exercises = new TreeMap<>(BY_ID);
        for (TestIdentifier engine : plan.getRoots()) {
            for (TestIdentifier container : plan.getDescendants(engine)) {
                if (!(container.getSource().orElse(null) instanceof ClassSource source)) continue;
                for (TestTag tag : container.getTags()) {
                    if (ID.matcher(tag.getName()).matches()) {
                        exercises.putIfAbsent(tag.getName(), new Exercise(tag.getName(), source.getClassName()));
                    }
                }
            }
        }
        return exercises;
    }

    private static void unknown(String typed, Set<String> ids, PrintStream out) {
        String nearest = null;
        Matcher loose = LOOSE_ID.matcher(typed);
        if (loose.matches()) {
            String id = String.format("B%02d.%d", Integer.parseInt(loose.group(1)), Integer.parseInt(loose.group(2)));
            if (ids.contains(id)) nearest = id;
        }
        if (nearest == null) nearest = Nearest.among(typed, ids);
        out.println("There is no exercise " + typed + (nearest == null ? "." : "; did you mean " + nearest + "?"));
        out.println("The exercises: " + String.join(" ", ids));
        out.println("Run one with " + COMMAND + (nearest == null ? ids.iterator().next() : nearest)
                + ", or all of them without -Dexercise.");
    }

    /** Runs the exercises' tests; what they print goes to {@code printed}, not to the learner's console. */
    private static Map<Exercise, List<Check>> execute(Launcher launcher, List<Exercise> chosen, ByteArrayOutputStream printed) {
        Map<String, Exercise> byClass = new LinkedHashMap<>();
        for (Exercise exercise : chosen) byClass.put(exercise.testClass(), exercise);
        Map<Exercise, List<Check>> checks = new LinkedHashMap<>();
        for (Exercise exercise : chosen) checks.put(exercise, new ArrayList<>());
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                if (!test.isTest() && passed) return;
                TestSource source = test.getSource().orElse(null);
                String name;
                String testClass;
                if (source instanceof MethodSource method) {
                    name = method.getMethodName();
                    testClass = method.getClassName();
                } else if (source instanceof ClassSource type) {
                    name = "the class " + type.getClassName().substring(type.getClassName().lastIndexOf('.') + 1);
                    testClass = type.getClassName();
                } else {
                    // The engine itself failed: charge it to every exercise, so that none passes unseen.
                    for (List<Check> each : checks.values()) each.add(new Check(test.getDisplayName(), failure(result)));
                    return;
                }
                Exercise exercise = byClass.get(testClass);
                if (exercise != null) checks.get(exercise).add(new Check(name, passed ? null : failure(result)));
            }
        };
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            launcher.execute(request().selectors(chosen.stream().map(exercise -> selectClass(exercise.testClass())).toList()).build(),
                    listener);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return checks;
    }

    private static Throwable failure(TestExecutionResult result) {
        return result.getThrowable().orElseGet(() -> new AssertionError("the test was " + result.getStatus().toString().toLowerCase(Locale.ROOT)));
    }

    private static Result result(Exercise exercise, List<Check> checks) {
        if (!checks.isEmpty() && checks.stream().allMatch(Check::passed)) return Result.SOLVED;
        return stubMessage(exercise).isPresent() ? Result.NOT_WRITTEN : Result.FAILING;
    }

    /**
     * The stub's message, {@code exercise B02.1: write B02ValidNonce.validNonce}, when the class that ran
     * still holds it: the stub as shipped, its {@code throw} still there. The compiled class is read, not
     * the source, so that this judges the code the tests ran.
     */
    private static Optional<String> stubMessage(Exercise exercise) {
        byte[] bytes;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(exercise.stubClass().replace('.', '/') + ".class")) {
            if (in == null) return Optional.empty();
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return Optional.empty();
        }
        byte[] mark = ("exercise " + exercise.id() + ":").getBytes(StandardCharsets.UTF_8);
        for (int at = 2; at + mark.length <= bytes.length; at++) {
            if (!Arrays.equals(bytes, at, at + mark.length, mark, 0, mark.length)) continue;
            // A string constant of a class file is its length in two bytes, then its text (modified UTF-8).
            try {
                return Optional.of(new DataInputStream(new ByteArrayInputStream(bytes, at - 2, bytes.length - at + 2)).readUTF());
            } catch (IOException e) {
                return Optional.of(new String(mark, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** One exercise: its result first, in one or two lines; for a failing one, every failed check and what the tests printed. */
    private static void report(Exercise exercise, Result result, List<Check> checks, String printed, PrintStream out) {
        long passed = checks.stream().filter(Check::passed).count();
        switch (result) {
            case SOLVED -> out.printf("%s solved: %s passes all %d tests of %s%n",
                    exercise.id(), exercise.fileName(), passed, exercise.testFileName().replace(".java", ""));
            case NOT_WRITTEN -> {
                out.printf("%s not written yet: write %s%n", exercise.id(), exercise.file());
                out.printf("  it still throws UnsupportedOperationException(\"%s\")%n", stubMessage(exercise).orElse(""));
            }
            case FAILING -> {
                List<Check> failed = checks.stream().filter(check -> !check.passed()).toList();
                out.printf("%s failing: edit %s%n", exercise.id(), exercise.file());
                if (failed.isEmpty()) {
                    out.println("  its test " + exercise.testFileName() + " ran no test");
                    return;
                }
                out.printf("  %s: %s%n", failed.get(0).name(), shorten(whatIsWrong(exercise, failed.get(0).failure())));
                out.printf("%n%d of %d tests fail (%s%s):%n", failed.size(), checks.size(), TESTS, exercise.testFileName());
                for (Check check : failed) {
                    out.printf("  %s%s%n", check.name(), line(check.failure(), exercise.testFileName()));
                    for (String line : whatIsWrongInFull(exercise, check.failure()).split("\\R")) out.println("    " + line);
                }
                List<String> lines = printed.isBlank() ? List.of() : printed.lines().toList();
                if (!lines.isEmpty()) {
                    out.printf("%nWhat the tests printed (%d lines):%n", lines.size());
                    lines.stream().limit(PRINTED_LINES).forEach(line -> out.println("  " + line));
                    if (lines.size() > PRINTED_LINES) out.printf("  … %d more lines%n", lines.size() - PRINTED_LINES);
                }
            }
        }
    }

    /** Several exercises: one row each, then a count and the command that shows the first unsolved one. */
    private static void table(Map<Exercise, Result> results, PrintStream out) {
        int width = "File".length();
        for (Exercise exercise : results.keySet()) width = Math.max(width, exercise.fileName().length());
        String row = "%-9s %-" + width + "s  %s%n";
        out.printf(row, "Exercise", "File", "Result");
        Map<Result, Integer> counts = new TreeMap<>();
        for (Map.Entry<Exercise, Result> entry : results.entrySet()) {
            out.printf(row, entry.getKey().id(), entry.getKey().fileName(), entry.getValue().words);
            counts.merge(entry.getValue(), 1, Integer::sum);
        }
        List<String> others = new ArrayList<>();
        for (Result result : List.of(Result.FAILING, Result.NOT_WRITTEN)) {
            if (counts.containsKey(result)) others.add(counts.get(result) + " " + result.words);
        }
        out.printf("Solved %d of %d%s; the files are in %s%n", counts.getOrDefault(Result.SOLVED, 0), results.size(),
                others.isEmpty() ? "" : " (" + String.join(", ", others) + ")", STUBS);
        results.entrySet().stream().filter(entry -> entry.getValue() == Result.FAILING).findFirst()
                .ifPresentOrElse(entry -> out.println("What is wrong with " + entry.getKey().id() + ": " + COMMAND + entry.getKey().id()),
                        () -> results.entrySet().stream().filter(entry -> entry.getValue() != Result.SOLVED).findFirst()
                                .ifPresent(entry -> out.println("Next: " + COMMAND + entry.getKey().id())));
    }

    /** What is wrong, in a line: an assertion's message, or an exception and where in the stub it was thrown. */
    private static String whatIsWrong(Exercise exercise, Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage().strip().lines().findFirst().orElse("");
        if (failure instanceof AssertionError) return message.isEmpty() ? failure.getClass().getSimpleName() : message;
        return failure.getClass().getSimpleName() + line(failure, exercise.fileName()) + (message.isEmpty() ? "" : ": " + message);
    }

    /** What is wrong, in full: an assertion's whole message, or an exception and its frames in the exercises' code. */
    private static String whatIsWrongInFull(Exercise exercise, Throwable failure) {
        if (failure instanceof AssertionError && failure.getMessage() != null) return failure.getMessage().strip();
        StringBuilder text = new StringBuilder(failure.toString());
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (!frame.getClassName().startsWith("bitvillage.exercises.")) continue;
            text.append("\n  at ").append(frame);
            if (frame.getClassName().equals(exercise.testClass())) break;
        }
        return text.toString();
    }

    /** " (B02ValidNonceTest.java:14)": where in that file the failure came from, when it did; empty when not. */
    private static String line(Throwable failure, String fileName) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (fileName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                return " (" + fileName + ":" + frame.getLineNumber() + ")";
            }
        }
        return "";
    }

    private static String shorten(String text) {
        return text.length() <= 160 ? text : text.substring(0, 159) + "…";
    }

    private static int lessonOrder(String id) {
        Matcher matcher = ID.matcher(id);
        Stages.Stage lesson = matcher.matches() ? Stages.findOrNull(matcher.group(1)) : null;
        return lesson == null ? Integer.MAX_VALUE : Stages.ALL.indexOf(lesson);
    }

    private static int number(String id, int group) {
        Matcher matcher = ID.matcher(id);
        return matcher.matches() ? Integer.parseInt(matcher.group(group)) : Integer.MAX_VALUE;
    }
}

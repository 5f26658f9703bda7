package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The exercises are real: every exercise test fails on the stub as shipped and passes on the
 * reference answer. The stubs (src/exercises/java) and the answers (src/exercises/answers) are each
 * compiled with the tests (src/exercises/test) into a directory of their own under
 * target/exercises/, and the tests run there; the reader's tree is only read. A stub the reader has
 * already solved (it no longer throws the stub's "exercise Bnn.n" exception) is not checked: the
 * answer stands in for it, so the reader's work never breaks this build. And a few typical wrong
 * answers (src/exercises/mistakes) must each fail a test of their exercise. See src/exercises/README.md.
 */
class ExercisesTest {
    private static final Path EXERCISES = Path.of("src/exercises");
    private static final Path STUBS = EXERCISES.resolve("java");
    private static final Path ANSWERS = EXERCISES.resolve("answers");
    private static final Path TESTS = EXERCISES.resolve("test");
    private static final Path MISTAKES = EXERCISES.resolve("mistakes");
    private static final Path PACKAGE = Path.of("bitvillage", "exercises");
    /** An exercise's id: a stage's two digits (B02.1), or the command of a page that is no stage (keys.1), then its number. */
    private static final String ID = "((?:B\\d\\d|[a-z]+)\\.\\d+)";
    private static final Pattern TAG = Pattern.compile("@Tag\\(\"" + ID + "\"\\)");
    private static final Pattern COMMAND = Pattern.compile("mvn -q test -Pexercises -Dexercise=" + ID);

    /** One exercise: its id, its stub's file name, and its test class. */
    private record Exercise(String id, String file, String testClass) {
        /** Is the reader's stub still the one shipped, the one that throws until it is written? */
        boolean unsolved() throws IOException {
            return Files.readString(STUBS.resolve(PACKAGE).resolve(file), StandardCharsets.UTF_8)
                    .contains("new UnsupportedOperationException(\"exercise " + id + ":");
        }
    }

    /** Each {@code *Test.java} of the exercises' tests, tagged with its exercise's id, tests the class of the same name without "Test". */
    private static List<Exercise> exercises() throws IOException {
        List<Exercise> exercises = new ArrayList<>();
        for (Path test : javaFiles(TESTS)) {
            String name = test.getFileName().toString();
            if (!name.endsWith("Test.java")) continue; // a helper the tests share
            Matcher tag = TAG.matcher(Files.readString(test, StandardCharsets.UTF_8));
            assertTrue(tag.find(), test + " names no exercise: it needs @Tag(\"Bnn.n\"), or @Tag(\"keys.n\") for the keys page");
            String stubFile = name.replace("Test.java", ".java");
            exercises.add(new Exercise(tag.group(1), stubFile, "bitvillage.exercises." + name.replace(".java", "")));
        }
        assertFalse(exercises.isEmpty(), "no exercise tests under " + TESTS);
        return exercises;
    }

    @Test
    void everyExerciseFailsOnItsStubAndPassesOnItsAnswer() throws Exception {
        long start = System.nanoTime();
        List<Exercise> exercises = exercises();
        Set<String> stubFiles = fileNames(STUBS);
        Set<String> answerFiles = fileNames(ANSWERS);
        assertEquals(stubFiles, answerFiles, "every stub has an answer, and every answer a stub");
        for (Exercise exercise : exercises) {
            assertTrue(stubFiles.contains(exercise.file()), exercise.testClass() + " tests " + exercise.file() + ", which has no stub");
        }
        List<String> testClasses = exercises.stream().map(Exercise::testClass).toList();

        Map<String, Outcome> onAnswers = run(compile("answers", javaFiles(ANSWERS)), testClasses);
        List<String> problems = new ArrayList<>();
        for (Exercise exercise : exercises) {
            List<Outcome> tests = of(onAnswers, exercise);
            if (tests.isEmpty()) problems.add(exercise.id() + ": " + exercise.testClass() + " runs no test");
            for (Outcome test : tests) {
                if (!test.passed()) problems.add(exercise.id() + ": " + test.name() + " fails on the answer: " + test.failure());
            }
        }

        // The stubs as shipped; where the reader has written one, its answer in its place.
        List<Exercise> unsolved = new ArrayList<>();
        Set<String> solvedFiles = new TreeSet<>();
        for (Exercise exercise : exercises) {
            if (exercise.unsolved()) unsolved.add(exercise);
            else solvedFiles.add(exercise.file());
        }
        List<Path> stubs = new ArrayList<>();
        for (String file : stubFiles) stubs.add((solvedFiles.contains(file) ? ANSWERS : STUBS).resolve(PACKAGE).resolve(file));
        Path stubClasses = compile("stubs", stubs);
        // A stub that throws inside a route makes the node print the stack trace, as it should for a
        // reader; here that trace is expected, so it is kept out of the build's log.
        PrintStream err = System.err;
        Map<String, Outcome> onStubs;
        try {
            System.setErr(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            onStubs = run(stubClasses, testClasses);
        } finally {
            System.setErr(err);
        }
        for (Exercise exercise : unsolved) {
            for (Outcome test : of(onStubs, exercise)) {
                if (test.passed()) problems.add(exercise.id() + ": " + test.name() + " passes on the stub " + exercise.file());
            }
        }

        // Typical wrong answers, each in place of its answer: every one must fail a test of its exercise.
        Set<String> mistakeFiles = fileNames(MISTAKES);
        List<Path> withMistakes = new ArrayList<>();
        for (String file : stubFiles) withMistakes.add((mistakeFiles.contains(file) ? MISTAKES : ANSWERS).resolve(PACKAGE).resolve(file));
        assertTrue(stubFiles.containsAll(mistakeFiles), "every mistake is a wrong answer to an exercise");
        Map<String, Outcome> onMistakes = run(compile("mistakes", withMistakes), testClasses);
        for (Exercise exercise : exercises) {
            if (mistakeFiles.contains(exercise.file()) && of(onMistakes, exercise).stream().allMatch(Outcome::passed)) {
                problems.add(exercise.id() + ": the tests of " + exercise.file() + " pass on the mistake in " + MISTAKES);
            }
        }

        assertEquals(List.of(), problems);
        System.out.printf("Exercises: %d, %d tests; all pass on the answers, all %d tests of the %d unsolved stubs fail,"
                        + " and the %d typical mistakes are caught; %.1f s%n",
                exercises.size(), onAnswers.size(), of(onStubs, unsolved).size(), unsolved.size(), mistakeFiles.size(),
                (System.nanoTime() - start) / 1e9);
    }

    /** A page names an exercise by the command that runs it; every exercise is on a page, and every command runs one. */
    @Test
    void everyExerciseIsOnAPageAndEveryCommandOnAPageRunsOne() throws IOException {
        Set<String> ids = new TreeSet<>();
        for (Exercise exercise : exercises()) ids.add(exercise.id());
        Set<String> onPages = new TreeSet<>();
        try (Stream<Path> pages = Files.list(Path.of("chapters"))) {
            for (Path page : pages.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                Matcher command = COMMAND.matcher(Files.readString(page, StandardCharsets.UTF_8));
                while (command.find()) {
                    String id = command.group(1);
                    onPages.add(id);
                    String stage = id.substring(0, id.indexOf('.'));
                    assertTrue(page.getFileName().toString().startsWith(stage) || page.getFileName().toString().equals("README.md"),
                            page + " gives the command of exercise " + id + ", which belongs on the page of " + stage);
                }
            }
        }
        assertEquals(ids, onPages, "the exercises (left) and the commands on the pages (right)");
    }

    private record Outcome(String testClass, String name, boolean passed, String failure) {}

    private static List<Outcome> of(Map<String, Outcome> outcomes, Exercise exercise) {
        return outcomes.values().stream().filter(outcome -> outcome.testClass().equals(exercise.testClass())).toList();
    }

    private static List<Outcome> of(Map<String, Outcome> outcomes, List<Exercise> exercises) {
        return exercises.stream().flatMap(exercise -> of(outcomes, exercise).stream()).toList();
    }

    /** Compiles these sources with the exercises' tests into target/exercises/NAME, with the test class path. */
    private static Path compile(String name, List<Path> sources) throws IOException {
        Path out = Path.of("target", "exercises", name);
        deleteTree(out);
        Files.createDirectories(out);
        List<Path> all = new ArrayList<>(sources);
        all.addAll(javaFiles(TESTS));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror", "-proc:none", "-implicit:none",
                    "-d", out.toString(), "-classpath", System.getProperty("java.class.path"));
            boolean compiled = javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(all)).call();
            if (!compiled) {
                StringBuilder errors = new StringBuilder();
                for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
                    errors.append('\n').append(diagnostic);
                }
                fail("the exercises with the " + name + " do not compile:" + errors);
            }
        }
        return out;
    }

    /** Runs the test classes compiled into {@code classes}; answers each test's outcome by its unique id. */
    private static Map<String, Outcome> run(Path classes, List<String> testClasses) throws Exception {
        Map<String, Outcome> outcomes = new TreeMap<>();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ExercisesTest.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            List<DiscoverySelector> selectors = new ArrayList<>();
            for (String testClass : testClasses) selectors.add(DiscoverySelectors.selectClass(loader.loadClass(testClass)));
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors).build(),
                    new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                            if (!test.isTest()) return;
                            String testClass = test.getUniqueId().replaceAll(".*\\[class:([^\\]]+)].*", "$1");
                            boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                            String failure = result.getThrowable().map(Throwable::toString).orElse("");
                            outcomes.put(test.getUniqueId(), new Outcome(testClass, testClass + "#" + test.getDisplayName(), passed, failure));
                        }
                    });
        } finally {
            thread.setContextClassLoader(before);
        }
        return outcomes;
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static Set<String> fileNames(Path root) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : javaFiles(root)) {
            assertEquals(root.resolve(PACKAGE), file.getParent(), file + ": exercises live in package bitvillage.exercises");
            names.add(file.getFileName().toString());
        }
        return names;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}

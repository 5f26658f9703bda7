package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
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
 * answers (src/exercises/mistakes) must each fail a test of their exercise. The runner the reader's
 * command runs (src/exercises/runner) is run too, on a mistake, an answer and the stubs. See
 * src/exercises/README.md.
 */
class ExercisesTest {
    private static final Path EXERCISES = Path.of("src/exercises");
    private static final Path STUBS = EXERCISES.resolve("java");
    private static final Path ANSWERS = EXERCISES.resolve("answers");
    private static final Path TESTS = EXERCISES.resolve("test");
    private static final Path MISTAKES = EXERCISES.resolve("mistakes");
    private static final Path RUNNER = EXERCISES.resolve("runner");
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

    /**
     * The learner's command runs ExerciseRunner (src/exercises/runner) in the profile "exercises"; here it
     * runs in process, as that command would, on the exercises with one typical mistake (B02.1's zeros at
     * the end), one answer (B02.2) and the rest as the reader's tree has them: an unknown id is answered
     * with the ids and the nearest one, a solved exercise with one line, an unwritten or wrong one with
     * the file to edit and what is wrong first, and all of them with a table.
     */
    @Test
    void theRunnerSaysFirstWhichFileToEditAndWhatIsWrong() throws Exception {
        List<Exercise> exercises = exercises();
        Exercise mistaken = exercises.stream().filter(exercise -> exercise.id().equals("B02.1")).findFirst().orElseThrow();
        Exercise answered = exercises.stream().filter(exercise -> exercise.id().equals("B02.2")).findFirst().orElseThrow();
        List<Path> sources = new ArrayList<>();
        Exercise unwritten = null;
        for (Exercise exercise : exercises) {
            Path source = (exercise == mistaken ? MISTAKES : exercise == answered || !exercise.unsolved() ? ANSWERS : STUBS)
                    .resolve(PACKAGE).resolve(exercise.file());
            if (unwritten == null && source.startsWith(STUBS)) unwritten = exercise;
            sources.add(source);
        }
        sources.addAll(javaFiles(RUNNER));
        Path classes = compile("runner", sources);
        String mistakenFile = "src/exercises/java/bitvillage/exercises/B02ValidNonce.java";

        try (Runner runner = new Runner(classes)) {
            Ran typo = runner.run("B2.1");
            assertEquals(2, typo.status(), typo.text());
            assertTrue(typo.lines().get(0).contains("no exercise B2.1; did you mean B02.1?"), typo.text());
            for (Exercise exercise : exercises) {
                assertTrue(typo.lines().get(1).contains(" " + exercise.id()), "the second line lists " + exercise.id() + ":\n" + typo.text());
            }

            Ran solved = runner.run("B02.2");
            assertEquals(0, solved.status(), solved.text());
            assertEquals(1, solved.lines().size(), solved.text());
            assertTrue(solved.lines().get(0).startsWith("B02.2 solved: B02FindNonce.java passes all "), solved.text());

            Ran wrong = runner.run("B02.1");
            assertEquals(1, wrong.status(), wrong.text());
            assertEquals("B02.1 failing: edit " + mistakenFile, wrong.lines().get(0), wrong.text());
            assertEquals("  theBooksNonces: 35293 after the genesis nonce 100 ==> expected: <true> but was: <false>",
                    wrong.lines().get(1), wrong.text());

            if (unwritten != null) { // on a clean clone, as in CI, every other stub is as shipped
                Ran stub = runner.run(unwritten.id());
                assertEquals(1, stub.status(), stub.text());
                assertEquals(unwritten.id() + " not written yet: write src/exercises/java/bitvillage/exercises/" + unwritten.file(),
                        stub.lines().get(0), stub.text());
                assertTrue(stub.lines().get(1).startsWith("  it still throws UnsupportedOperationException(\"exercise " + unwritten.id() + ": "),
                        stub.text());
                assertEquals(2, stub.lines().size(), stub.text());
            }

            Ran all = runner.run("");
            assertEquals(1, all.status(), all.text());
            assertTrue(all.lines().size() <= exercises.size() + 3, "a short table:\n" + all.text());
            assertEquals(List.of("Exercise", "File", "Result"), List.of(all.lines().get(0).split(" +")), all.text());
            for (Exercise exercise : exercises) {
                String result = exercise == mistaken ? "failing" : exercise == answered || !exercise.unsolved() ? "solved" : "not written yet";
                assertTrue(all.lines().stream().anyMatch(line -> line.matches(Pattern.quote(exercise.id()) + " +"
                                + Pattern.quote(exercise.file()) + " +" + Pattern.quote(result))),
                        exercise.id() + " is " + result + " in the table:\n" + all.text());
            }
            assertTrue(all.text().contains("What is wrong with B02.1: mvn -q test -Pexercises -Dexercise=B02.1"), all.text());
        }
    }

    /** What the runner said, and its exit status. */
    private record Ran(int status, String text) {
        List<String> lines() {
            return text.lines().toList();
        }
    }

    /** ExerciseRunner.run as compiled into {@code classes}, with the exercises' tests beside it, run in this JVM. */
    private static final class Runner implements AutoCloseable {
        private final URLClassLoader loader;
        private final Method run;

        Runner(Path classes) throws Exception {
            loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ExercisesTest.class.getClassLoader());
            run = loader.loadClass("bitvillage.exercises.ExerciseRunner").getMethod("run", String[].class, PrintStream.class);
        }

        Ran run(String... args) throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread thread = Thread.currentThread();
            ClassLoader before = thread.getContextClassLoader();
            try (PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                thread.setContextClassLoader(loader);
                int status = (int) run.invoke(null, args, stream);
                return new Ran(status, out.toString(StandardCharsets.UTF_8));
            } finally {
                thread.setContextClassLoader(before);
            }
        }

        @Override
        public void close() throws IOException {
            loader.close();
        }
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

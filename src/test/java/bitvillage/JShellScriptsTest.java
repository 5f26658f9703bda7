package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script in {@code jshell/} as {@code jshell --class-path target/bitvillage.jar SCRIPT} would:
 * snippet by snippet, with the project's classes. A script fails when a snippet does
 * not compile, throws, or prints an exception, when it does not end with {@code /exit} (the reader's
 * command would then wait for input), or when it does not print the book's values listed here.
 * Unlike the jshell tool, the API imports nothing by default, so a script must import what it uses.
 */
class JShellScriptsTest {

    private static final Path SCRIPTS = Path.of("jshell");

    /** What each script must print: the book's numbers, so a script that runs but shows nothing fails. */
    private static final Map<String, List<String>> GOLDEN = Map.of(
            "01-digests.jsh", List.of(
                    "SHA-256 of 'apple': 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
                    "64 hex digits = 32 bytes = 256 bits",
                    "SHA-1 of 'apple':   d0be2dc421be4fcd0172e5afceea3970e2f3d940",
                    "40 hex digits = 20 bytes = 160 bits",
                    "Sha256.hex is plain SHA-256: true"),
            "02-fingerprints.jsh", List.of(
                    "h1 equals h2: true",
                    "'dog': cd6357efdd966de8c0cb2f876cc89ec74ce35f0968e11743987084bd42fb8944",
                    "'cat': 77af778b51abd4a3c51c5ddd97204a9c3ae614ebccb75a606c3b6865aed6744e",
                    "'Apple': f223faa96f22916294922b171a2696d868fd1f9129302eb41a45b2a2ea2ebbfd",
                    "'This is an apple': 69bb57b00a3ca55cb353e3337ef511c77e49cbb232384939eb5d71b6c631bd82 (64 hex digits)",
                    "Message was tampered with: 明天早上十點集合"),
            "03-sorted-json.jsh", List.of(
                    "PyJson.dumps(block): {\"1\": \"cat\", \"2\": \"dog\"}",
                    "SHA-256 of it:       91ecf21df62be90e84490fc80621e3a1ea20c6b88b89ab606881dba7a892237f",
                    "Filled 1 first, hash: 91ecf21df62be90e84490fc80621e3a1ea20c6b88b89ab606881dba7a892237f"),
            "04-uuid.jsh", List.of(
                    "version 4 (random), variant 2",
                    "(32 hex digits)",
                    "From the name 小美: cb92be63-6acc-39e6-89b8-9668faf7008b (version 3)"),
            "05-blockchain-session.jsh", List.of(
                    "\"previous_hash\": 1,",
                    "小美 pays 大華 699; it will go into block 2",
                    "Nonce found: 35293",
                    "sha256(\"10035293\") = 0000c415de5ceea33c02daa85a1c218ecca1b1c9e9864ed34d183597844de8e2",
                    "Valid: true; one less: false",
                    "Linked to the genesis block: true",
                    "The block after it needs nonce 35089",
                    "\"nonce\": 35089,",
                    "block 3 still matches block 2: false"),
            "06-forgery.jsh", List.of(
                    "Nonces of the honest chain: [100, 35293, 35089, 119678, 146502]",
                    "Nonces tried to mine blocks 2 to 5: 336566",
                    "The payment is confirmed in block 2 with 4 confirmations",
                    "Before relinking, valid: false",
                    "Why: invalid chain: block 3: previous_hash is not the hash of block 2",
                    "Nonces of the rewritten chain: [100, 35293, 35089, 119678, 146502]",
                    "After relinking, valid: true",
                    "Block 3's nonce still fits block 2's: true",
                    "Nonces searched for the rewrite: 0",
                    "With an earlier last block, still valid: true",
                    "\"recipient\": \"小美\","),
            "07-odds.jsh", List.of(
                    "z=1 P=0.2045873",
                    "z=10 P=0.0000012",
                    "z=50 P=0.0000006",
                    "q=0.45 z=340",
                    "By hand, q = 0.1, z = 1: 0.2000000",
                    "Odds.exact(0.1, 1):       0.2000000",
                    "The attacker caught up in 200,538 of 1,000,000 races: 0.20054",
                    "0.2 inside it: true; the paper's 0.2045873 inside it: false"),
            "08-mempool.jsh", List.of(
                    "村長: fee 8, 188 bytes, 0.0426 a byte",
                    "  takes [村長, 小美, 阿明], 430 bytes, fees 20",
                    "  takes [小美, 阿明, 阿花, 阿志], 484 bytes, fees 24",
                    "Fee rate earns 24, fee earns 20: 4 more for the same 500 bytes",
                    "B14's chooseBlock: [小美, 阿明, 阿花, 阿志]"),
            "09-keys.jsh", List.of(
                    "G is on the curve: true",
                    "2G by hand: x = c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
                    "The same as G.twice(): true; as G + G: true",
                    "小美's address:    3773d43668b5c5cff334af9487b947cc0ec61f27d3f7f2c7b172fb68c0cfa261",
                    "Her address is the x of her secret times G: true",
                    "Her signature: f2f4b2b57ce6d70cf0213f2db2c9c6dc41e8ebb618ecc5942e709d2908b97945",
                    "It holds for her address: true",
                    "大華's signature in her name holds: false (sG - eP has another x than the signature's r)",
                    "Her signature on the changed slip holds: false"));

    /** A Java exception's name or a stack trace line, wherever it was printed. */
    private static final Pattern EXCEPTION = Pattern.compile("[\\w$.]*(Exception|Error)\\b|\\n\\s+at \\S+\\(");

    @Test
    void everyScriptHasGoldenValues() throws IOException {
        assertEquals(new TreeSet<>(GOLDEN.keySet()), new TreeSet<>(scripts()),
                "each script in jshell/ needs golden values in this test, and each listed script must exist");
    }

    @TestFactory
    Stream<DynamicTest> everyScriptRunsCleanlyAndPrintsTheBooksValues() throws IOException {
        return scripts().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String runLine = "// Run: jshell --class-path target/bitvillage.jar jshell/" + name;
            assertTrue(Files.readAllLines(SCRIPTS.resolve(name), StandardCharsets.UTF_8).subList(0, 3).contains(runLine),
                    name + " should tell the reader how to run it near the top:\n" + runLine);
            String output = run(SCRIPTS.resolve(name));
            for (String expected : GOLDEN.getOrDefault(name, List.of())) {
                assertTrue(output.contains(expected), name + " should print\n  " + expected + "\nbut printed:\n" + output);
            }
        }));
    }

    /** The test's own splitter and checks must catch what they are meant to catch. */
    @Test
    void aBrokenScriptFails() {
        assertFailure("int x = 1;\nSystem.out.println(x / 0);\n/exit\n", "ArithmeticException");
        assertFailure("String s = 42;\n/exit\n", "REJECTED");
        assertFailure("System.out.println(new IllegalStateException(\"printed\"));\n/exit\n", "printed an exception");
        assertFailure("System.out.println(\"no exit\");\n", "/exit");
        assertFailure("void f() {\n    System.out.println(1);\n", "unfinished");
        assertFailure("/list\n/exit\n", "/list");
    }

    private static void assertFailure(String script, String reason) {
        try {
            Path file = Files.createTempFile("broken", ".jsh");
            try {
                Files.writeString(file, script);
                run(file);
            } finally {
                Files.delete(file);
            }
        } catch (AssertionError expected) {
            assertTrue(expected.getMessage().contains(reason),
                    "the failure should mention " + reason + ":\n" + expected.getMessage());
            return;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        fail("this script should have failed (" + reason + "):\n" + script);
    }

    private static List<String> scripts() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".jsh"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /**
     * Feeds the script to a fresh JShell line by line, as the jshell tool reads a file: a line starting
     * with {@code /} while no snippet is pending is a command; anything else is added to the pending
     * source, and each complete snippet in it is evaluated. Answers what the script printed.
     */
    private static String run(Path script) throws IOException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        // The jshell tool runs snippets in a second JVM; starting one per script costs 5-10 s on a busy
        // machine. The local engine runs them in this JVM instead, where System.out is the script's output.
        System.setOut(out);
        System.setErr(out);
        try (JShell jshell = JShell.builder()
                .executionEngine("local")
                .in(new ByteArrayInputStream(new byte[0]))
                .out(out)
                .err(out)
                .build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                jshell.addToClasspath(entry);
            }
            SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
            List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
            String pending = "";
            boolean exited = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = script.getFileName() + ":" + (i + 1);
                if (exited) {
                    assertTrue(line.isBlank(), where + ": nothing may follow /exit, the jshell tool ignores it");
                    continue;
                }
                if (pending.isBlank() && isCommand(line)) {
                    assertEquals("/exit", line.strip(), where + ": this test runs only the /exit command, not " + line);
                    exited = true;
                    continue;
                }
                pending += line + "\n";
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending);
                while (info.completeness().isComplete()) {
                    evaluate(jshell, info.source(), where, printed);
                    pending = info.remaining();
                    info = analysis.analyzeCompletion(pending);
                }
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    pending = ""; // only comments and blank lines so far
                }
            }
            assertTrue(pending.isBlank(), script.getFileName() + " ends inside an unfinished snippet:\n" + pending);
            assertTrue(exited, script.getFileName() + " must end with /exit, or `jshell " + script
                    + "` waits for more input instead of returning to the shell");
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertNoException(output, script.getFileName() + " printed an exception");
        return output;
    }

    private static boolean isCommand(String line) {
        return line.startsWith("/") && !line.startsWith("//") && !line.startsWith("/*");
    }

    private static void evaluate(JShell jshell, String source, String where, ByteArrayOutputStream printed) {
        for (SnippetEvent event : jshell.eval(source)) {
            String context = where + ": " + source.strip() + "\nprinted so far:\n" + printed.toString(StandardCharsets.UTF_8);
            if (event.exception() != null) {
                // An exception in the script's JVM arrives as an EvalException that carries the original's name.
                String name = event.exception() instanceof EvalException thrown
                        ? thrown.getExceptionClassName() : event.exception().getClass().getName();
                StringWriter trace = new StringWriter();
                event.exception().printStackTrace(new PrintWriter(trace));
                fail("the snippet ending at " + context + "\nthrew " + name + ": " + trace);
            }
            if (event.causeSnippet() != null) {
                continue; // an older snippet updated because of this one, not this one's own result
            }
            List<String> errors = jshell.diagnostics(event.snippet())
                    .filter(Diag::isError)
                    .map(diag -> diag.getMessage(Locale.ROOT))
                    .collect(Collectors.toList());
            assertEquals(Snippet.Status.VALID, event.status(),
                    "the snippet ending at " + context + "\nis " + event.status() + " " + errors);
            assertTrue(errors.isEmpty(), "the snippet ending at " + context + "\nhas errors " + errors);
        }
        assertNoException(printed.toString(StandardCharsets.UTF_8), where + ": printed an exception");
    }

    private static void assertNoException(String output, String message) {
        Matcher matcher = EXCEPTION.matcher(output);
        assertFalse(matcher.find(), () -> message + " (" + matcher.group().strip() + "):\n" + output);
    }
}

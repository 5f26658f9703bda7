package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.testing.Http;
import bitvillage.testing.Netns;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.World;
import bitvillage.util.netns.Namespaces;
import bitvillage.util.netns.OwnJvm;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import bitvillage.wallet.Pay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * README's "a classroom village", tried as a teacher and a student would: two computers (two network
 * namespaces, each with an address of its own), the teacher's villager and a student's joining it, each
 * started with README's own command, and the explorer on the projector. The student catches up with the
 * teacher's chain, and a payment and a block cross between the two.
 */
class ClassroomTest {
    private static final String JAR = "java -jar target/bitvillage.jar ";
    private static final String TEACHER = "192.168.1.10"; // the addresses README uses
    private static final String STUDENT = "192.168.1.23";
    private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(3);

    /** README's commands of the classroom section, in order: the teacher's, a student's, the projector's. */
    static List<String> readmeCommands() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("## A classroom village");
        assertTrue(start >= 0, "README.md has no section \"A classroom village\"");
        int end = readme.indexOf("\n## ", start + 1);
        List<String> commands = readme.substring(start, end < 0 ? readme.length() : end).lines().map(String::strip)
                .filter(line -> line.startsWith(JAR)).toList();
        assertEquals(3, commands.size(), "the teacher's, a student's and the projector's command: " + commands);
        return commands;
    }

    @Test
    void aStudentJoinsTheTeachersVillageFromAnotherComputer() throws Exception {
        Netns.assumeAvailable();
        List<String> commands = readmeCommands();
        Path logs = Files.createTempDirectory("classroom");
        try (Namespaces classroom = Namespaces.create(2)) {
            String teacher = "http://" + classroom.address(0) + ":5000";
            String student = "http://" + classroom.address(1) + ":5000";
            start(classroom, 0, commands.get(0), logs);
            awaitAnswer(teacher + "/nodes", logs);
            // The teacher mines two blocks before the student arrives.
            for (int i = 0; i < 2; i++) assertEquals(200, Http.get(teacher + "/mine").statusCode());
            Object teachersTip = tip(teacher);

            start(classroom, 1, commands.get(1), logs);
            awaitAnswer(student + "/nodes", logs);
            await("the student catches up with the teacher's chain", () -> teachersTip.equals(tip(student)), logs);
            List<?> teachersNeighbours = (List<?>) Http.json(Http.get(teacher + "/nodes"), 200).get("nodes");
            assertEquals(student, ((Map<?, ?>) teachersNeighbours.get(0)).get("address"), "the student told the teacher its own address");

            // 小美 pays 大華 at the student's villager; the payment crosses to the teacher, who mines it; the block crosses back.
            byte[] payer = Keys.fromSeed("小美");
            Map<String, Object> payment = CoinSelection.pay(payer, Pay.spendable(PyJson.loads(Http.get(student + "/coins/" + Keys.address(payer)).body())),
                    Keys.address(Keys.fromSeed("大華")), 699, 1);
            String id = CoinTransaction.id(payment);
            assertEquals(201, Http.postJson(student + "/transactions/new", PyJson.dumps(payment)).statusCode());
            await("the payment crosses to the teacher", () -> Http.get(teacher + "/transactions/" + id).statusCode() == 200, logs);
            assertEquals(200, Http.get(teacher + "/mine").statusCode());
            await("the teacher's block crosses to the student, the payment in it",
                    () -> "confirmed".equals(Http.json(Http.get(student + "/transactions/" + id)).get("status")), logs);

            // The projector: the explorer, on the teacher's computer, drawing the teacher's villager.
            String[] projector = (commands.get(2).substring(JAR.length()).replace(TEACHER, classroom.address(0)) + " --port 0").split(" ");
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            try (PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
                 AutoCloseable explorer = BitVillage.launch(projector, World.fixed(out))) {
                HttpResponse<String> page = Http.get(((WebApp) explorer).url() + "/api/village");
                assertEquals(200, page.statusCode(), said.toString(StandardCharsets.UTF_8));
                assertTrue(page.body().contains(teacher), page.body());
            }
        } finally {
            try (var files = Files.list(logs)) {
                for (Path file : files.toList()) Files.delete(file);
            }
            Files.delete(logs);
        }
        Netns.assertNothingLeft("after the classroom");
    }

    @Test
    void aVillagerAnswersBrowsersByTheNameItAdvertisesAndNoOther() throws Exception {
        try (WebNode villager = new WebNode("B18", "--advertise", "http://teacher.local:5000")) {
            for (String host : List.of("teacher.local:5000", "TEACHER.local", "127.0.0.1:5000", "localhost")) {
                HttpResponse<String> answer = Http.send(Http.request(villager.app.url() + "/chain").header("Host", host)
                        .header("Origin", "http://" + host).build());
                assertEquals(200, answer.statusCode(), host + ": " + answer.body());
            }
            HttpResponse<String> other = Http.send(Http.request(villager.app.url() + "/chain").header("Host", "evil.example:5000").build());
            Http.error(other, 403, "or --advertise");
            HttpResponse<String> otherSite = Http.send(Http.request(villager.app.url() + "/chain").header("Host", "teacher.local:5000")
                    .header("Origin", "http://evil.example").build());
            Http.error(otherSite, 403, "other sites' web pages");
        }
    }

    /** Starts README's command in namespace {@code i}, its addresses the namespaces', its output to a log. */
    private static void start(Namespaces classroom, int i, String readmeCommand, Path logs) throws Exception {
        String args = readmeCommand.substring(JAR.length()).replace(TEACHER, classroom.address(0)).replace(STUDENT, classroom.address(1));
        List<String> command = new ArrayList<>(OwnJvm.command(List.of(), BitVillage.class));
        command.addAll(Arrays.asList(args.split(" ")));
        classroom.start(i, command, logs.resolve("computer-" + i + ".log"));
    }

    /** The last block of the villager's chain. */
    private static Object tip(String villager) throws Exception {
        List<?> chain = (List<?>) Http.json(Http.get(villager + "/chain"), 200).get("chain");
        return chain.get(chain.size() - 1);
    }

    private static void awaitAnswer(String url, Path logs) throws Exception {
        await("an answer from " + url, () -> {
            try {
                return Http.get(url).statusCode() == 200;
            } catch (java.io.IOException notYet) {
                return false;
            }
        }, logs);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check, Path logs) throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (System.nanoTime() < deadline) {
            if (check.holds()) return;
            Thread.sleep(200); // the computers say nothing when they are done: we look again
        }
        StringBuilder output = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path file : files.sorted().toList()) output.append(file.getFileName()).append(":\n").append(Files.readString(file));
        }
        throw new AssertionError("not in time: " + what + "\n" + output);
    }

}

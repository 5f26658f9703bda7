package bitvillage;

import bitvillage.story.Walkthrough;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walkthrough end to end, in this JVM: two real nodes, real HTTP. Its whole output in the
 * repeatable world is the golden file expected/walkthrough.txt, which {@link StageOutputTest} checks;
 * the exit status is checked in {@link LauncherTest}.
 */
class WalkthroughTest {

    record Run(boolean asInTheBook, String out, String notices) {}

    static Run walkthrough(InputStream keyboard, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        boolean outcome;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            outcome = Walkthrough.PLAY.run(Options.parse(args, Walkthrough.OPTIONS), World.fixed(out), keyboard, notices);
        }
        return new Run(outcome, bytes.toString(StandardCharsets.UTF_8), noticeBytes.toString(StandardCharsets.UTF_8));
    }

    static long count(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    @Test
    void everyStepTurnsOutAsTheBookSays() throws Exception {
        Run run = walkthrough(InputStream.nullInputStream());
        assertTrue(run.asInTheBook(), run.out());
        assertEquals(8, count(run.out(), "Book: "), run.out());
        assertEquals(8, run.out().lines().filter(line -> line.startsWith("Book: ") && line.endsWith(". OK")).count(),
                run.out());
        assertFalse(run.out().contains("NOT SO"), run.out());
        assertTrue(run.out().strip().endsWith(
                "All 8 requests turned out as the book says: villagers A and B agree on A's chain."), run.out());
    }

    @Test
    void printsTheRequestsAsAReaderTypesThemWithTheBooksAddresses() throws Exception {
        String out = walkthrough(InputStream.nullInputStream()).out();
        List<String> requests = out.lines().filter(line -> line.matches("(GET|POST) .*")).toList();
        assertEquals(List.of(
                "POST http://127.0.0.1:5000/nodes/register {\"nodes\": [\"http://127.0.0.1:5002\"]}",
                "GET http://127.0.0.1:5000/mine",
                "GET http://127.0.0.1:5000/mine",
                "POST http://127.0.0.1:5002/nodes/register {\"nodes\": [\"http://127.0.0.1:5000\"]}",
                "GET http://127.0.0.1:5002/mine",
                "GET http://127.0.0.1:5002/nodes/resolve",
                "GET http://127.0.0.1:5002/chain",
                "GET http://127.0.0.1:5000/nodes/resolve"), requests);
        assertTrue(out.contains("\"nonce\": 35293,"), out);
        assertTrue(out.contains("\"nonce\": 35089,"), out);
        assertTrue(out.contains("\"message\": \"Our chain was replaced\""), out);
        assertTrue(out.contains("\"message\": \"Our chain is authoritative\""), out);
    }

    /** When 5000 and 5002 are taken, the villagers listen elsewhere and the reader sees the same session. */
    @Test
    void takenPortsChangeNothingTheReaderSees() throws Exception {
        String onBookPorts = walkthrough(InputStream.nullInputStream()).out();
        List<ServerSocket> squatters = new ArrayList<>();
        try {
            for (int port : List.of(Walkthrough.BOOK_PORT_A, Walkthrough.BOOK_PORT_B)) {
                try {
                    squatters.add(new ServerSocket(port, 1, InetAddress.getByName(Walkthrough.HOST)));
                } catch (IOException alreadyTaken) {
                    // taken by someone else: just as good for this test
                }
            }
            Run elsewhere = walkthrough(InputStream.nullInputStream());
            assertTrue(elsewhere.asInTheBook(), elsewhere.out());
            assertEquals(onBookPorts, elsewhere.out());
            assertTrue(elsewhere.notices().contains("walkthrough: port 5000 is taken, so villager A listens on"),
                    elsewhere.notices());
            assertTrue(elsewhere.notices().contains("walkthrough: port 5002 is taken, so villager B listens on"),
                    elsewhere.notices());
        } finally {
            for (ServerSocket squatter : squatters) squatter.close();
        }
    }

    @Test
    void slowWaitsForEnterBeforeEachStepAndCarriesOnWhenInputEnds() throws Exception {
        Run run = walkthrough(new ByteArrayInputStream("\n\n\n".getBytes(StandardCharsets.UTF_8)), "--slow");
        assertTrue(run.asInTheBook(), run.out());
        assertEquals(8, count(run.out(), "(press Enter to send step "), run.out());
        assertTrue(run.out().contains("GET http://127.0.0.1:5000/mine\n(press Enter to send step 2a)\n200 OK\n"),
                run.out());
    }

    /** With easier mining the nonces are not the book's: the checks say so and the outcome is false. */
    @Test
    void numbersOtherThanTheBooksAreReported() throws Exception {
        Run run = walkthrough(InputStream.nullInputStream(), "--zeros", "3");
        assertFalse(run.asInTheBook(), run.out());
        assertTrue(run.out().contains("Book: block 2, nonce 35293. NOT SO: nonce is "), run.out());
        assertTrue(run.out().contains("Not as in the book: steps 2a, 2b, 4 (see NOT SO above)."), run.out());
        assertTrue(run.out().contains("Book: B's chain was replaced by A's 3 blocks. OK"), run.out());
    }
}

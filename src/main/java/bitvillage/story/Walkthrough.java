package bitvillage.story;

import static bitvillage.story.Story.both;
import static bitvillage.story.Story.fields;

import bitvillage.stages.B10Consensus;
import bitvillage.stages.B11SecondNode;
import bitvillage.story.Story.Answer;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The book's section B-5, played by itself: two villagers on one computer agree on one chain.
 *
 * <p>The book starts B-10.py (villager A, port 5000) and its copy B-11.py (villager B, port 5002),
 * then sends eight requests from Postman. This class starts a B10 and a B11 node in this process, sends
 * the same eight requests over real HTTP, prints each request as a reader would type it and each
 * answer as the node sent it, and checks every answer against what the book shows.
 *
 * <p>If port 5000 or 5002 is taken, that villager listens on a free port instead (we say so on
 * standard error); every address printed is still the book's, so the output reads like the book.
 */
public final class Walkthrough {
    private static final Options.Option ZEROS = Options.Option.number("--zeros", "N", "difficulty of both villagers", 4, 1, 6)
            .noting("as in the book; others break its numbers");

    public static final List<Options.Option> OPTIONS = List.of(
            new Options.Option("--slow", null, "wait for Enter before sending each request (for a classroom)"), ZEROS);

    /** The walkthrough command: checked against the book. */
    public static final Story.Play PLAY = new Story.Play("walkthrough", "Book",
            (story, options) -> new Walkthrough(story, options.number(ZEROS)).play());

    public static final int BOOK_PORT_A = 5000;
    public static final int BOOK_PORT_B = 5002;
    public static final String HOST = Story.HOST;

    /** One villager: its name in the story, and the address the book gives it (where it listens, unless taken). */
    private record BookVillager(String name, String bookUrl) {}

    private final World world;
    private final int zeros;
    private final Story story;
    private int steps;
    private BookVillager a;
    private BookVillager b;

    private Walkthrough(Story story, int zeros) {
        this.world = story.world();
        this.zeros = zeros;
        this.story = story;
    }

    private boolean play() throws InterruptedException {
        World nodeWorld = story.nodeWorld();
        try (WebApp nodeA = startNode("A", BOOK_PORT_A, nodeWorld);
             WebApp nodeB = startNode("B", BOOK_PORT_B, nodeWorld)) {
            a = new BookVillager("A", bookUrl(BOOK_PORT_A));
            b = new BookVillager("B", bookUrl(BOOK_PORT_B));
            story.node("A", "villager A", nodeA.url(), a.bookUrl());
            story.node("B", "villager B", nodeB.url(), b.bookUrl());
            introduce();
            session();
        }
        story.summarise("All " + steps + " requests turned out as the book says: villagers A and B agree on A's chain.",
                "Not as in the book");
        return story.allAsSaid();
    }

    private void introduce() {
        PrintStream out = world.out();
        out.println("The book's section B-5, played by itself: two villagers on one computer agree on one chain.");
        out.println("Villager A: a B10 node on " + a.bookUrl() + " (the book runs B-10.py)");
        out.println("Villager B: a B11 node on " + b.bookUrl() + " (the book runs B-11.py, a copy of it on port 5002)");
        out.println("Each step sends the request you would send from Postman, shows the answer,");
        out.println("and checks it against the book.");
    }

    // tag::session[]
    /** The book's seven steps, in its order; in step 2, A mines twice. */
    private void session() throws InterruptedException {
        Answer registered = step("1", "Villager A learns villager B's address.",
                "POST", a, "/nodes/register", Map.of("nodes", List.of(b.bookUrl())));
        expect("A's neighbours are [\"" + b.bookUrl() + "\"]", fields(registered,
                Map.of("message", "New nodes have been added", "total_nodes", List.of(b.bookUrl()))));

        Answer block2 = step("2a", "Villager A mines a block.", "GET", a, "/mine", null);
        expect("block 2, nonce 35293", fields(block2,
                Map.of("message", "New Block Forged", "index", 2L, "nonce", 35293L)));

        Answer block3 = step("2b", "Villager A mines again.", "GET", a, "/mine", null);
        expect("block 3, nonce 35089", fields(block3,
                Map.of("message", "New Block Forged", "index", 3L, "nonce", 35089L)));

        Answer registeredBack = step("3", "Villager B learns villager A's address.",
                "POST", b, "/nodes/register", Map.of("nodes", List.of(a.bookUrl())));
        expect("B's neighbours are [\"" + a.bookUrl() + "\"]", fields(registeredBack,
                Map.of("message", "New nodes have been added", "total_nodes", List.of(a.bookUrl()))));

        Answer blockOfB = step("4", "Villager B mines one block.", "GET", b, "/mine", null);
        expect("block 2, nonce 35293 (B has 2 blocks now, A has 3)", fields(blockOfB,
                Map.of("message", "New Block Forged", "index", 2L, "nonce", 35293L)));

        Answer resolvedAtB = step("5", "Villager B runs the consensus algorithm.", "GET", b, "/nodes/resolve", null);
        expect("B's chain was replaced by A's 3 blocks", both(
                fields(resolvedAtB, Map.of("message", "Our chain was replaced")),
                chainOfA(resolvedAtB.get("new_chain"), "new_chain", block2, block3)));

        Answer chainOfB = step("6", "Villager B shows its chain.", "GET", b, "/chain", null);
        expect("3 blocks, A's chain", both(
                fields(chainOfB, Map.of("length", 3L)),
                chainOfA(chainOfB.get("chain"), "chain", block2, block3)));

        Answer resolvedAtA = step("7", "Villager A runs the consensus algorithm too.",
                "GET", a, "/nodes/resolve", null);
        expect("A's chain was not replaced; A and B hold the same 3 blocks", both(
                fields(resolvedAtA, Map.of("message", "Our chain is authoritative")),
                resolvedAtA.get("chain") != null && resolvedAtA.get("chain").equals(chainOfB.get("chain"))
                        ? List.of() : List.of("A's chain is not the one B showed")));
    }
    // end::session[]

    /** Prints the step and the request, sends it, prints the answer. */
    private Answer step(String number, String title, String method, BookVillager to, String path, Object body)
            throws InterruptedException {
        steps++;
        story.heading(number, title);
        PrintStream out = world.out();
        out.println(method + " " + to.bookUrl() + path + (body == null ? "" : " " + PyJson.dumps(body)));
        story.waitForEnter("to send step " + number);
        Answer answer = story.exchange(method, to.name(), path, body);
        out.println(answer.statusLine());
        out.println(answer.text().stripTrailing());
        return answer;
    }

    /** The check line: what the book shows, and whether the answer agrees (OK) or how it differs (NOT SO). */
    private void expect(String bookSays, List<String> differences) {
        story.expect(bookSays, differences);
    }

    /** Differences between a chain and A's: genesis, then the two blocks A forged in steps 2a and 2b. */
    private static List<String> chainOfA(Object chain, String key, Answer... forgedByA) {
        List<String> differences = new ArrayList<>();
        if (!(chain instanceof List<?> blocks)) {
            differences.add(key + " is missing");
            return differences;
        }
        if (blocks.size() != 1 + forgedByA.length) {
            differences.add(key + " has " + blocks.size() + " blocks, not " + (1 + forgedByA.length));
            return differences;
        }
        for (int i = 0; i < forgedByA.length; i++) {
            Map<?, ?> block = blocks.get(i + 1) instanceof Map<?, ?> map ? map : Map.of();
            for (String field : List.of("index", "nonce", "previous_hash", "transactions")) {
                if (!forgedByA[i].object().containsKey(field)
                        || !forgedByA[i].get(field).equals(block.get(field))) {
                    differences.add(key + "'s block " + (i + 2) + " is not the one A forged");
                    break;
                }
            }
        }
        return differences;
    }


    // --- where the villagers listen ------------------------------------------------------------

    /** Starts villager A (B10) or B (B11) on the book's port, or on a free one when that port is taken. */
    private WebApp startNode(String name, int bookPort, World nodeWorld) {
        if (isFree(bookPort)) {
            try {
                return startStage(name, bookPort, nodeWorld);
            } catch (WebApp.CannotListen takenMeanwhile) {
                // someone took the port between our look and the start; use a free one below
            }
        }
        WebApp node = startStage(name, 0, nodeWorld);
        story.notice("port " + bookPort + " is taken, so villager " + name + " listens on "
                + node.url() + "; the steps below still show the book's " + bookUrl(bookPort));
        return node;
    }

    private WebApp startStage(String name, int port, World nodeWorld) {
        String[] args = {"--port", Integer.toString(port), "--zeros", Integer.toString(zeros)};
        return name.equals("A") ? B10Consensus.start(Options.parse(args, B10Consensus.OPTIONS), nodeWorld)
                : B11SecondNode.start(Options.parse(args, B11SecondNode.OPTIONS), nodeWorld);
    }

    private static boolean isFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getByName(HOST)).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String bookUrl(int port) {
        return "http://" + HOST + ":" + port;
    }
}

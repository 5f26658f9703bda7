package bitvillage.stages;

import static bitvillage.stages.RecordingNotebook.assertBefore;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.taught.BlockProof;
import bitvillage.testing.Http;
import bitvillage.testing.Wallet;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a SIGKILL cannot show (the page cache outlives a killed process): the order. A B19 villager on a
 * {@link RecordingNotebook}, which writes "forced …" into the same list where this test writes what the
 * villager did that others can see: its answers (the 201, /mine's block, a register's 200), its
 * announcements (a stub neighbour writes each POST /gossip/* it receives) and its served chains (a reader
 * polling GET /chain writes the first chain of each length, GET /blocks/<hash> each block). Each must come
 * after the force of what it depends on.
 */
class NotebookOrderTest {
    private static final String TO = "1fbd141ab574e9d2fb6f4b6503e447ef09dd4f5e77fb0827702f85851746140b";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable each : closing) each.close();
    }

    private void await(String event) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!events.contains(event)) {
            assertTrue(System.nanoTime() < deadline, "no '" + event + "' within 60 s: " + events);
            Thread.sleep(20);
        }
    }

    /** A neighbour that only listens: each announcement it hears is an event, "announced block 2" or "announced payment ID". */
    private String stubNeighbour() throws Exception {
        return Http.stub("/gossip", exchange -> {
            Map<?, ?> message = (Map<?, ?>) PyJson.loads(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            events.add(exchange.getRequestURI().getPath().endsWith("/block") ? "announced block " + message.get("height")
                    : "announced payment " + message.get("id"));
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        }, closing);
    }

    /** Reads GET /chain over and over, in the background: the first chain of each length it is served is an event. */
    private void readChains(WebApp node) {
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            int seen = 0;
            while (reading.get()) {
                try {
                    List<?> chain = (List<?>) Http.json(Http.get(node, "/chain"), 200).get("chain");
                    if (chain.size() > seen) events.add("served chain of " + (seen = chain.size()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }, "chain reader");
        reader.setDaemon(true);
        reader.start();
        closing.add(0, () -> {
            reading.set(false);
            reader.join();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAnswerAnnouncementAndServedChainComesAfterTheForceOfWhatItDependsOn() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        WebApp villager = B19Notebook.start(Options.parse(new String[] {"--port", "0", "--zeros", "2", "--seed", "礦工"}, B19Notebook.OPTIONS),
                World.fixed(new PrintStream(printed, true, StandardCharsets.UTF_8)), new RecordingNotebook(events));
        closing.add(villager);
        readChains(villager);

        Http.json(Http.post(villager, "/nodes/register", Map.of("nodes", List.of(stubNeighbour()))), 200);
        events.add("registered the stub");
        assertBefore(events, "forced neighbours", "registered the stub");

        Map<String, Object> payment = new Wallet("B19", Wallet.MEI).pay(TO, 10, 1);
        String id = (String) Http.json(Http.post(villager, "/transactions/new", payment), 201).get("id");
        events.add("201 " + id);
        await("announced payment " + id);
        assertBefore(events, "forced payment " + id, "201 " + id);
        assertBefore(events, "forced payment " + id, "announced payment " + id);

        Map<String, Object> mined = Http.json(Http.get(villager, "/mine"), 200);
        events.add("mined block " + mined.get("index"));
        await("announced block 2");
        await("served chain of 2");
        List<?> chain = (List<?>) Http.json(Http.get(villager, "/chain"), 200).get("chain");
        Http.json(Http.get(villager, "/blocks/" + BlockProof.hash((Map<String, Object>) chain.get(1))), 200);
        events.add("served block 2");
        for (String then : List.of("mined block 2", "announced block 2", "served chain of 2", "served block 2")) {
            assertBefore(events, "forced block 2", then);
        }

        WebNode neighbour = new WebNode("B19", "--zeros", "2", "--seed", "大華"); // a real villager: its block is fetched and judged
        closing.add(neighbour);
        Http.json(neighbour.postJson("/nodes/register", PyJson.dumps(Map.of("nodes", List.of(villager.url())))), 200);
        Http.json(Http.post(villager, "/nodes/register", Map.of("nodes", List.of(neighbour.app.url()))), 200); // then ours greets it with our tip, which it may now fetch
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (neighbour.chain().size() < 2) { // it fetched our block 2, which we greeted it with
            assertTrue(System.nanoTime() < deadline, "the neighbour did not fetch block 2: " + neighbour.printed());
            Thread.sleep(20);
        }
        Http.json(neighbour.get("/mine"), 200);
        await("announced block 3"); // fetched from the neighbour, judged, noted, and announced on to the stub
        await("served chain of 3");
        assertBefore(events, "forced block 3", "announced block 3");
        assertBefore(events, "forced block 3", "served chain of 3");
        assertTrue(!printed.toString(StandardCharsets.UTF_8).contains("Exception"), printed.toString(StandardCharsets.UTF_8));
    }
}

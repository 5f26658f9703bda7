package bitvillage.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HttpFetch: many answers at once, each and all of them bounded in size. */
class HttpFetchTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    /** A server that answers every GET with this body; answers its URL. */
    private String serving(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void answersTogetherPastTheirBudgetAreDroppedWithTheReasonAndTheRestArriveWhole() throws Exception {
        String sixty = "x".repeat(60);
        List<String> urls = List.of(serving(sixty), serving(sixty), serving(sixty));
        List<HttpFetch.Answer> answers = HttpFetch.getAll(HttpFetch.client(Duration.ofSeconds(20)), urls,
                Duration.ofSeconds(20), 100, 150); // each answer fits; all three do not
        assertEquals(urls, answers.stream().map(HttpFetch.Answer::url).toList(), "in the order asked");
        int dropped = 0;
        for (HttpFetch.Answer answer : answers) {
            if (answer.ok()) {
                assertEquals(sixty, answer.text());
            } else {
                dropped++;
                assertEquals("the answers together passed 150 bytes; this one was dropped", answer.problem());
            }
        }
        assertTrue(dropped >= 1 && dropped < 3, answers.toString());
    }

    @Test
    void anAnswerPastItsOwnLimitIsDropped() throws Exception {
        List<HttpFetch.Answer> answers = HttpFetch.getAll(HttpFetch.client(Duration.ofSeconds(20)),
                List.of(serving("y".repeat(101)), serving("z".repeat(100))), Duration.ofSeconds(20), 100, 1000);
        assertEquals("the answer is larger than 100 bytes", answers.get(0).problem());
        assertEquals("z".repeat(100), answers.get(1).text());
    }

    @Test
    void utf8IsStrict() throws Exception {
        assertEquals("村", HttpFetch.utf8("村".getBytes(StandardCharsets.UTF_8)));
        assertThrows(CharacterCodingException.class, () -> HttpFetch.utf8(new byte[] {'"', (byte) 0xff, '"'}));
    }
}

package bitvillage.util.client;

import bitvillage.util.python.Utf8;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static List<HttpFetch.Fetched> all(List<String> urls, int maxBytesEach, long maxBytesInAll) {
        List<HttpFetch.Fetched> answers = new ArrayList<>();
        HttpFetch.getEach(HttpFetch.client(Duration.ofSeconds(20)), urls, Duration.ofSeconds(20), maxBytesEach,
                maxBytesInAll).forEach(answers::add);
        return answers;
    }

    @Test
    void answersPastTheBudgetOfAllWaitForRoomAndArriveWhole() throws Exception {
        String sixty = "x".repeat(60);
        List<String> urls = List.of(serving(sixty), serving(sixty), serving(sixty));
        List<HttpFetch.Fetched> answers = all(urls, 100, 150); // each answer fits; all three do not at once
        assertEquals(Set.copyOf(urls), answers.stream().map(HttpFetch.Fetched::url).collect(Collectors.toSet()));
        for (HttpFetch.Fetched answer : answers) assertEquals(sixty, answer.text(), answer.toString());
    }

    @Test
    void anAnswerPastItsOwnLimitIsDropped() throws Exception {
        String tooLong = serving("y".repeat(101));
        List<HttpFetch.Fetched> answers = all(List.of(tooLong, serving("z".repeat(100))), 100, 1000);
        for (HttpFetch.Fetched answer : answers) {
            if (answer.url().equals(tooLong)) assertEquals("the answer is larger than 100 bytes", answer.problem());
            else assertEquals("z".repeat(100), answer.text());
        }
    }

    @Test
    void utf8IsStrict() throws Exception {
        assertEquals("村", Utf8.strict("村".getBytes(StandardCharsets.UTF_8)));
        assertThrows(CharacterCodingException.class, () -> Utf8.strict(new byte[] {'"', (byte) 0xff, '"'}));
        assertEquals("村".getBytes(StandardCharsets.UTF_8).length + 4, Utf8.length("村😀"));
    }
}

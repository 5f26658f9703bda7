package bitvillage.util.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.python.Utf8;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HttpFetch: many answers at once, each and all of them bounded in size and memory, and every one whole in time. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpFetchTest {
    private final List<HttpServer> servers = new ArrayList<>();
    private final CountDownLatch testEnds = new CountDownLatch(1);

    @AfterEach
    void stop() {
        testEnds.countDown();
        servers.forEach(server -> server.stop(0));
    }

    /** A reader that keeps the answer as text, and holds a byte of memory for each byte. */
    private static final class Text implements HttpFetch.Reader<String> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void read(ByteBuffer piece) {
            while (piece.hasRemaining()) bytes.write(piece.get());
        }

        @Override
        public String finish() throws HttpFetch.Refused {
            try {
                return Utf8.strict(bytes.toByteArray());
            } catch (CharacterCodingException e) {
                throw new HttpFetch.Refused("the answer is not UTF-8 text");
            }
        }

        @Override
        public long held() {
            return bytes.size();
        }
    }

    private String serving(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "stub server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** A server that answers every GET with this body, once {@code mayAnswer} is open. */
    private String serving(String body, CountDownLatch mayAnswer) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return serving(exchange -> {
            await(mayAnswer);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    /** A server that says its answer is {@code declared} bytes long, sends {@code sent} of them, and then nothing more. */
    private String stalling(int declared, int sent) throws IOException {
        return serving(exchange -> {
            exchange.sendResponseHeaders(200, declared);
            OutputStream out = exchange.getResponseBody();
            out.write("s".repeat(sent).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await(testEnds);
        });
    }

    private void await(CountDownLatch latch) {
        try {
            latch.await(100, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, HttpFetch.Fetched<String>> all(List<String> urls, int maxBytesEach, long maxHeldInAll,
                                                              Runnable afterFirst) {
        Map<String, HttpFetch.Fetched<String>> answers = new LinkedHashMap<>();
        for (HttpFetch.Fetched<String> answer : HttpFetch.getEach(HttpFetch.client(Duration.ofSeconds(20)), urls,
                Duration.ofSeconds(20), maxBytesEach, maxHeldInAll, Text::new)) {
            answers.put(answer.url(), answer);
            if (answers.size() == 1) afterFirst.run();
        }
        return answers;
    }

    @Test
    void whileAnAnswerHandedOutHoldsTheRoomTheOthersWaitAndArriveWhole() throws Exception {
        String sixty = "x".repeat(60);
        CountDownLatch firstHandedOut = new CountDownLatch(1);
        String first = serving(sixty, new CountDownLatch(0));
        List<String> urls = List.of(first, serving(sixty, firstHandedOut), serving(sixty, firstHandedOut));
        // Each answer fits, all three do not at once; the first is held by the caller while the others come in.
        Map<String, HttpFetch.Fetched<String>> answers = all(urls, 100, 150, () -> {
            firstHandedOut.countDown();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(first, answers.keySet().iterator().next());
        for (String url : urls) assertEquals(sixty, answers.get(url).value(), answers.get(url).toString());
    }

    @Test
    void answersThatStallAreDroppedWhenAnotherNeedsTheRoom() throws Exception {
        String stallingA = stalling(1000, 100);
        String stallingB = stalling(1000, 100);
        String whole = serving("z".repeat(60), new CountDownLatch(0));
        Map<String, HttpFetch.Fetched<String>> answers = all(List.of(stallingA, stallingB, whole), 1000, 150, () -> {});
        assertEquals("z".repeat(60), answers.get(whole).value(), answers.toString());
        for (String stalled : List.of(stallingA, stallingB)) {
            String problem = answers.get(stalled).problem();
            assertTrue(problem.startsWith("dropped to make room: the answers being read may hold 150 bytes of memory together")
                    || problem.equals("no whole answer within 20 s"), problem);
        }
        System.out.println("two stalling answers beside a whole one: " + answers.values());
    }

    @Test
    void anAnswerPastItsOwnLimitIsDropped() throws Exception {
        String tooLong = serving("y".repeat(101), new CountDownLatch(0));
        String fits = serving("z".repeat(100), new CountDownLatch(0));
        Map<String, HttpFetch.Fetched<String>> answers = all(List.of(tooLong, fits), 100, 1000, () -> {});
        assertEquals("the answer is larger than 100 bytes", answers.get(tooLong).problem());
        assertEquals("z".repeat(100), answers.get(fits).value());
    }

    /** Issue 17, item 7: HttpClient's timeout bounds the head of an answer only; a client of HttpFetch bounds the whole. */
    @Test
    void anAnswerThatTricklesFailsAtItsDeadline() throws Exception {
        String trickling = serving(exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            try {
                for (int i = 0; i < 200 && testEnds.getCount() > 0; i++) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (IOException | InterruptedException e) {
                // the client hung up: what it should do
            }
        });
        HttpClient client = HttpFetch.client(Duration.ofSeconds(2));
        HttpRequest request = HttpRequest.newBuilder(URI.create(trickling)).timeout(Duration.ofSeconds(60)).build();
        long start = System.nanoTime();
        HttpTimeoutException late = assertThrows(HttpTimeoutException.class,
                () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
        assertEquals("the answer began, and did not end within 2 s", late.getMessage());
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> HttpFetch.send(client, request, 1 << 20).get(60, TimeUnit.SECONDS));
        assertInstanceOf(HttpTimeoutException.class, failed.getCause());
        HttpRequest wholeIn1 = HttpRequest.newBuilder(URI.create(trickling)).timeout(Duration.ofSeconds(1)).build();
        assertEquals("no whole answer within 1 s", assertThrows(HttpTimeoutException.class,
                () -> client.send(wholeIn1, HttpResponse.BodyHandlers.ofString())).getMessage());
        System.out.printf("a trickling answer (a byte every 0.5 s) ended at its deadline: three requests in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    @Test
    void utf8IsStrict() throws Exception {
        assertEquals("村", Utf8.strict("村".getBytes(StandardCharsets.UTF_8)));
        assertThrows(CharacterCodingException.class, () -> Utf8.strict(new byte[] {'"', (byte) 0xff, '"'}));
        assertEquals("村".getBytes(StandardCharsets.UTF_8).length + 4, Utf8.length("村😀"));
    }
}

package bitvillage.util.client;

import bitvillage.util.python.PyJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A villager's short calls to one neighbour: a JSON object posted (an announcement, a registration),
 * or one asked for ({@code GET /blocks/<hash>}). Each answer is whole within the timeout and at most
 * so many bytes ({@link HttpFetch}), and each failure is a reason in plain words, never an exception.
 * The URL is always the neighbour's address and a path of ours: nothing a neighbour says sends us elsewhere
 * (HttpClient follows no redirect unless told).
 */
public final class NeighbourCalls {
    /** The most bytes of an answer to a post: a short JSON message. */
    private static final int MAX_REPLY_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    public NeighbourCalls(Duration timeout) {
        this.client = HttpFetch.client(timeout);
        this.timeout = timeout;
    }

    /** One answer: its status and JSON value (null if none could be read), or the problem that left us without one. */
    public record Answer(int status, Object value, String problem) {
        public boolean ok() {
            return problem == null && status == 200;
        }

        /** The answer's JSON object, if it is one. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> object() {
            return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
        }
    }

    /** Posts {@code body} as JSON to {@code neighbour + path}. */
    public Answer post(String neighbour, String path, Map<String, Object> body) {
        return call(HttpRequest.newBuilder(URI.create(neighbour + path)).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PyJson.dumps(body))).build(), MAX_REPLY_BYTES);
    }

    /** Asks {@code neighbour + path} for a JSON answer of at most {@code maxBytes}. */
    public Answer get(String neighbour, String path, int maxBytes) {
        return call(HttpRequest.newBuilder(URI.create(neighbour + path)).timeout(timeout).GET().build(), maxBytes);
    }

    private Answer call(HttpRequest request, int maxBytes) {
        HttpResponse<String> response;
        try {
            response = HttpFetch.send(client, request, maxBytes).get();
        } catch (ExecutionException e) {
            return new Answer(0, null, HttpFetch.whyNoAnswer(e.getCause(), timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "interrupted");
        }
        try {
            return new Answer(response.statusCode(), PyJson.loads(response.body()), null);
        } catch (PyJson.JsonException e) {
            return new Answer(response.statusCode(), null, "the answer is not JSON: " + e.getMessage());
        }
    }
}

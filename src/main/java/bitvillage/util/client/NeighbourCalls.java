package bitvillage.util.client;

import bitvillage.util.guard.NodeAddress;
import bitvillage.util.python.PyJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

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

    /**
     * {@code --join URL}: the villager there and some of its neighbours ({@code GET /nodes}, as Bitcoin's
     * addr), at most {@code most} in all, become our neighbours, and we theirs ({@code POST /nodes/register}).
     * Each is ours first ({@code addNode}), so the tip it greets us with is welcome. What happened, a line for each.
     */
    public List<String> join(String villager, String self, int most, Consumer<String> addNode) {
        List<String> known = new ArrayList<>(List.of(villager));
        Answer theirs = get(villager, "/nodes", 1 << 20);
        if (theirs.ok() && theirs.object() != null && theirs.object().get("nodes") instanceof List<?> nodes) {
            for (Object node : nodes) {
                if (known.size() < most && node instanceof Map<?, ?> entry && entry.get("address") instanceof String address
                        && !address.equals(self) && !known.contains(address)) known.add(address);
            }
        }
        List<String> joined = new ArrayList<>();
        for (String neighbour : known) {
            addNode.accept(neighbour);
            Answer answer = post(neighbour, "/nodes/register", Map.of("nodes", List.of(self)));
            joined.add("Joined " + neighbour + ": " + (answer.ok() ? "each the other's neighbour" : "it did not register us: "
                    + (answer.problem() == null ? "status " + answer.status() : answer.problem())));
        }
        return joined;
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

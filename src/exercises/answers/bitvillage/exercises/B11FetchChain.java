package bitvillage.exercises;

import bitvillage.util.python.PyJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Answer B11.1 (the stage's resolveConflicts asks all neighbours at once through util.client's
 * NeighbourChains, which reads each answer with a deadline and a limit through HttpFetch).
 */
public final class B11FetchChain {
    private B11FetchChain() {}

    public static List<Map<String, Object>> fetchChain(HttpClient client, String node) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node + "/chain")).GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException(node + " answered " + response.statusCode());
        if (!(PyJson.loads(response.body()) instanceof Map<?, ?> answer) || !(answer.get("chain") instanceof List<?> chain)) {
            throw new IllegalStateException(node + " sent no chain");
        }
        @SuppressWarnings("unchecked") // a JSON list of blocks: PyJson makes each block a Map<String, Object>
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) chain;
        return blocks;
    }
}

package bitvillage.exercises;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;

/** Exercise B11.1: what resolve does first, for each neighbour: ask for its chain. */
public final class B11FetchChain {
    private B11FetchChain() {}

    /**
     * Sends {@code GET node + "/chain"} with {@code client} and answers the {@code chain} of the
     * JSON it gets back (bitvillage.util.python.PyJson.loads reads it). Throws IllegalStateException when
     * the answer is not a 200 or has no list called {@code chain}.
     */
    public static List<Map<String, Object>> fetchChain(HttpClient client, String node) throws Exception {
        throw new UnsupportedOperationException("exercise B11.1: write B11FetchChain.fetchChain");
    }
}

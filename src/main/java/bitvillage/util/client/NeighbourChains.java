package bitvillage.util.client;

import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.python.PyJson;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Asks the neighbours for their chains ({@code GET /chain}) and hands out each answer as it
 * arrives, read and checked as far as util's guards go: JSON, with a 'chain' of well-shaped blocks
 * ({@link ChainShape}) that we could serve in turn ({@link ServedChain}). What is left to judge is
 * the book's: are the hashes and nonces right, and is the chain better than ours.
 */
public final class NeighbourChains {
    private NeighbourChains() {}

    /** What all answers to one resolve hold together while they are read: room for two whole chains. */
    public static final long MAX_BYTES_IN_ALL = 2L * ServedChain.MAX_BYTES;

    /** One neighbour's chain, shaped as a node relies on; or null, and the problem that made us skip it. */
    public record Offer(String node, List<Map<String, Object>> chain, String problem) {}

    /**
     * The neighbours' offers, as they arrive; a neighbour that has not answered in {@code timeout}
     * is skipped. The caller should keep no more than the best chain so far: the text of each
     * answer is dropped when the next is asked for, which makes room for answers still coming.
     */
    public static Iterable<Offer> ask(List<String> nodes, Duration timeout) {
        HttpClient client = HttpFetch.client(timeout); // one per resolve: it asks each neighbour once
        List<String> urls = nodes.stream().map(node -> node + "/chain").toList();
        Iterable<HttpFetch.Fetched> answers = HttpFetch.getEach(client, urls, timeout, ServedChain.MAX_BYTES, MAX_BYTES_IN_ALL);
        return () -> {
            Iterator<HttpFetch.Fetched> each = answers.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return each.hasNext();
                }

                @Override
                public Offer next() {
                    HttpFetch.Fetched answer = each.next();
                    return read(answer.url().substring(0, answer.url().length() - "/chain".length()), answer);
                }
            };
        };
    }

    private static Offer read(String node, HttpFetch.Fetched fetched) {
        if (!fetched.ok()) return skipped(node, fetched.problem());
        Object answer;
        try {
            answer = PyJson.loads(fetched.text());
        } catch (IllegalArgumentException e) {
            return skipped(node, "the answer is not JSON: " + e.getMessage());
        }
        if (!(answer instanceof Map<?, ?> fields)) return skipped(node, "the answer is not a JSON object");
        if (!fields.containsKey("chain")) return skipped(node, "the answer has no 'chain'");
        String misshapen = ChainShape.whyMisshapen(fields.get("chain"));
        if (misshapen != null) return skipped(node, "invalid chain: " + misshapen);
        @SuppressWarnings("unchecked") // ChainShape checked it is a list of JSON objects
        List<Map<String, Object>> chain = (List<Map<String, Object>>) fields.get("chain");
        String tooLarge = ServedChain.whyTooLarge(chain);
        if (tooLarge != null) return skipped(node, tooLarge);
        return new Offer(node, chain, null);
    }

    private static Offer skipped(String node, String problem) {
        return new Offer(node, null, problem);
    }
}

package bitvillage.util.client;

import bitvillage.util.guard.ChainMemory;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.guard.Transactions;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Asks the neighbours for their chains ({@code GET /chain}) and hands out each answer as it
 * arrives, read and checked as far as util's guards go, as its bytes come in ({@link ChainReader}):
 * JSON, with a 'chain' of well-shaped blocks ({@link ChainShape}) that we could serve in turn
 * ({@link ServedChain}). What is left to judge is the book's: are the hashes and nonces right, and
 * is the chain better than ours.
 */
public final class NeighbourChains {
    private NeighbourChains() {}

    /**
     * The memory all answers of one resolve may hold together while they are read ({@link ChainMemory}):
     * room for the largest chain a node takes from a neighbour. However many neighbours send whatever
     * they like, a resolve holds this, and the best chain so far.
     */
    public static final long MAX_HELD_IN_ALL = ChainMemory.MAX_BYTES;

    /** One neighbour's chain, shaped as a node relies on; or null, and the problem that made us skip it. */
    public record Offer(String node, List<Map<String, Object>> chain, String problem) {}

    /**
     * The neighbours' offers, as they arrive; a neighbour that has not answered in {@code timeout}
     * is skipped. The caller should keep no more than the best chain so far: each answer is let go
     * when the next is asked for, which makes room for answers still coming.
     */
    public static Iterable<Offer> ask(List<String> nodes, Duration timeout) {
        return ask(nodes, timeout, Transactions.PAYMENTS);
    }

    /** The same, for a stage whose transactions have the {@code shape} of its own (B17's coins). */
    public static Iterable<Offer> ask(List<String> nodes, Duration timeout, Transactions.Shape shape) {
        HttpClient client = HttpFetch.client(timeout); // one per resolve: it asks each neighbour once
        List<String> urls = nodes.stream().map(node -> node + "/chain").toList();
        Iterable<HttpFetch.Fetched<List<Map<String, Object>>>> answers =
                HttpFetch.getEach(client, urls, timeout, ServedChain.MAX_BYTES, MAX_HELD_IN_ALL, () -> new ChainReader(shape));
        return () -> {
            Iterator<HttpFetch.Fetched<List<Map<String, Object>>>> each = answers.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return each.hasNext();
                }

                @Override
                public Offer next() {
                    HttpFetch.Fetched<List<Map<String, Object>>> answer = each.next();
                    String node = answer.url().substring(0, answer.url().length() - "/chain".length());
                    return new Offer(node, answer.value(), answer.problem());
                }
            };
        };
    }
}

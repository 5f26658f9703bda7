package bitvillage.util.web;

import bitvillage.util.python.Sha256;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import spark.Request;

/**
 * {@code GET /chain}, written once per chain rather than once per request. A chain of 1,000 blocks
 * is some 340 KB of JSON, and a page that follows the village (the explorer) asks every node several
 * times a second. Blocks never change once forged, so a chain of the same length that ends in the
 * very same block object is the same chain, and its answer can be sent again as it was written. The
 * answer carries an {@code ETag}; a client that sends it back in {@code If-None-Match} gets
 * {@code 304 Not Modified} and no body.
 */
public final class ChainAnswerCache {
    private record Written(int length, Map<String, Object> lastBlock, WebApp.Reply reply, String etag) {}

    private final AtomicReference<Written> written = new AtomicReference<>();

    /**
     * The answer for {@code chain}, made by {@code answer} when the chain changed since the last one.
     * {@code answer} reads the chain again, after {@code chain} was taken: what it writes may be newer
     * than {@code chain}, never older, so an answer kept under {@code chain} is at worst written again.
     */
    public WebApp.Reply reply(Request request, List<Map<String, Object>> chain, Supplier<Object> answer) {
        Map<String, Object> lastBlock = chain.get(chain.size() - 1);
        Written last = written.get();
        if (last == null || last.length() != chain.size() || last.lastBlock() != lastBlock) {
            WebApp.Reply reply = WebApp.Reply.json(200, answer.get());
            String etag = "\"" + Sha256.hex(reply.body()).substring(0, 32) + "\"";
            last = new Written(chain.size(), lastBlock, new WebApp.Reply(reply.status(), reply.contentType(),
                    reply.body(), Map.of("ETag", etag)), etag);
            written.set(last);
        }
        if (matches(request.headers("If-None-Match"), last.etag())) {
            return new WebApp.Reply(304, last.reply().contentType(), "", Map.of("ETag", last.etag()));
        }
        return last.reply();
    }

    /** Does an If-None-Match header name this ETag (or say "*")? It may list several, weak ones too. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag));
    }
}

package bitvillage.check;

import bitvillage.util.client.HttpFetch;
import bitvillage.util.guard.ServedChain;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The checker's side of the conversation with a learner's node: plain requests, as curl sends them
 * (no Origin, the Host the URL gives, a JSON body marked as JSON), each answered within the timeout
 * and read up to a limit, or else a {@link Trouble} that says in plain words what went wrong.
 */
final class NodeClient {
    /** The most of one answer we read: as much as a node may serve, the largest chain it reads from a neighbour. */
    static final int MAX_ANSWER_BYTES = ServedChain.MAX_BYTES;

    /** How a request failed: the node is not there, it is too slow, check has read all it reads, or something else. */
    enum Kind { UNREACHABLE, LATE, SPENT, OTHER }

    /** A request that got no usable answer: the reason is what a learner reads. */
    static final class Trouble extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Kind kind;

        Trouble(String reason, Kind kind) {
            super(reason);
            this.kind = kind;
        }

        boolean unreachable() {
            return kind == Kind.UNREACHABLE;
        }

        boolean timedOut() {
            return kind == Kind.LATE;
        }

        /** Not sent: the node's answers so far are as much as check reads in one run. */
        boolean spent() {
            return kind == Kind.SPENT;
        }
    }

    /** An answer to {@code request} ("GET /chain"): its status, the two headers we read, its body as text. */
    record Exchange(String request, int status, String contentType, String allow, String body) {}

    private final String base;
    private final Duration timeout;
    private final HttpClient http;
    private final long mostBytes;
    private long bytesRead;

    /** A client that reads answers until they come to {@code mostBytes} together, and then sends nothing more. */
    NodeClient(String base, Duration timeout, long mostBytes) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpFetch.client(timeout);
        this.mostBytes = mostBytes;
    }

    NodeClient(String base, Duration timeout) {
        this(base, timeout, Long.MAX_VALUE);
    }

    String base() {
        return base;
    }

    /** Sends {@code method path}, with {@code json} as the body when it is not null. */
    Exchange send(String method, String path, String json) {
        if (bytesRead >= mostBytes) {
            throw new Trouble("the node's answers came to " + String.format(Locale.ROOT, "%,d", bytesRead)
                    + " bytes, and check reads at most " + (mostBytes >> 20) + " MiB of them in one run", Kind.SPENT);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        CompletableFuture<HttpResponse<String>> pending = HttpFetch.send(http, request.build(), MAX_ANSWER_BYTES);
        HttpResponse<String> response;
        try {
            // The request's own timeout stops waiting for the headers; this one also bounds a body that trickles.
            response = pending.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw noAnswer(method, path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            throw new Trouble("interrupted while waiting for the node", Kind.OTHER);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw new Trouble("could not connect within " + timeout.toSeconds() + " s", Kind.UNREACHABLE);
            }
            if (cause instanceof HttpTimeoutException) throw noAnswer(method, path);
            if (cause instanceof ConnectException) {
                throw new Trouble("cannot connect to " + base + ": is the node running?", Kind.UNREACHABLE);
            }
            if (cause instanceof HttpFetch.Refused) throw new Trouble(cause.getMessage(), Kind.OTHER); // too large, not UTF-8
            throw new Trouble(method + " " + path + " failed (" + cause.getClass().getSimpleName() + ")", Kind.OTHER);
        }
        bytesRead += response.body().getBytes(StandardCharsets.UTF_8).length;
        return new Exchange(method + " " + path, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.headers().firstValue("Allow").orElse(null), response.body());
    }

    private Trouble noAnswer(String method, String path) {
        return new Trouble(method + " " + path + ": no whole answer within " + timeout.toSeconds() + " s", Kind.LATE);
    }
}

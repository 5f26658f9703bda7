package bitvillage.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks many URLs at once with {@code GET}, waiting at most one deadline for all of them, and
 * reads at most so many bytes from each answer and from all answers together. Every failure
 * becomes a reason in plain words, never an exception: the caller (B10's consensus) reads text
 * or skips a neighbour with the reason, and never deals with HTTP's ways of failing.
 */
public final class HttpFetch {
    private HttpFetch() {}

    /** One URL's answer: the body of a 200 answer as text, or the problem that made us drop it. */
    public record Answer(String url, String text, String problem) {
        public boolean ok() {
            return text != null;
        }
    }

    /** An HTTP/1.1 client (what Flask and Spark speak; no upgrade attempts) that connects within {@code timeout}. */
    public static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * Asks every URL at once and waits at most {@code timeout} in all, so one slow or silent server
     * delays us by the timeout, not by its own whims. An answer longer than {@code maxBytesEach} is
     * dropped as soon as it grows past it (or says it will); and once the answers together hold
     * {@code maxBytesInAll} bytes, the next bytes that arrive drop the answer they belong to. The
     * answers come in the order of the URLs.
     */
    public static List<Answer> getAll(HttpClient client, List<String> urls, Duration timeout,
                                      int maxBytesEach, long maxBytesInAll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AtomicLong bytesLeftInAll = new AtomicLong(maxBytesInAll);
        List<CompletableFuture<HttpResponse<byte[]>>> requests = new ArrayList<>();
        for (String url : urls) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
            requests.add(client.sendAsync(request,
                    info -> new AtMostBytes(info, maxBytesEach, bytesLeftInAll, maxBytesInAll)));
        }
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            answers.add(await(urls.get(i), requests.get(i), deadline, timeout));
        }
        return answers;
    }

    private static Answer await(String url, CompletableFuture<HttpResponse<byte[]>> pending, long deadline,
                                Duration timeout) {
        HttpResponse<byte[]> response;
        try {
            response = pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true); // stop reading its answer
            return dropped(url, "no whole answer within " + seconds(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            return dropped(url, "we stopped waiting: the node is shutting down");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) return dropped(url, "could not connect within " + seconds(timeout));
            if (cause instanceof HttpTimeoutException) return dropped(url, "no whole answer within " + seconds(timeout)); // the request timed out: the same deadline
            if (cause instanceof ConnectException) return dropped(url, "cannot connect: is the node running?");
            if (cause instanceof TooLarge) return dropped(url, cause.getMessage());
            return dropped(url, "the request failed (" + cause.getClass().getSimpleName() + ")"); // no Java internals
        }
        if (response.statusCode() != 200) return dropped(url, "answered HTTP " + response.statusCode() + ", not 200");
        try {
            return new Answer(url, utf8(response.body()), null);
        } catch (CharacterCodingException e) {
            return dropped(url, "the answer is not UTF-8 text");
        }
    }

    private static Answer dropped(String url, String problem) {
        return new Answer(url, null, problem);
    }

    /**
     * The bytes as UTF-8 text, strictly: a byte sequence that is no UTF-8 is an error, not a
     * replacement character (which would quietly change what the sender wrote).
     */
    public static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** An answer larger than we are willing to hold. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * Collects an answer's body, but gives up as soon as it grows past {@code maxBytes} (or says it
     * will), or the answers together pass their budget: no server, and no crowd of servers, can
     * make us hold a body of any size in memory.
     */
    private static final class AtMostBytes implements HttpResponse.BodySubscriber<byte[]> {
        private final long declared;
        private final int maxBytes;
        private final AtomicLong bytesLeftInAll;
        private final long maxBytesInAll;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        AtMostBytes(HttpResponse.ResponseInfo info, int maxBytes, AtomicLong bytesLeftInAll, long maxBytesInAll) {
            this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            this.maxBytes = maxBytes;
            this.bytesLeftInAll = bytesLeftInAll;
            this.maxBytesInAll = maxBytesInAll;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared > maxBytes) {
                giveUp("the answer is larger than " + mib(maxBytes));
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) return;
                int size = buffer.remaining();
                if (bytes.size() + (long) size > maxBytes) {
                    giveUp("the answer is larger than " + mib(maxBytes));
                    return;
                }
                if (bytesLeftInAll.addAndGet(-size) < 0) {
                    bytesLeftInAll.addAndGet(size);
                    giveUp("the answers together passed " + mib(maxBytesInAll) + "; this one was dropped");
                    return;
                }
                byte[] chunk = new byte[size];
                buffer.get(chunk);
                bytes.write(chunk, 0, size);
            }
        }

        /** Stops reading, and gives what this answer held back to the budget of all answers. */
        private void giveUp(String reason) {
            subscription.cancel();
            bytesLeftInAll.addAndGet(bytes.size());
            bytes.reset();
            body.completeExceptionally(new TooLarge(reason));
        }

        @Override
        public void onError(Throwable failure) {
            bytesLeftInAll.addAndGet(bytes.size());
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }

    private static String seconds(Duration timeout) {
        return timeout.toSeconds() + " s";
    }

    private static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}

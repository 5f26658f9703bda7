package bitvillage.util.client;

import bitvillage.util.python.Utf8;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The one way we read an answer over HTTP: never more than so many bytes of it. {@link #getEach}
 * asks many URLs at once with {@code GET}, waiting at most one deadline for all of them, and holds
 * at most so many bytes from all answers together; {@link #send} sends one request. Every failure becomes a reason in plain words, never an exception: the caller reads
 * text or skips a URL with the reason, and never deals with HTTP's ways of failing.
 */
public final class HttpFetch {
    private HttpFetch() {}

    /** One URL's answer: the body of a 200 answer as text, or the problem that made us drop it. */
    public record Fetched(String url, String text, String problem) {
        public boolean ok() {
            return text != null;
        }
    }

    /** An HTTP/1.1 client (what Flask and Spark speak; no upgrade attempts) that connects within {@code timeout}. */
    public static HttpClient client(Duration timeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * Sends one request and reads its answer, whatever its status, as text: the future fails with a
     * {@link Refused} as soon as the answer grows past {@code maxBytes} (or says it will), or when it
     * is not UTF-8 text. The request's own timeout bounds the wait for the headers only: a caller
     * that must not wait on a body that trickles sets a deadline on the future.
     */
    public static CompletableFuture<HttpResponse<String>> send(HttpClient client, HttpRequest request, int maxBytes) {
        return client.sendAsync(request, info -> new AtMostBytes(info, maxBytes, new Budget(Long.MAX_VALUE)));
    }

    /**
     * Asks every URL at once and hands out the answers as they arrive, each once whole; at
     * {@code timeout} after the call, every URL still unanswered is handed out as dropped, so one
     * slow or silent server delays us by the timeout, not by its own whims. An answer longer than
     * {@code maxBytesEach} is dropped as soon as it grows past it (or says it will). Answers hold at
     * most {@code maxBytesInAll} bytes together: bytes that find no room wait, unread, until the
     * caller is done with an answer it was handed (asking for the next one frees the last), so a
     * crowd of large answers slows the others down and drops none of them.
     */
    public static Iterable<Fetched> getEach(HttpClient client, List<String> urls, Duration timeout,
                                            int maxBytesEach, long maxBytesInAll) {
        return () -> new Arrivals(client, urls, timeout, maxBytesEach, new Budget(maxBytesInAll));
    }

    /** The answers in the order they arrive, then those the deadline cut short in the order of the URLs. */
    private static final class Arrivals implements Iterator<Fetched> {
        private final List<String> urls;
        private final Duration timeout;
        private final long deadline;
        private final Budget budget;
        private final List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        private final AtomicReferenceArray<AtMostBytes> bodies; // each URL's body, once its answer began
        private final boolean[] handedOut;
        private final LinkedBlockingQueue<Integer> arrived = new LinkedBlockingQueue<>();
        private int left;
        private AtMostBytes lastHandedOut;
        private String stoppedBecause; // set once we stop waiting: every URL left is dropped for it

        Arrivals(HttpClient client, List<String> urls, Duration timeout, int maxBytesEach, Budget budget) {
            this.urls = urls;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
            this.budget = budget;
            this.handedOut = new boolean[urls.size()];
            this.bodies = new AtomicReferenceArray<>(urls.size());
            this.left = urls.size();
            for (int i = 0; i < urls.size(); i++) {
                int index = i;
                HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(i))).timeout(timeout).GET().build();
                CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request, info -> {
                    AtMostBytes body = new AtMostBytes(info, maxBytesEach, budget);
                    bodies.set(index, body);
                    return body;
                });
                requests.add(pending);
                pending.whenComplete((response, failure) -> arrived.add(index));
            }
        }

        @Override
        public boolean hasNext() {
            return left > 0;
        }

        @Override
        public Fetched next() {
            if (left == 0) throw new NoSuchElementException();
            if (lastHandedOut != null) lastHandedOut.release(); // the caller is done with it
            lastHandedOut = null;
            left--;
            if (stoppedBecause != null) return cutShort(stoppedBecause); // what comes in now is only our cancelling
            Integer index;
            try {
                do { // skip an answer that came after the deadline handed its URL out as dropped
                    index = arrived.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } while (index != null && handedOut[index]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cutShort("we stopped waiting: the node is shutting down");
            }
            if (index == null) return cutShort("no whole answer within " + timeout.toSeconds() + " s");
            handedOut[index] = true;
            if (left == 0) releaseAll();
            return read(index);
        }

        /** The first URL not yet handed out, as dropped; once time is up, every request still running is stopped. */
        private Fetched cutShort(String problem) {
            stoppedBecause = problem;
            for (int i = 0; i < urls.size(); i++) {
                requests.get(i).cancel(true);
                AtMostBytes body = bodies.get(i);
                if (body != null) body.stop();
            }
            if (left == 0) releaseAll();
            for (int i = 0; i < urls.size(); i++) {
                if (!handedOut[i]) {
                    handedOut[i] = true;
                    return new Fetched(urls.get(i), null, problem);
                }
            }
            throw new IllegalStateException("every URL was handed out already");
        }

        private void releaseAll() {
            for (int i = 0; i < urls.size(); i++) {
                AtMostBytes body = bodies.get(i);
                if (body != null) body.release();
            }
        }

        private Fetched read(int index) {
            String url = urls.get(index);
            HttpResponse<String> response;
            try {
                response = requests.get(index).join();
            } catch (RuntimeException e) {
                return new Fetched(url, null, problem(e.getCause() == null ? e : e.getCause()));
            }
            lastHandedOut = bodies.get(index);
            if (response.statusCode() != 200) return new Fetched(url, null, "answered HTTP " + response.statusCode() + ", not 200");
            return new Fetched(url, response.body(), null);
        }

        private String problem(Throwable cause) {
            String within = timeout.toSeconds() + " s";
            if (cause instanceof HttpConnectTimeoutException) return "could not connect within " + within;
            if (cause instanceof HttpTimeoutException) return "no whole answer within " + within; // the request's own deadline, the same
            if (cause instanceof ConnectException) return "cannot connect: is the node running?";
            if (cause instanceof Refused) return cause.getMessage();
            return "the request failed (" + cause.getClass().getSimpleName() + ")"; // no Java internals
        }
    }

    /** The bytes all answers may hold together; an answer that finds no room waits its turn. */
    private static final class Budget {
        private long left;
        private final Deque<Runnable> waiting = new ArrayDeque<>();

        Budget(long bytes) {
            this.left = bytes;
        }

        /** Takes {@code bytes} if there is room; if not, {@code retry} runs once some room comes back. */
        synchronized boolean take(long bytes, Runnable retry) {
            if (bytes <= left) {
                left -= bytes;
                return true;
            }
            waiting.add(retry);
            return false;
        }

        void giveBack(long bytes) {
            List<Runnable> retries;
            synchronized (this) {
                left += bytes;
                retries = new ArrayList<>(waiting);
                waiting.clear();
            }
            retries.forEach(Runnable::run);
        }
    }

    /** An answer we refuse to read on: too large, or not UTF-8 text; the message says which, in plain words. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        private Refused(String message) {
            super(message);
        }
    }

    /**
     * Collects an answer's body one piece at a time, giving up as soon as it grows past
     * {@code maxBytes} (or says it will): no server can make us hold a body of any size. A piece
     * that finds no room in the budget of all answers is kept aside and the next one not asked
     * for, until room comes back.
     */
    private static final class AtMostBytes implements HttpResponse.BodySubscriber<String> {
        private final long declared;
        private final int maxBytes;
        private final Budget budget;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private final AtomicBoolean released = new AtomicBoolean();
        private long taken; // bytes of the budget this answer holds
        private boolean parked; // a piece waits for room in the budget
        private boolean ended; // the server sent the whole body
        private Flow.Subscription subscription;

        AtMostBytes(HttpResponse.ResponseInfo info, int maxBytes, Budget budget) {
            this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            this.maxBytes = maxBytes;
            this.budget = budget;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared > maxBytes) {
                giveUp("the answer is larger than " + mib(maxBytes));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            long size = 0;
            for (ByteBuffer buffer : buffers) size += buffer.remaining();
            if (bytes.size() + size > maxBytes) {
                giveUp("the answer is larger than " + mib(maxBytes));
                return;
            }
            keep(buffers, size);
        }

        private void keep(List<ByteBuffer> buffers, long size) {
            synchronized (this) {
                if (body.isDone()) return;
                parked = true; // until the budget has room; the body may end meanwhile, but not complete
            }
            if (!budget.take(size, () -> keep(buffers, size))) return; // we come back here when there is room
            boolean ended;
            synchronized (this) {
                taken += size;
                for (ByteBuffer buffer : buffers) {
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    bytes.write(chunk, 0, chunk.length);
                }
                parked = false;
                ended = this.ended;
            }
            if (ended) finish();
            else subscription.request(1);
        }

        private void giveUp(String reason) {
            subscription.cancel();
            fail(new Refused(reason));
        }

        /** Stops reading: the deadline passed. */
        void stop() {
            if (subscription != null) subscription.cancel();
            fail(new Refused("stopped at the deadline"));
        }

        private void fail(Throwable failure) {
            synchronized (this) {
                bytes.reset();
            }
            release();
            body.completeExceptionally(failure);
        }

        /** Gives this answer's bytes back to the budget of all answers, once. */
        void release() {
            if (!released.compareAndSet(false, true)) return;
            long bytesHeld;
            synchronized (this) {
                bytesHeld = taken;
            }
            budget.giveBack(bytesHeld);
        }

        @Override
        public void onError(Throwable failure) {
            fail(failure);
        }

        @Override
        public void onComplete() {
            boolean whole;
            synchronized (this) {
                ended = true;
                whole = !parked; // else the piece kept aside is the last, and keep() finishes
            }
            if (whole) finish();
        }

        private void finish() {
            byte[] all;
            synchronized (this) {
                all = bytes.toByteArray();
                bytes.reset();
            }
            try {
                body.complete(Utf8.strict(all));
            } catch (CharacterCodingException e) {
                fail(new Refused("the answer is not UTF-8 text"));
            }
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }
    }

    private static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}

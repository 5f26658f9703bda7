package bitvillage.util.client;

import bitvillage.util.python.Utf8;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.CookieHandler;
import java.net.ProxySelector;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The one way we ask over HTTP: every answer whole within its deadline, and never more than so
 * many bytes of it. {@link #client} makes the client, whose every answer must arrive whole in
 * time; {@link #send} sends one request and reads its answer as text; {@link #getEach} asks many
 * URLs at once and reads each answer as it arrives, all of them together holding at most so much
 * memory. Every failure becomes a reason in plain words, never an exception: the caller reads text
 * or skips a URL with the reason, and never deals with HTTP's ways of failing.
 */
public final class HttpFetch {
    private HttpFetch() {}

    /** One URL's answer: what was read of a 200 answer, or the problem that made us drop it. */
    public record Fetched<T>(String url, T value, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Reads one answer as its bytes arrive, and holds what it makes of them. It is told each piece
     * once, in order, then that the answer ended; it refuses, with the reason, as soon as it knows.
     */
    public interface Reader<T> {
        /** Reads the next bytes of the answer. */
        void read(ByteBuffer bytes) throws Refused;

        /** The answer ended: what was read of it. */
        T finish() throws Refused;

        /** About how many bytes of memory what was read so far takes: what counts against the room of all answers. */
        long held();
    }

    /** An answer we refuse to read on (too large, not UTF-8, misshapen); the message says why, in plain words. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /** Why a request of a client with this {@code timeout} got no answer, in plain words (no Java internals). */
    public static String whyNoAnswer(Throwable cause, Duration timeout) {
        String within = timeout.toSeconds() + " s";
        if (cause instanceof HttpConnectTimeoutException) return "could not connect within " + within;
        if (cause instanceof HttpTimeoutException) return "no whole answer within " + within; // the request's own deadline, the same
        if (cause instanceof ConnectException) return "cannot connect: is the node running?";
        if (cause instanceof Refused) return cause.getMessage();
        return "the request failed (" + cause.getClass().getSimpleName() + ")";
    }

    /**
     * An HTTP/1.1 client (what Flask and Spark speak; no upgrade attempts) that connects within
     * {@code timeout}, and reads every answer whole in time: its head within the request's own
     * timeout (all HttpClient bounds), and its body within that timeout too, and within
     * {@code timeout} of its head. A server that sends a head and then trickles, or stalls, fails
     * the request with an {@link HttpTimeoutException} that says so, as a silent one does; it holds
     * nobody for longer. (A node writes an answer it has whole: its body follows its head at once.)
     */
    public static HttpClient client(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        return new WholeInTime(http, timeout);
    }

    /**
     * Sends one request and reads its answer, whatever its status, as text: the future fails with a
     * {@link Refused} as soon as the answer grows past {@code maxBytes} (or says it will), or when it
     * is not UTF-8 text; with a client of {@link #client}, it fails with an {@link HttpTimeoutException}
     * when the answer is not whole in time.
     */
    public static CompletableFuture<HttpResponse<String>> send(HttpClient client, HttpRequest request, int maxBytes) {
        return client.sendAsync(request, info -> new AtMostBytes(info, maxBytes));
    }

    /**
     * Asks every URL at once with {@code GET} and hands out the answers as they arrive, each once
     * whole, read by a reader of {@code readers}; at {@code timeout} after the call, every URL still
     * unanswered is handed out as dropped, so one slow or silent server delays us by the timeout, not
     * by its own whims. The body of an answer other than 200 is not read. An answer longer than
     * {@code maxBytesEach} is dropped as soon as it grows past it (or says it will).
     *
     * <p>What the readers hold together is at most about {@code maxHeldInAll} bytes of memory,
     * however many URLs there are and whatever they send. An answer handed out counts until the
     * caller asks for the next one. When the answers being read would hold more, the one that
     * pushed past it waits, unread, while answers handed out (or about to be) will make room; and
     * when none will, the answer being read that holds the most is dropped, with the reason. So
     * answers that stall, holding what they sent, are dropped as soon as another one needs the
     * room, and an answer that arrives whole is never crowded out by ones that do not: it only needs
     * no more than its share.
     */
    public static <T> Iterable<Fetched<T>> getEach(HttpClient client, List<String> urls, Duration timeout,
                                                   int maxBytesEach, long maxHeldInAll, Supplier<Reader<T>> readers) {
        return () -> new Arrivals<>(client, urls, timeout, maxBytesEach, new Room(maxHeldInAll), readers);
    }

    /** The answers in the order they arrive, then those the deadline cut short in the order of the URLs. */
    private static final class Arrivals<T> implements Iterator<Fetched<T>> {
        private final List<String> urls;
        private final Duration timeout;
        private final long deadline;
        private final Room room;
        private final List<CompletableFuture<HttpResponse<T>>> requests = new ArrayList<>();
        private final AtomicReferenceArray<Streamed<T>> bodies; // each URL's body, once its answer began
        private final boolean[] handedOut;
        private final LinkedBlockingQueue<Integer> arrived = new LinkedBlockingQueue<>();
        private int left;
        private Streamed<T> lastHandedOut;
        private String stoppedBecause; // set once we stop waiting: every URL left is dropped for it

        Arrivals(HttpClient client, List<String> urls, Duration timeout, int maxBytesEach, Room room,
                 Supplier<Reader<T>> readers) {
            this.urls = urls;
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
            this.room = room;
            this.handedOut = new boolean[urls.size()];
            this.bodies = new AtomicReferenceArray<>(urls.size());
            this.left = urls.size();
            for (int i = 0; i < urls.size(); i++) {
                int index = i;
                HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(i))).timeout(timeout).GET().build();
                CompletableFuture<HttpResponse<T>> pending = client.sendAsync(request, info -> {
                    if (info.statusCode() != 200) return new Unread<>(); // its status is all we say of it
                    Streamed<T> body = new Streamed<>(info, maxBytesEach, room, readers.get());
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
        public Fetched<T> next() {
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
            Fetched<T> answer = read(index);
            if (left == 0) releaseAll();
            return answer;
        }

        /** The first URL not yet handed out, as dropped; once time is up, every request still running is stopped. */
        private Fetched<T> cutShort(String problem) {
            stoppedBecause = problem;
            for (int i = 0; i < urls.size(); i++) {
                requests.get(i).cancel(true);
                Streamed<T> body = bodies.get(i);
                if (body != null) body.stop();
            }
            if (left == 0) releaseAll();
            for (int i = 0; i < urls.size(); i++) {
                if (!handedOut[i]) {
                    handedOut[i] = true;
                    return new Fetched<>(urls.get(i), null, problem);
                }
            }
            throw new IllegalStateException("every URL was handed out already");
        }

        private void releaseAll() {
            for (int i = 0; i < urls.size(); i++) {
                Streamed<T> body = bodies.get(i);
                if (body != null) body.release();
            }
        }

        private Fetched<T> read(int index) {
            String url = urls.get(index);
            HttpResponse<T> response;
            try {
                response = requests.get(index).join();
            } catch (RuntimeException e) {
                return new Fetched<>(url, null, whyNoAnswer(e.getCause() == null ? e : e.getCause(), timeout));
            }
            if (response.statusCode() != 200) return new Fetched<>(url, null, "answered HTTP " + response.statusCode() + ", not 200");
            lastHandedOut = bodies.get(index);
            return new Fetched<>(url, response.body(), null);
        }

    }

    /**
     * The memory all answers of one {@link #getEach} hold together, and what is done when they
     * would hold more. One lock guards the room and every answer's reading: one answer is read at
     * a time, so an answer can be dropped, and what it held let go, at any moment. What must not run
     * under the lock (asking the server for more bytes, stopping it, completing an answer) is done
     * right after it.
     */
    private static final class Room {
        private final long limit;
        private final List<Streamed<?>> answers = new ArrayList<>();
        private long held;
        private boolean freed; // some room came back: answers waiting for it may go on

        Room(long limit) {
            this.limit = limit;
        }

        /** Runs {@code locked} under the lock, then what it left to do after. */
        void act(Consumer<List<Runnable>> locked) {
            List<Runnable> after = new ArrayList<>();
            synchronized (this) {
                locked.accept(after);
                while (freed) {
                    freed = false;
                    for (Streamed<?> answer : List.copyOf(answers)) answer.resumeLocked(after);
                }
            }
            after.forEach(Runnable::run);
        }

        /** The answer now holds {@code bytes}. */
        void count(Streamed<?> answer, long bytes) {
            held += bytes - answer.held;
            if (bytes < answer.held) freed = true;
            answer.held = bytes;
        }

        /** The answer being read now holds {@code bytes}; when all answers hold too much, it waits, or the largest being read goes. */
        void hold(Streamed<?> answer, long bytes, List<Runnable> after) {
            count(answer, bytes);
            if (held <= limit) return;
            for (Streamed<?> other : answers) {
                if (other.state == State.WHOLE && other.held > 0) { // the caller will let it go: wait for that
                    answer.state = State.WAITING;
                    return;
                }
            }
            while (held > limit) {
                Streamed<?> largest = null;
                for (Streamed<?> other : answers) {
                    if (other.state.beingRead() && (largest == null || other.held > largest.held)) largest = other;
                }
                if (largest == null) return;
                long share = largest.held;
                largest.dropLocked(share > limit
                        ? "holding this answer would take more than the " + mib(limit) + " of memory all answers may hold together"
                        : "dropped to make room: the answers being read may hold " + mib(limit) + " of memory together,"
                                + " and this one, not yet whole, held the most (" + mib(share) + ")", after);
            }
        }

        /** The answer holds nothing any more. */
        void free(Streamed<?> answer) {
            held -= answer.held;
            answer.held = 0;
            answers.remove(answer);
            freed = true;
        }
    }

    private enum State {
        READING, WAITING, WHOLE, GONE;

        boolean beingRead() {
            return this == READING || this == WAITING;
        }
    }

    /**
     * One answer's body, handed to its {@link Reader} a piece at a time as it arrives, and never
     * more than {@code maxBytes} of it: no server can make us read a body of any size. All its
     * state is guarded by the {@link Room}'s lock.
     */
    private static final class Streamed<T> implements HttpResponse.BodySubscriber<T> {
        /** The most bytes the reader is given at once: the room is counted after each piece. */
        private static final int PIECE = 4096;

        private final long declared;
        private final int maxBytes;
        private final Room room;
        private final CompletableFuture<T> body = new CompletableFuture<>();
        private final Deque<ByteBuffer> unread = new ArrayDeque<>();
        private Reader<T> reader; // null once the answer is gone: what it read is let go
        private Flow.Subscription subscription;
        private long received;
        private boolean ended; // the server sent the whole body
        private State state = State.READING;
        private long held; // what the room counts for this answer

        Streamed(HttpResponse.ResponseInfo info, int maxBytes, Room room, Reader<T> reader) {
            this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            this.maxBytes = maxBytes;
            this.room = room;
            this.reader = reader;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            room.act(after -> {
                this.subscription = subscription;
                if (state == State.GONE) { // stopped before the body began
                    after.add(subscription::cancel);
                    return;
                }
                room.answers.add(this);
                if (declared > maxBytes) {
                    dropLocked("the answer is larger than " + mib(maxBytes), after);
                } else {
                    after.add(() -> subscription.request(1));
                }
            });
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            room.act(after -> {
                if (state == State.GONE) return;
                for (ByteBuffer buffer : buffers) received += buffer.remaining();
                if (received > maxBytes) {
                    dropLocked("the answer is larger than " + mib(maxBytes), after);
                    return;
                }
                unread.addAll(buffers);
                readLocked(after);
            });
        }

        @Override
        public void onComplete() {
            room.act(after -> {
                if (state == State.GONE) return;
                ended = true;
                if (state == State.READING && unread.isEmpty()) finishLocked(after);
            });
        }

        @Override
        public void onError(Throwable failure) {
            room.act(after -> {
                if (state == State.GONE) return;
                goneLocked();
                after.add(() -> body.completeExceptionally(failure));
            });
        }

        @Override
        public CompletionStage<T> getBody() {
            return body;
        }

        /** Gives the reader what came in, a piece at a time, until all is read, the room is full, or the answer is gone. */
        private void readLocked(List<Runnable> after) {
            while (state == State.READING && !unread.isEmpty()) {
                ByteBuffer next = unread.peek();
                int length = Math.min(PIECE, next.remaining());
                ByteBuffer piece = next.slice(next.position(), length);
                next.position(next.position() + length);
                if (!next.hasRemaining()) unread.poll();
                try {
                    reader.read(piece);
                } catch (Refused refused) {
                    dropLocked(refused.getMessage(), after);
                    return;
                } catch (RuntimeException bug) { // a reader's bug ends this answer, not the others'
                    dropLocked("the answer could not be read (" + bug.getClass().getSimpleName() + ")", after);
                    return;
                }
                room.hold(this, reader.held(), after);
            }
            if (state != State.READING) return;
            if (ended) {
                finishLocked(after);
            } else {
                Flow.Subscription more = subscription;
                after.add(() -> more.request(1));
            }
        }

        /** Room came back: an answer that waited for it reads on. */
        void resumeLocked(List<Runnable> after) {
            if (state != State.WAITING) return;
            state = State.READING;
            readLocked(after);
        }

        private void finishLocked(List<Runnable> after) {
            T value;
            try {
                value = reader.finish();
            } catch (Refused refused) {
                dropLocked(refused.getMessage(), after);
                return;
            } catch (RuntimeException bug) {
                dropLocked("the answer could not be read (" + bug.getClass().getSimpleName() + ")", after);
                return;
            }
            state = State.WHOLE;
            room.count(this, reader.held());
            reader = null;
            after.add(() -> body.complete(value));
        }

        /** Stops reading this answer, lets go of what it read, and says why. */
        void dropLocked(String reason, List<Runnable> after) {
            goneLocked();
            Flow.Subscription reading = subscription;
            after.add(() -> {
                if (reading != null) reading.cancel();
                body.completeExceptionally(new Refused(reason));
            });
        }

        private void goneLocked() {
            state = State.GONE;
            reader = null;
            unread.clear();
            room.free(this);
        }

        /** Stops reading: the deadline passed. */
        void stop() {
            room.act(after -> {
                if (state == State.GONE) return;
                dropLocked("stopped at the deadline", after);
            });
        }

        /** The caller is done with this answer: its room comes back (an answer not handed out goes too). */
        void release() {
            room.act(after -> {
                if (state == State.GONE) return;
                if (state == State.WHOLE) goneLocked();
                else dropLocked("stopped: the caller is done", after);
            });
        }
    }

    /** The body of an answer we do not read: its status says all. */
    private static final class Unread<T> implements HttpResponse.BodySubscriber<T> {
        private final CompletableFuture<T> body = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            body.complete(null);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}

        @Override
        public CompletionStage<T> getBody() {
            return body;
        }
    }

    /**
     * Collects an answer's body one piece at a time, giving up as soon as it grows past
     * {@code maxBytes} (or says it will): no server can make us hold a body of any size.
     */
    private static final class AtMostBytes implements HttpResponse.BodySubscriber<String> {
        private final long declared;
        private final int maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        AtMostBytes(HttpResponse.ResponseInfo info, int maxBytes) {
            this.declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            this.maxBytes = maxBytes;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declared > maxBytes) {
                giveUp();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + (long) buffer.remaining() > maxBytes) {
                    giveUp();
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
            subscription.request(1);
        }

        private void giveUp() {
            subscription.cancel();
            bytes.reset();
            body.completeExceptionally(new Refused("the answer is larger than " + mib(maxBytes)));
        }

        @Override
        public void onError(Throwable failure) {
            bytes.reset();
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            try {
                body.complete(Utf8.strict(bytes.toByteArray()));
            } catch (CharacterCodingException e) {
                body.completeExceptionally(new Refused("the answer is not UTF-8 text"));
            } finally {
                bytes.reset();
            }
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }
    }

    /**
     * The JDK's client, with every answer whole in time ({@link #client}): its timeout bounds only
     * the head of an answer, and a server that sends a head and then one byte now and then would
     * hold the caller for as long as it likes.
     */
    private static final class WholeInTime extends HttpClient {
        /** Ends the answers that are not whole in time; one thread for all clients, which sleeps but when one is due. */
        private static final ScheduledThreadPoolExecutor DEADLINES = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "answer deadlines");
            thread.setDaemon(true);
            return thread;
        });

        static {
            DEADLINES.setRemoveOnCancelPolicy(true); // an answer whole in time leaves nothing behind
        }

        private final HttpClient http;
        private final Duration bodyWithin;

        WholeInTime(HttpClient http, Duration bodyWithin) {
            this.http = http;
            this.bodyWithin = bodyWithin;
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return http.send(request, inTime(request, handler));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return http.sendAsync(request, inTime(request, handler));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> pushPromises) {
            return http.sendAsync(request, inTime(request, handler), pushPromises);
        }

        /** The handler, with the deadline of the body it makes: the request's timeout after sending, and {@code bodyWithin} after the head. */
        private <T> HttpResponse.BodyHandler<T> inTime(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            long sent = System.nanoTime();
            Optional<Duration> whole = request.timeout();
            return info -> {
                long now = System.nanoTime();
                long bodyEnds = now + bodyWithin.toNanos();
                long wholeEnds = whole.map(timeout -> sent + timeout.toNanos()).orElse(Long.MAX_VALUE);
                String late = wholeEnds - bodyEnds <= 0 ? "no whole answer within " + whole.orElseThrow().toSeconds() + " s"
                        : "the answer began, and did not end within " + bodyWithin.toSeconds() + " s";
                return new InTime<>(handler.apply(info), Math.min(bodyEnds, wholeEnds) - now, late);
            };
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return http.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return http.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return http.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return http.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return http.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return http.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return http.authenticator();
        }

        @Override
        public Version version() {
            return http.version();
        }

        @Override
        public Optional<Executor> executor() {
            return http.executor();
        }

        /**
         * A body that must have arrived whole within {@code nanos}: then the server is told to stop
         * and the body fails with an {@link HttpTimeoutException} saying so. Signals reach the body
         * one at a time, whichever thread sends them.
         */
        private static final class InTime<T> implements HttpResponse.BodySubscriber<T> {
            private final HttpResponse.BodySubscriber<T> body;
            private final long nanos;
            private final String late;
            private boolean done; // guarded by this
            private Flow.Subscription subscription;
            private ScheduledFuture<?> deadline;

            InTime(HttpResponse.BodySubscriber<T> body, long nanos, String late) {
                this.body = body;
                this.nanos = nanos;
                this.late = late;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                synchronized (this) {
                    this.subscription = subscription;
                    deadline = DEADLINES.schedule(this::expire, Math.max(0, nanos), TimeUnit.NANOSECONDS);
                    body.onSubscribe(subscription);
                }
            }

            private void expire() {
                synchronized (this) {
                    if (done) return;
                    done = true;
                    body.onError(new HttpTimeoutException(late));
                }
                subscription.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                synchronized (this) {
                    if (!done) body.onNext(item);
                }
            }

            @Override
            public void onError(Throwable failure) {
                if (end()) body.onError(failure);
            }

            @Override
            public void onComplete() {
                if (end()) body.onComplete();
            }

            /** The body ended in time: true unless the deadline ended it first. */
            private boolean end() {
                synchronized (this) {
                    if (done) return false;
                    done = true;
                }
                deadline.cancel(false);
                return true;
            }

            @Override
            public CompletionStage<T> getBody() {
                return body.getBody();
            }
        }
    }

    private static String mib(long bytes) {
        if (bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
        return bytes < 1 << 20 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}

package bitvillage.util.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.servlet.ServletRequest;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import spark.embeddedserver.EmbeddedServers;
import spark.embeddedserver.jetty.EmbeddedJettyFactory;
import spark.embeddedserver.jetty.JettyServerFactory;

/**
 * Jetty as Spark builds it, with the changes a node open to its neighbours needs. Spark keeps an
 * idle connection for an hour, so a few hundred clients that open a request and then say nothing
 * would hold every thread; here a silent connection closes after {@link #IDLE_MILLIS}. A client that
 * sends a body slowly holds a thread for as long as it keeps sending, which the idle time cannot
 * stop; so a body must arrive whole within {@link #BODY_MILLIS}, and only {@link #MAX_WAITING_BODIES}
 * requests may wait for body bytes at once ({@link #readBody}). The errors Jetty answers by
 * itself, before a route runs (a malformed URL, a header too large), are JSON like every other
 * answer of a node, not an HTML page naming Jetty's version; and no answer has a Server header,
 * which would name it too (an attacker reads there which flaws a node may have). What Jetty 9.4 and
 * Spark let through by default, and a node must not act on, is refused with a 400 before any route
 * runs ({@link #whyMalformed}).
 */
final class SafeJetty implements JettyServerFactory {
    /** How long a connection may stay silent, in the middle of a request or between requests. */
    static final int IDLE_MILLIS = 30_000;
    /**
     * How many new connections the kernel may hold for us before we accept them. Java's default is
     * 50: a crowd of 300 payments at once overflows it, the kernel falls back to SYN cookies, and
     * some connections are reset before the node reads a byte of them ("header parser received no
     * bytes" at the client). Linux caps it at net.core.somaxconn (4096 on Debian).
     */
    static final int ACCEPT_QUEUE = 1024;
    /** How long a request's body may take to arrive, from the moment the route starts reading it. */
    static final int BODY_MILLIS = 10_000;
    /**
     * How many requests may wait for body bytes at once: each holds one of the 200 threads of
     * Jetty's pool, and the rest must stay free for every other request.
     */
    static final int MAX_WAITING_BODIES = 64;
    /**
     * How long a request may wait for one of those places. An honest client's body follows its head
     * within milliseconds, but a crowd of them (300 payments at once) can find every place taken for
     * a moment; a short wait lets them in, while a slow body still holds its place for seconds.
     */
    static final int PLACE_WAIT_MILLIS = 500;

    private static final String ID = "bitvillage-safe-jetty";

    static {
        EmbeddedServers.add(ID, new EmbeddedJettyFactory(new SafeJetty()));
    }

    /**
     * The name under which Spark finds this factory, for {@code service.embeddedServerIdentifier(...)};
     * asking for it registers the factory first.
     */
    static String id() {
        return ID;
    }

    @Override
    public Server create(int maxThreads, int minThreads, int threadTimeoutMillis) {
        // As Spark's own factory: its default pool unless a service sets one.
        return new NodeServer(maxThreads > 0 ? new QueuedThreadPool(maxThreads, minThreads, threadTimeoutMillis) : null);
    }

    @Override
    public Server create(ThreadPool threadPool) {
        return new NodeServer(threadPool);
    }

    /**
     * A Jetty server that counts the requests waiting for body bytes, closes a connection that
     * stays silent for {@link #IDLE_MILLIS}, and lets {@link #ACCEPT_QUEUE} connections queue.
     */
    private static final class NodeServer extends Server {
        final Semaphore waitingBodies = new Semaphore(MAX_WAITING_BODIES);

        /** With Jetty's default pool (200 threads) when {@code pool} is null. */
        NodeServer(ThreadPool pool) {
            super(pool);
            setErrorHandler(new JsonErrors());
        }

        /**
         * Spark adds its connector after this factory returns, with an idle time of an hour, Java's
         * accept queue of 50 and a Server header that names Jetty's version; we set ours as the
         * server starts.
         */
        @Override
        protected void doStart() throws Exception {
            for (Connector connector : getConnectors()) {
                if (connector instanceof ServerConnector open) {
                    open.setIdleTimeout(IDLE_MILLIS);
                    open.setAcceptQueueSize(ACCEPT_QUEUE);
                }
                for (ConnectionFactory factory : connector.getConnectionFactories()) {
                    if (factory instanceof HttpConfiguration.ConnectionFactory http) {
                        http.getHttpConfiguration().setSendServerVersion(false); // no Server header at all
                    }
                    // Jetty's default reads "get" as GET; case-sensitive, it hands "get" on, and whyMalformed refuses it.
                    if (factory instanceof HttpConnectionFactory http) http.setHttpCompliance(HttpCompliance.RFC7230);
                }
            }
            super.doStart();
        }
    }

    /**
     * Reads the body of a request, up to {@code limit} bytes, and stops there; reads on and drops
     * up to {@code dropLimit} bytes more when there are more, so that a client still sending hears
     * the answer. A body that does not arrive within {@link #BODY_MILLIS} is a 408; a request that
     * must wait for its body while {@link #MAX_WAITING_BODIES} others wait already, and still after
     * {@link #PLACE_WAIT_MILLIS}, is a 503.
     *
     * <p>Jetty's own guard, a minimum data rate, is checked only when a read begins: a read that
     * waits for a byte that never comes is ended by the idle timeout alone. So while a route waits
     * for body bytes, the connection's idle timeout counts down to the body's deadline; after the
     * body, it is {@link #IDLE_MILLIS} again.
     *
     * @return the body, or its first {@code limit + 1} bytes when it is longer than {@code limit}
     */
    static byte[] readBody(ServletRequest servletRequest, int limit, long dropLimit) {
        Request request = Request.getBaseRequest(servletRequest);
        HttpChannel channel = request.getHttpChannel();
        Semaphore waitingBodies = ((NodeServer) channel.getServer()).waitingBodies;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BODY_MILLIS);
        boolean waiting = false;
        try (InputStream in = request.getInputStream()) {
            long expected = request.getContentLengthLong(); // -1 for a chunked body
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            long read = 0;
            while (read != expected && read <= dropLimit) {
                if (in.available() == 0) {
                    // The next read waits for the client: take a place among the waiting, watch the clock.
                    if (!waiting && !waitingBodies.tryAcquire(PLACE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                        throw new WebApp.Rejected(503, "Service Unavailable: " + MAX_WAITING_BODIES
                                + " other requests are sending their bodies; try again in a moment");
                    }
                    waiting = true;
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) throw bodyTooSlow();
                    channel.setIdleTimeout(left);
                }
                int length = in.read(buffer);
                if (length < 0) break;
                if (read <= limit) body.write(buffer, 0, (int) Math.min(length, limit + 1 - read));
                read += length;
            }
            return body.toByteArray();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebApp.Rejected(503, "Service Unavailable: the node is stopping");
        } catch (BadMessageException e) {
            throw new WebApp.Rejected(e.getCode(), "the body could not be read: " + e.getReason());
        } catch (IOException e) {
            // Jetty ends a read that waited past the idle timeout with a TimeoutException.
            if (e.getCause() instanceof TimeoutException || System.nanoTime() - deadline >= 0) throw bodyTooSlow();
            throw new WebApp.Rejected(400, "the body ended before it was whole: the connection broke off");
        } finally {
            if (waiting) {
                channel.setIdleTimeout(channel.getConnector().getIdleTimeout());
                waitingBodies.release();
            }
        }
    }

    /**
     * The target of a request as it was sent, still %-encoded, with its query: /chain?x=1; for a
     * CONNECT, whose target is an address and no path, host:port.
     */
    static String target(HttpServletRequest servletRequest) {
        String path = servletRequest.getRequestURI();
        if (path == null) return Request.getBaseRequest(servletRequest).getHttpURI().getAuthority();
        return path + (servletRequest.getQueryString() == null ? "" : "?" + servletRequest.getQueryString());
    }

    /**
     * Why a request is refused before any route runs, or null. Jetty 9.4 and Spark are lenient
     * where a node must not be: Spark runs the route of the method an {@code X-HTTP-Method-Override}
     * header names, so a GET (an image on any web page) became a POST; Spark reads a method in small
     * letters ({@code get}) as GET; only the first of two Host headers would be checked; and Jetty
     * reads a body whose Transfer-Encoding says {@code gzip, chunked} as if it were plain. Each is a
     * 400, and a GET stays a GET.
     */
    static String whyMalformed(HttpServletRequest request) {
        String method = request.getMethod();
        if (!method.equals(method.toUpperCase(Locale.ROOT))) {
            return "methods are case-sensitive: write " + method.toUpperCase(Locale.ROOT) + ", not " + method;
        }
        if (request.getHeader("X-HTTP-Method-Override") != null) {
            return "a node takes no X-HTTP-Method-Override: send the request with the method you mean";
        }
        if (Collections.list(request.getHeaders("Host")).size() > 1) return "a request names one Host, not several";
        List<String> codings = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("Transfer-Encoding"))) {
            for (String coding : header.split(",", -1)) codings.add(coding.strip().toLowerCase(Locale.ROOT));
        }
        if (!codings.isEmpty() && !codings.equals(List.of("chunked"))) {
            return "a node reads a body sent as it is or chunked, not with Transfer-Encoding: " + String.join(", ", codings);
        }
        return null;
    }

    private static WebApp.Rejected bodyTooSlow() {
        return new WebApp.Rejected(408, "Request Timeout: the body did not arrive within " + BODY_MILLIS / 1000 + " s");
    }

    /** Jetty's own error answers, as {@code {"error": "..."}} with the status's name only. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                HttpServletResponse response, int code, String message) throws IOException {
            baseRequest.setHandled(true);
            response.setContentType("application/json");
            response.getWriter().write(body(code));
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8));
        }

        private static String body(int status) {
            return WebApp.Reply.error(status, HttpStatus.getMessage(status) + ": the node could not read this request")
                    .body();
        }
    }
}

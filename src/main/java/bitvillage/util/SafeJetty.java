package bitvillage.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import spark.embeddedserver.EmbeddedServers;
import spark.embeddedserver.jetty.EmbeddedJettyFactory;
import spark.embeddedserver.jetty.JettyServerFactory;

/**
 * Jetty as Spark builds it, with two changes a node open to its neighbours needs. Spark keeps an
 * idle connection for an hour, so a few hundred clients that open a request and then say nothing
 * would hold every thread; here a silent connection closes after {@link #IDLE_MILLIS}. And the
 * errors Jetty answers by itself, before a route runs (a malformed URL, a header too large), are
 * JSON like every other answer of a node, not an HTML page naming Jetty's version.
 */
final class SafeJetty implements JettyServerFactory {
    /** How long a connection may stay silent, in the middle of a request or between requests. */
    static final int IDLE_MILLIS = 30_000;

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
        return safe(maxThreads > 0 ? new Server(new QueuedThreadPool(maxThreads, minThreads, threadTimeoutMillis))
                : new Server());
    }

    @Override
    public Server create(ThreadPool threadPool) {
        return safe(threadPool == null ? new Server() : new Server(threadPool));
    }

    private static Server safe(Server server) {
        server.setErrorHandler(new JsonErrors());
        // Spark adds its connector after this factory returns and sets its idle time to an hour; we
        // set ours when the server starts, once the connector is there.
        server.addLifeCycleListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : server.getConnectors()) {
                    if (connector instanceof ServerConnector open) open.setIdleTimeout(IDLE_MILLIS);
                }
            }

            @Override
            public void lifeCycleStarted(LifeCycle event) {}

            @Override
            public void lifeCycleFailure(LifeCycle event, Throwable cause) {}

            @Override
            public void lifeCycleStopping(LifeCycle event) {}

            @Override
            public void lifeCycleStopped(LifeCycle event) {}
        });
        return server;
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

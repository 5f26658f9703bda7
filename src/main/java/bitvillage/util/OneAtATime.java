package bitvillage.util;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A route that runs once at a time: a request that arrives while one runs is answered at once,
 * 429 with {@code Retry-After}, instead of waiting its turn. Queued, requests whose clients gave
 * up long ago would keep the node busy for minutes; each also holds a server thread.
 */
public final class OneAtATime {
    private final AtomicBoolean running = new AtomicBoolean();
    private final String what;
    private final long retryAfterSeconds;

    /** {@code what} names the work for the client ("a resolve"); it takes about {@code retryAfterSeconds}. */
    public OneAtATime(String what, long retryAfterSeconds) {
        this.what = what;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public WebApp.Reply run(Supplier<WebApp.Reply> work) {
        if (!running.compareAndSet(false, true)) {
            WebApp.Reply busy = WebApp.Reply.error(429, "Too Many Requests: " + what + " is running already; ask again in "
                    + retryAfterSeconds + " s");
            return new WebApp.Reply(busy.status(), busy.contentType(), busy.body(),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        }
        try {
            return work.get();
        } finally {
            running.set(false);
        }
    }
}

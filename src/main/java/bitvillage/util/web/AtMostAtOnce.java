package bitvillage.util.web;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A route that runs at most so many times at once (one, unless told more): a request that arrives
 * while every place is taken is answered at once, 429 with {@code Retry-After}, instead of waiting
 * its turn. Queued, requests whose clients gave up long ago would keep the node busy for minutes;
 * each also holds a server thread, and a few hundred of them would leave none for anyone else.
 */
public final class AtMostAtOnce {
    private final Semaphore places;
    private final int atOnce;
    private final String what;
    private final long retryAfterSeconds;

    /** {@code what} names the work for the client ("a resolve"); it takes about {@code retryAfterSeconds}. */
    public AtMostAtOnce(String what, long retryAfterSeconds) {
        this(what, 1, retryAfterSeconds);
    }

    /** The same, for work of which {@code atOnce} may run together (the others wait inside it, for a lock). */
    public AtMostAtOnce(String what, int atOnce, long retryAfterSeconds) {
        this.places = new Semaphore(atOnce);
        this.atOnce = atOnce;
        this.what = what;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public WebApp.Reply run(Supplier<WebApp.Reply> work) {
        if (!places.tryAcquire()) {
            String running = atOnce > 1 ? atOnce + " requests for " + what + " are" : what + " is";
            WebApp.Reply busy = WebApp.Reply.error(429, "Too Many Requests: " + running + " running already; ask again in "
                    + retryAfterSeconds + " s");
            return new WebApp.Reply(busy.status(), busy.contentType(), busy.body(),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds)));
        }
        try {
            return work.get();
        } finally {
            places.release();
        }
    }
}

package bitvillage.util.web;

import bitvillage.util.cli.Options;
import java.util.Random;

/**
 * {@code --link-delay MS}: a slow link, where the kernel has no netem to make one. Every request that
 * reaches the node waits MS milliseconds, give or take a quarter (the jitter), before it is answered, as
 * if it had crossed a slow cable to get here. A message between two villagers is a request one sends the
 * other (an announcement, a fetch), so each crossing costs it once. The jitter comes from a random
 * sequence seeded by the address the node was asked to listen on: the same node waits the same way each run.
 */
public final class LinkDelay {
    public static final Options.Option OPTION = Options.Option.number("--link-delay", "MS",
            "every request waits MS milliseconds, give or take a quarter, before it is answered: a slow link", 0, 0, 10_000);

    private final int millis;
    private final Random jitter;

    private LinkDelay(int millis, String seed) {
        this.millis = millis;
        this.jitter = new Random(seed.hashCode());
    }

    /** The delay {@code --link-delay} asks for (none unless given), its jitter seeded by {@code listenOn}. */
    static LinkDelay of(Options options, String listenOn) {
        return new LinkDelay(options.number(OPTION), listenOn);
    }

    static LinkDelay none() {
        return new LinkDelay(0, "");
    }

    /** How long the next request waits: MS ± MS/4, in milliseconds. */
    long next() {
        if (millis == 0) return 0;
        synchronized (jitter) { // requests arrive on many threads; the sequence is one
            return millis - millis / 4 + jitter.nextInt(millis / 2 + 1);
        }
    }

    /** Waits as long as {@link #next} says: the request crossing the slow link. */
    void cross() {
        long wait = next();
        if (wait == 0) return;
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping: answer at once
        }
    }
}

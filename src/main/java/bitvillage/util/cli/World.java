package bitvillage.util.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * What a stage takes from the world outside it: where it prints, what time it is, and fresh node ids.
 *
 * <p>A reader runs a stage in the {@link #real()} world. Tests and chapter pages run it in a
 * {@link #fixed()} world, where the clock and the ids repeat, so its output can be compared.
 */
public record World(PrintStream out, DoubleSupplier clock, Supplier<String> nodeIds) {

    /** Standard output, the system clock, random ids. */
    public static World real() {
        return new World(new PrintStream(System.out, true, StandardCharsets.UTF_8),
                World::pythonTime, World::uuid4Hex);
    }

    /** A world that prints to {@code out} and repeats itself: see {@link #fixedClock()} and {@link #fixedIds()}. */
    public static World fixed(PrintStream out) {
        return new World(out, fixedClock(), fixedIds());
    }

    /** Python's {@code time.time()}: seconds since 1970 as a double, to the microsecond. */
    public static double pythonTime() {
        Instant now = Instant.now();
        return now.getEpochSecond() + now.getNano() / 1e9;
    }

    /** The book's node id: {@code str(uuid4()).replace('-', '')}. */
    public static String uuid4Hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * A clock that starts at a fixed moment (27 November 2026, 09:00:21 UTC) and moves on by
     * 0.0871234 s each time it is read, so timestamps look real, differ, and increase.
     */
    public static DoubleSupplier fixedClock() {
        AtomicLong reads = new AtomicLong();
        return () -> 1795770021.2578122 + 0.0871234 * reads.getAndIncrement();
    }

    /** Ids shaped like uuid4 hex, always the same sequence. */
    public static Supplier<String> fixedIds() {
        Random random = new Random(2019);
        return () -> nextId(random);
    }

    private static synchronized String nextId(Random random) {
        return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString().replace("-", "");
    }
}

package bitvillage.util.mining;

import bitvillage.util.python.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The book's proof of work, done fast: the smallest nonce such that SHA-256 of the two nonces'
 * digits, one after the other, starts with {@code zeros} hex zeros. It answers exactly what the
 * stages' {@code findNonce} answers (35293 after 100, 888273 with five zeros), only sooner.
 *
 * <p>Four changes to the book's loop, each explained on the page "How fast is our village?":
 * <ol>
 *   <li>one {@link MessageDigest} per thread, reused, instead of a new one per guess;</li>
 *   <li>the guess lives in a byte buffer, and the next nonce is written by counting up its last
 *       digits in place, instead of building and encoding a new string;</li>
 *   <li>the leading zeros are checked on the 32 raw digest bytes (two hex digits per byte)
 *       instead of on a 64-character hex string;</li>
 *   <li>the nonces are cut into ranges that all cores search at once, and the smallest hit
 *       wins, so more cores never change the answer.</li>
 * </ol>
 */
public final class FastMiner {
    private FastMiner() {}

    /**
     * Nonces a thread searches before it takes the next range: large enough that taking a range
     * (one atomic add) costs nothing next to a thousand digests, small enough that the other
     * threads, which finish their current range after a hit, waste little. A four-zero search
     * tries 65,536 nonces on average, so a range of 16,384 would waste a quarter of it.
     */
    static final long RANGE = 1 << 10;

    /** Where the last range begins: a long holds the nonces, and 2^63 of them outlast any miner. */
    private static final long LAST_RANGE = Long.MAX_VALUE - RANGE;

    /** Helper threads for parallel searches, kept between searches; daemons, so they never keep the JVM alive. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fast-miner");
        thread.setDaemon(true);
        return thread;
    });

    /** The smallest valid nonce, searched on every core. */
    public static long findNonce(long lastNonce, int zeros) {
        return findNonce(lastNonce, zeros, Runtime.getRuntime().availableProcessors());
    }

    // tag::find-nonce[]
    /** The smallest valid nonce, searched on {@code threads} threads (the caller's is one of them). */
    public static long findNonce(long lastNonce, int zeros, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        if (zeros < 0 || zeros > 64) throw new IllegalArgumentException("zeros must be from 0 to 64, not " + zeros);
        AtomicLong nextRange = new AtomicLong(); // where the next range a thread takes begins
        AtomicLong best = new AtomicLong(Long.MAX_VALUE); // the smallest valid nonce found so far
        Runnable search = () -> new Guess(lastNonce).searchRanges(zeros, nextRange, best);

        List<Future<?>> helpers = new ArrayList<>();
        for (int i = 1; i < threads; i++) helpers.add(HELPERS.submit(search));
        search.run();
        for (Future<?> helper : helpers) {
            try {
                helper.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while mining", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a mining thread failed", e.getCause());
            }
        }
        if (best.get() == Long.MAX_VALUE) throw new IllegalStateException("no valid nonce below " + LAST_RANGE);
        return best.get();
    }
    // end::find-nonce[]

    /** The fast check of one nonce: the same answer as the stages' {@code validNonce}. */
    public static boolean validNonce(long lastNonce, long nonce, int zeros) {
        if (zeros < 0) throw new IllegalArgumentException("zeros must not be negative, not " + zeros);
        if (zeros > 64) return false; // a hex digest has 64 digits, so it never starts with more zeros
        Guess guess = new Guess(lastNonce);
        guess.moveTo(nonce);
        return guess.hasZeros(zeros);
    }

    // tag::guess[]
    /** One thread's guess: the bytes of "lastNonce" followed by the digits of a nonce, and its digest. */
    private static final class Guess {
        private final MessageDigest sha256 = Sha256.newDigest();
        private final byte[] digest = new byte[32];
        private final byte[] text;
        private final int digitsStart; // where the nonce's digits begin in text
        private int end; // where they end
        private long nonce;

        Guess(long lastNonce) {
            byte[] prefix = Long.toString(lastNonce).getBytes(StandardCharsets.US_ASCII);
            text = new byte[prefix.length + 20]; // room for any long's digits
            System.arraycopy(prefix, 0, text, 0, prefix.length);
            digitsStart = prefix.length;
        }
        // end::guess[]

        // tag::search-ranges[]
        /** Takes ranges in increasing order until the ranges left begin after the best nonce found. */
        void searchRanges(int zeros, AtomicLong nextRange, AtomicLong best) {
            while (true) {
                long start = nextRange.getAndAdd(RANGE);
                if (start > best.get() || start < 0 || start > LAST_RANGE) return; // past the answer, or the longs
                long hit = firstIn(start, start + RANGE, zeros);
                if (hit >= 0) {
                    best.accumulateAndGet(hit, Math::min);
                    return; // every later range of ours would begin after this hit
                }
            }
        }
        // end::search-ranges[]

        /** The first valid nonce from {@code start} up to (not including) {@code stop}, or -1. */
        long firstIn(long start, long stop, int zeros) {
            moveTo(start);
            while (true) {
                if (hasZeros(zeros)) return nonce;
                if (nonce + 1 == stop) return -1;
                countUp();
            }
        }

        void moveTo(long target) {
            nonce = target;
            byte[] digits = Long.toString(target).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(digits, 0, text, digitsStart, digits.length);
            end = digitsStart + digits.length;
        }

        // tag::count-up[]
        /** nonce + 1, written as a child counts: the last digit goes up, a 9 becomes 0 and carries. */
        void countUp() {
            nonce++;
            int i = end - 1;
            while (i >= digitsStart && text[i] == '9') {
                text[i] = '0';
                i--;
            }
            if (i >= digitsStart) {
                text[i]++;
            } else { // 999 became 000: it needs one more digit, 1000
                text[digitsStart] = '1';
                text[end] = '0';
                end++;
            }
        }
        // end::count-up[]

        // tag::has-zeros[]
        /** Does the digest start with {@code zeros} hex zeros? Each byte holds two hex digits. */
        boolean hasZeros(int zeros) {
            sha256.update(text, 0, end);
            try {
                sha256.digest(digest, 0, digest.length);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-256 digest does not fit 32 bytes", e);
            }
            int wholeBytes = zeros / 2;
            for (int i = 0; i < wholeBytes; i++) {
                if (digest[i] != 0) return false;
            }
            return zeros % 2 == 0 || (digest[wholeBytes] & 0xF0) == 0;
        }
        // end::has-zeros[]
    }
}

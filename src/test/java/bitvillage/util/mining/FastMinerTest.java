package bitvillage.util.mining;

import bitvillage.stages.B02Mining;
import bitvillage.util.cli.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast miner must answer exactly what the book's loop answers, the smallest valid nonce, on
 * any number of threads; otherwise a node using it would forge blocks the book never forges.
 */
class FastMinerTest {
    private static final int[] THREADS = {1, 2, 4};

    /** The book-faithful search of stage B2: try 0, 1, 2, ... */
    private static long faithful(long lastNonce, int zeros) {
        return new B02Mining.Blockchain(World.fixedClock(), zeros).findNonce(lastNonce);
    }

    /**
     * {@code count} last nonces: the first ones small (the searches then start right where the
     * digits of the guess grow, 9 to 10, 99 to 100), the rest spread from thousands to near the
     * largest long (a long prefix), from a fixed seed so a failure repeats.
     */
    private static List<Long> lastNonces(int count, long seed) {
        List<Long> lastNonces = new ArrayList<>(List.of(0L, 9L, 99L, 100L, 35293L, 999_999L, Long.MAX_VALUE));
        Random random = new Random(seed);
        while (lastNonces.size() < count) {
            long bound = switch (lastNonces.size() % 3) {
                case 0 -> 1_000L;
                case 1 -> 10_000_000L;
                default -> Long.MAX_VALUE;
            };
            lastNonces.add(random.nextLong(bound));
        }
        return lastNonces.subList(0, count);
    }

    private static void assertAgree(int zeros, List<Long> lastNonces) {
        for (long lastNonce : lastNonces) {
            long expected = faithful(lastNonce, zeros);
            for (int threads : THREADS) {
                assertEquals(expected, FastMiner.findNonce(lastNonce, zeros, threads),
                        "last nonce " + lastNonce + ", " + zeros + " zeros, " + threads + " threads");
            }
        }
    }

    @Test
    void agreesWithTheBookOnOneTwoAndThreeZeros() {
        for (int zeros = 1; zeros <= 3; zeros++) {
            assertAgree(zeros, lastNonces(200, zeros));
        }
    }

    @Test
    void agreesWithTheBookOnFourZeros() {
        assertAgree(4, lastNonces(24, 4));
    }

    @Test
    void agreesWithTheBookOnFiveZeros() {
        // 888273 is the book's own five-zero answer; its search crosses hundreds of ranges.
        List<Long> lastNonces = List.of(100L, 35293L, 7L);
        assertAgree(5, lastNonces);
        for (int threads : THREADS) {
            assertEquals(888273, FastMiner.findNonce(100, 5, threads), threads + " threads");
        }
    }

    @Test
    void minesTheBooksChainOnEveryThreadCount() {
        for (int threads : THREADS) {
            long first = FastMiner.findNonce(100, 4, threads);
            long second = FastMiner.findNonce(first, 4, threads);
            assertEquals(List.of(35293L, 35089L), List.of(first, second), threads + " threads");
        }
        assertEquals(35293, FastMiner.findNonce(100, 4), "on every core");
    }

    @Test
    void checksANonceAsTheBookDoes() {
        Random random = new Random(5);
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            long lastNonce = i % 2 == 0 ? random.nextLong(1_000_000) : random.nextLong(Long.MAX_VALUE);
            long nonce = i % 3 == 0 ? random.nextLong(100) : random.nextLong(Long.MAX_VALUE);
            int zeros = random.nextInt(4);
            boolean expected = B02Mining.Blockchain.validNonce(lastNonce, nonce, zeros);
            assertEquals(expected, FastMiner.validNonce(lastNonce, nonce, zeros),
                    lastNonce + " then " + nonce + " with " + zeros + " zeros");
            if (expected) valid++;
        }
        assertTrue(valid > 1_000, "enough valid pairs to compare: " + valid);
        assertTrue(FastMiner.validNonce(100, 888273, 5));
        assertTrue(FastMiner.validNonce(35293, 35089, 4));
        assertFalse(FastMiner.validNonce(35293, 35088, 4));
        assertFalse(FastMiner.validNonce(100, 888273, 65), "no digest has 65 hex zeros");
    }

    @Test
    void zeroZerosIsFoundAtOnceAndBadArgumentsAreRefused() {
        assertEquals(0, FastMiner.findNonce(100, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> FastMiner.findNonce(100, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> FastMiner.findNonce(100, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> FastMiner.validNonce(100, 5, -1));
    }
}

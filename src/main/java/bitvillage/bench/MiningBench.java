package bitvillage.bench;

import bitvillage.stages.B02Mining;
import bitvillage.util.cli.World;
import bitvillage.util.mining.FastMiner;
import java.util.ArrayList;
import java.util.List;

/**
 * How many nonces per second each miner tries, and which nonces it finds. Every miner does the
 * same work: the book's chain at four zeros from the genesis nonce 100 (35293, 35089, ...), then
 * the book's five-zero search from 100 (888273). A search that ends at nonce n tried n + 1
 * nonces; a parallel search also tries a few past the answer, which it does not count.
 */
final class MiningBench {
    private MiningBench() {}

    /** A proof-of-work search: the smallest nonce after {@code lastNonce} with {@code zeros} zeros. */
    @FunctionalInterface
    interface Miner {
        long findNonce(long lastNonce, int zeros);
    }

    /** Stage B2's loop, exactly as the book writes it: a new string, digest and hex text per guess. */
    static final Miner BOOK = (lastNonce, zeros) ->
            new B02Mining.Blockchain(World.fixedClock(), zeros).findNonce(lastNonce);

    static Miner fast(int threads) {
        return (lastNonce, zeros) -> FastMiner.findNonce(lastNonce, zeros, threads);
    }

    /** What one round of the work found. */
    record Found(List<Long> fourZeros, long fiveZeros) {
        long tried() {
            long tried = fiveZeros + 1;
            for (long nonce : fourZeros) tried += nonce + 1;
            return tried;
        }
    }

    static Found work(Miner miner, int blocks) {
        List<Long> fourZeros = new ArrayList<>();
        long lastNonce = 100; // the genesis block's nonce
        for (int i = 0; i < blocks; i++) {
            lastNonce = miner.findNonce(lastNonce, 4);
            fourZeros.add(lastNonce);
        }
        return new Found(List.copyOf(fourZeros), miner.findNonce(100, 5));
    }

    /** The rate and what was found. */
    record Speed(double millionsPerSecond, Found found) {}

    /**
     * Runs the work again and again for at least {@code seconds} and {@code minRounds} rounds, and
     * answers the median rate: the middle round, neither the luckiest nor the one another program
     * interrupted.
     */
    static Speed measure(Miner miner, int blocks, double seconds, int minRounds) {
        List<Double> rates = new ArrayList<>();
        Found found = null;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (rates.size() < minRounds || System.nanoTime() < deadline) {
            long start = System.nanoTime();
            found = work(miner, blocks);
            double elapsed = (System.nanoTime() - start) / 1e9;
            rates.add(found.tried() / elapsed / 1e6);
        }
        return new Speed(Bench.median(rates), found);
    }

    /** Lets the JIT compile a miner's loop before it is timed. */
    static void warmUp(Miner miner, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        do {
            work(miner, 2);
        } while (System.nanoTime() < deadline);
    }
}

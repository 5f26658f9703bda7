package bitvillage.exercises;

import java.util.List;

/** Exercise B14.1: fill a block as a miner does, by fee rate. */
public final class B14FillBlock {
    private B14FillBlock() {}

    /** A waiting payment: its fee in coins and its size in bytes. */
    public record Payment(long fee, int bytes) {}

    /**
     * The payments the next block takes, as indices into {@code waiting} (which is in arrival
     * order), in the order the miner takes them: the highest fee per byte first, equal rates in
     * arrival order; a payment that no longer fits is skipped for a later, smaller one that does.
     * The block holds at most {@code blockBytes}.
     */
    public static List<Integer> fill(List<Payment> waiting, int blockBytes) {
        throw new UnsupportedOperationException("exercise B14.1: write B14FillBlock.fill");
    }
}

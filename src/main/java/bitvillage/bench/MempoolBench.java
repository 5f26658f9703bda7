package bitvillage.bench;

import bitvillage.stages.taught.FeeRate;
import bitvillage.stages.taught.Mempool;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The miner's pool at work: a mempool of many payments of various sizes and fees (seeded), and how
 * long it takes to choose the next block from it (B14), to project every block, and to take one more
 * payment in, which answers that payment's projected block (B15).
 */
final class MempoolBench {
    private MempoolBench() {}

    static final int BLOCK_BYTES = 1_000;

    /** The timings, in milliseconds: each the median of {@code runs}. */
    record Timings(int payments, double fillSeconds, double chooseMillis, double projectMillis, double admitMillis) {}

    static Timings measure(int payments, int runs) {
        SplittableRandom random = new SplittableRandom(14);
        Mempool mempool = new Mempool(BLOCK_BYTES, 400L * payments); // room for them all
        long start = System.nanoTime();
        for (int i = 0; i < payments; i++) admit(mempool, payment(i, random));
        double fillSeconds = (System.nanoTime() - start) / 1e9;
        List<FeeRate.Pending> inOrder = mempool.stream().toList();

        double[] choose = new double[runs];
        double[] project = new double[runs];
        double[] admit = new double[runs];
        for (int run = 0; run < runs; run++) {
            long t0 = System.nanoTime();
            if (FeeRate.chooseBlock(inOrder, BLOCK_BYTES).isEmpty()) throw new IllegalStateException("an empty block");
            long t1 = System.nanoTime();
            if (mempool.projection(2).size() < payments) throw new IllegalStateException("a payment was not projected");
            long t2 = System.nanoTime();
            admit(mempool, payment(payments + run, random));
            long t3 = System.nanoTime();
            choose[run] = (t1 - t0) / 1e6;
            project[run] = (t2 - t1) / 1e6;
            admit[run] = (t3 - t2) / 1e6;
        }
        return new Timings(payments, fillSeconds, median(choose), median(project), median(admit));
    }

    /** A payment in, and the block it is projected for, as B15's POST /transactions/new answers it. */
    private static long admit(Mempool mempool, Map<String, Object> payment) {
        mempool.admit(payment);
        return mempool.projectedBlock(mempool.get((String) payment.get("id")), 2);
    }

    /** A payment from 1 to 160 characters of name (about 90 to 250 bytes) and a fee from 0 to 99. */
    private static Map<String, Object> payment(int i, SplittableRandom random) {
        return FeeRate.transaction(String.format("%032x", i + 1), "villager-" + "x".repeat(random.nextInt(160)),
                "market", (long) random.nextInt(1_000), random.nextInt(100));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

package bitvillage.race;

import java.util.SplittableRandom;

/**
 * The chance that a double-spend race (see {@link Race}) ends with the attacker level or ahead:
 * by the whitepaper's formula, exactly, and by simulating races.
 *
 * <p>q is the attacker's share of the hashing power and p = 1 − q the honest villagers'; z is the
 * number of confirmations 大華 waits for. For q ≥ 0.5 the attacker catches up (and gets ahead)
 * for sure: the paper's q_z = 1 when p ≤ q. Every formula here works in natural logarithms
 * ({@code ln...}), so that a tiny P keeps its digits and large z overflows nothing; and with
 * {@link StrictMath}, so that every machine prints the same digits.
 */
public final class Odds {
    private Odds() {}

    /** The standard normal's z for a two-sided 95% interval. */
    public static final double Z_95 = 1.959963984540054;
    /** The same for 99.9%. */
    public static final double Z_99_9 = 3.2905267314919255;

    /** The whitepaper's chance of catching up. */
    public static double nakamoto(double q, int z) {
        return StrictMath.exp(lnNakamoto(q, z));
    }

    /** The true chance of catching up. */
    public static double exact(double q, int z) {
        return StrictMath.exp(lnExact(q, z));
    }

    /** The true chance of getting one block ahead. */
    public static double ahead(double q, int z) {
        return StrictMath.exp(lnAhead(q, z));
    }

    // tag::nakamoto[]
    /**
     * The whitepaper's formula, as its C function AttackerSuccessProbability computes it: while the
     * honest side finds z blocks, the attacker is taken to find k blocks with the Poisson
     * probability of mean λ = z q / p, built one factor λ / k at a time (k! alone overflows at
     * k = 171, and q = 0.45 needs z = 340). Behind by z − k, it catches up with (q/p)^(z−k); with
     * k > z it already has. The C code writes this as 1 − Σ over k ≤ z; we add the terms
     * themselves, which is the same sum without the subtraction that wipes out a small P.
     */
    public static double lnNakamoto(double q, int z) {
        if (q >= 0.5) return 0;
        if (q == 0) return z == 0 ? 0 : Double.NEGATIVE_INFINITY;
        double lambda = z * (q / (1 - q));
        double lnRatio = StrictMath.log(q / (1 - q));
        LogSum sum = new LogSum();
        double lnPoisson = -lambda; // k = 0: e^-λ
        for (int k = 0; k <= z; k++) {
            if (k > 0) lnPoisson += StrictMath.log(lambda / k);
            sum.add(lnPoisson + (z - k) * lnRatio);
        }
        // Past k = z the terms only fall (λ < z), so stop where they no longer change a double.
        for (int k = z + 1; ; k++) {
            lnPoisson += StrictMath.log(lambda / k);
            if (lnPoisson < sum.ln() - 50) break;
            sum.add(lnPoisson);
        }
        return sum.ln();
    }
    // end::nakamoto[]

    // tag::exact[]
    /**
     * The true chance (Rosenfeld 2014; Grunspan and Pérez-Marco 2017): when the honest side finds
     * its z-th block the attacker has k blocks with the negative binomial probability
     * C(k+z−1, k) p^z q^k, not the Poisson one. Written as a sum of positive terms:
     * <ul>
     * <li>k from 0 to z − 1: behind by z − k, it catches up with (q/p)^(z−k); together
     *     C(k+z−1, k) p^k q^z;
     * <li>k ≥ z: level at the hand-over. That is the chance that at least z of the first 2z − 1
     *     blocks are the attacker's, Σ_{j=z}^{2z−1} C(2z−1, j) q^j p^(2z−1−j).
     * </ul>
     * This equals the papers' 1 − Σ_{k=0}^{z−1} C(k+z−1, k) (p^z q^k − q^z p^k). The binomials
     * grow one factor at a time, as logarithms: as numbers they overflow a double near z = 540.
     */
    public static double lnExact(double q, int z) {
        if (q >= 0.5 || z == 0) return 0;
        if (q == 0) return Double.NEGATIVE_INFINITY;
        double lnP = StrictMath.log(1 - q);
        double lnQ = StrictMath.log(q);
        LogSum sum = new LogSum();
        double lnBinomial = 0; // ln C(z-1, 0)
        for (int k = 0; k < z; k++) {
            if (k > 0) lnBinomial += StrictMath.log((double) (k + z - 1) / k);
            sum.add(lnBinomial + k * lnP + z * lnQ);
        }
        addUpperTail(sum, 2 * z - 1, z, lnQ, lnP);
        return sum.ln();
    }
    // end::exact[]

    // tag::ahead[]
    /**
     * The true chance of getting one block ahead, which a node that keeps the chain it saw first
     * requires. The same two parts as {@link #lnExact}, one block further:
     * <ul>
     * <li>k from 0 to z: behind by z − k, it gets ahead with (q/p)^(z−k+1); together
     *     C(k+z−1, k) p^(k−1) q^(z+1);
     * <li>k ≥ z + 1: ahead at the hand-over, when at least z + 1 of the first 2z blocks are its own.
     * </ul>
     * With z = 0 this is q / p, the chance of ever being one block up from level.
     */
    public static double lnAhead(double q, int z) {
        if (q >= 0.5) return 0;
        if (q == 0) return Double.NEGATIVE_INFINITY;
        double lnP = StrictMath.log(1 - q);
        double lnQ = StrictMath.log(q);
        LogSum sum = new LogSum();
        double lnBinomial = 0; // ln C(z-1, 0)
        for (int k = 0; k <= z; k++) {
            if (k > 0) lnBinomial += StrictMath.log((double) (k + z - 1) / k);
            sum.add(lnBinomial + (k - 1) * lnP + (z + 1) * lnQ);
        }
        addUpperTail(sum, 2 * z, z + 1, lnQ, lnP);
        return sum.ln();
    }
    // end::ahead[]

    /** Adds Σ_{j=from}^{n} C(n, j) q^j p^(n−j): at least {@code from} of {@code n} blocks are the attacker's. */
    private static void addUpperTail(LogSum sum, int n, int from, double lnQ, double lnP) {
        double lnBinomial = 0; // ln C(n, n)
        for (int j = n; j >= from; j--) {
            if (j < n) lnBinomial += StrictMath.log((double) (j + 1) / (n - j)); // C(n, j) = C(n, j+1) (j+1) / (n-j)
            sum.add(lnBinomial + j * lnQ + (n - j) * lnP);
        }
    }

    /** A chance as a function of q and z, in natural logarithms: {@code Odds::lnExact} and its kin. */
    @FunctionalInterface
    public interface Formula {
        double ln(double q, int z);
    }

    /** The fewest confirmations that bring the chance below {@code limit}; q must be below 0.5. */
    public static int fewestConfirmations(Formula formula, double q, double limit) {
        if (!(q < 0.5)) throw new IllegalArgumentException("for q = " + q + " no number of confirmations is enough");
        double lnLimit = StrictMath.log(limit);
        int z = 0;
        while (formula.ln(q, z) >= lnLimit) z++;
        return z;
    }

    /**
     * Races run to their end: how many caught up, and how many got ahead.
     *
     * @param trials    races run
     * @param caughtUp  those in which the attacker caught up
     * @param gotAhead  those in which it got one block ahead
     */
    public record Simulated(int trials, int caughtUp, int gotAhead) {
        public double caughtUpShare() {
            return (double) caughtUp / trials;
        }

        public double gotAheadShare() {
            return (double) gotAhead / trials;
        }
    }

    // tag::simulate[]
    /**
     * Runs {@code trials} races, one after the other from one lottery seeded with {@code seed}:
     * the same arguments give the same count on every machine.
     */
    public static Simulated simulate(double q, int z, int trials, long seed) {
        SplittableRandom lottery = new SplittableRandom(seed);
        int caughtUp = 0;
        int gotAhead = 0;
        for (int i = 0; i < trials; i++) {
            Race race = Race.simulated(q, z, lottery);
            while (!race.over()) race.nextBlock();
            if (race.caughtUp()) caughtUp++;
            if (race.gotAhead()) gotAhead++;
        }
        return new Simulated(trials, caughtUp, gotAhead);
    }
    // end::simulate[]

    /** A range of chances. */
    public record Interval(double low, double high) {
        public boolean contains(double chance) {
            return low <= chance && chance <= high;
        }
    }

    /**
     * The Wilson score interval for {@code successes} out of {@code trials}: where the true chance
     * lies, at the confidence the normal's {@code zScore} gives ({@link #Z_95}). Unlike the plain
     * share ± z·σ, it stays inside 0..1 and does not shrink to a point when no race succeeds.
     */
    public static Interval wilson(int successes, int trials, double zScore) {
        double n = trials;
        double share = successes / n;
        double z2 = zScore * zScore;
        double centre = (share + z2 / (2 * n)) / (1 + z2 / n);
        double half = zScore / (1 + z2 / n) * StrictMath.sqrt(share * (1 - share) / n + z2 / (4 * n * n));
        // With no success (or no failure) the bound is exactly 0 (or 1); rounding would leave a crumb.
        return new Interval(successes == 0 ? 0 : centre - half, successes == trials ? 1 : centre + half);
    }

    /** Adds numbers given as logarithms, scaled by the largest so far, so that none underflows. */
    private static final class LogSum {
        private double lnLargest = Double.NEGATIVE_INFINITY;
        private double scaled; // the sum so far divided by e^lnLargest

        void add(double lnTerm) {
            if (lnTerm == Double.NEGATIVE_INFINITY) return;
            if (lnTerm <= lnLargest) {
                scaled += StrictMath.exp(lnTerm - lnLargest);
            } else {
                scaled = scaled * StrictMath.exp(lnLargest - lnTerm) + 1;
                lnLargest = lnTerm;
            }
        }

        double ln() {
            return lnLargest == Double.NEGATIVE_INFINITY ? lnLargest : lnLargest + StrictMath.log(scaled);
        }
    }
}

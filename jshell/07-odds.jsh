// Supplement A (the 51% attack) by hand: the whitepaper's odds table, the true odds, and races of our own.
// Run: jshell --class-path target/bitvillage.jar jshell/07-odds.jsh

import java.util.Locale;
import java.util.SplittableRandom;
import bitvillage.race.Odds;

// The whitepaper's section 11 gives a C function; here it is in Java, line for line. While the honest
// side finds z blocks, the attacker is taken to find k with the Poisson chance of mean z q / p, built
// one factor at a time; behind by z - k, it catches up with (q/p)^(z-k), as a gambler's ruin.
double attackerSuccessProbability(double q, int z) {
    double p = 1.0 - q;
    double lambda = z * (q / p);
    double sum = 1.0;
    for (int k = 0; k <= z; k++) {
        double poisson = Math.exp(-lambda);
        for (int i = 1; i <= k; i++)
            poisson *= lambda / i;
        sum -= poisson * (1 - Math.pow(q / p, z - k));
    }
    return sum;
}

// The paper's first two tables, printed the way the paper prints them.
System.out.println("q=0.1");
for (int z = 0; z <= 10; z++) System.out.println(String.format(Locale.ROOT, "z=%d P=%.7f", z, attackerSuccessProbability(0.1, z)));
System.out.println("q=0.3");
for (int z = 0; z <= 50; z += 5) System.out.println(String.format(Locale.ROOT, "z=%d P=%.7f", z, attackerSuccessProbability(0.3, z)));

// Its third: the fewest z that bring the chance below 0.1%. The paper's z counts the blocks linked
// after the payment's block, so a merchant who follows it waits z + 1 confirmations.
System.out.println("P < 0.001");
for (double q : new double[] {0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45}) {
    int z = 0;
    while (attackerSuccessProbability(q, z) >= 0.001) z++;
    System.out.println(String.format(Locale.ROOT, "q=%.2f z=%d", q, z));
}

// Now check one figure by hand. q = 0.1, z = 1: the attacker finds the very first block with 0.1,
// and is level when the payment's block arrives; or the honest side finds it (0.9), and the attacker,
// one behind, catches up with q/p = 1/9. That is exactly 0.1 + 0.9 / 9 for this race (fixed shares,
// every block seen at once, the attacker starting at the payment), not the paper's 0.2045873: the
// attacker's blocks are not Poisson-distributed; the Poisson mean only approximates them.
System.out.println(String.format(Locale.ROOT, "By hand, q = 0.1, z = 1: %.7f", 0.1 + 0.9 / 9));
System.out.println(String.format(Locale.ROOT, "Odds.exact(0.1, 1):       %.7f", Odds.exact(0.1, 1)));

// Races decide it. Each block is the attacker's with probability q; 大華 hands over the jeans at the
// honest side's z-th block; the attacker has caught up when its fork is as long, and gives up
// 100 + z blocks behind. The seed makes the races the same every time.
double q = 0.1;
int z = 1;
int races = 1_000_000; // the paper's figure is then 11 standard errors from 0.2, far outside the interval
SplittableRandom lottery = new SplittableRandom(2008);
int caughtUp = 0;
for (int race = 0; race < races; race++) {
    int honest = 0;
    int attacker = 0;
    while (honest - attacker < 100 + z) {
        if (honest >= z && attacker >= honest) {
            caughtUp++;
            break;
        }
        if (lottery.nextDouble() < q) attacker++;
        else honest++;
    }
}
Odds.Interval interval = Odds.wilson(caughtUp, races, Odds.Z_99_9);
System.out.println(String.format(Locale.ROOT, "The attacker caught up in %,d of %,d races: %.5f", caughtUp, races, (double) caughtUp / races));
System.out.println(String.format(Locale.ROOT, "99.9%% interval: %.5f to %.5f", interval.low(), interval.high()));
System.out.println("0.2 inside it: " + interval.contains(0.2) + "; the paper's 0.2045873 inside it: " + interval.contains(0.2045873));

/exit

package bitvillage;

import bitvillage.race.Odds;
import bitvillage.race.Race;
import bitvillage.story.Attack;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code attack} end to end on real nodes, B17's (the default) and B13's: Q = 0.6 succeeds and Q = 0.3
 * fails, each run the golden file it must print; on B17 the loser of the double spend is conflicted;
 * the seed repeats a run; bad options are usage errors; and over many seeds, the attack's race gets
 * ahead as often as {@link Odds#ahead} says.
 */
class AttackTest {
    static final Path EXPECTED = Path.of("src/test/resources/expected/attack");

    record Run(Attack.Outcome outcome, String out, String notices) {}

    static Run attack(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream noticeBytes = new ByteArrayOutputStream();
        Attack.Outcome outcome;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream notices = new PrintStream(noticeBytes, true, StandardCharsets.UTF_8)) {
            outcome = Attack.run(Options.parse(args, Attack.OPTIONS), World.fixed(out), notices);
        }
        return new Run(outcome, bytes.toString(StandardCharsets.UTF_8), noticeBytes.toString(StandardCharsets.UTF_8));
    }

    private static void golden(String file, Run run) throws Exception {
        Path path = EXPECTED.resolve(file);
        if (Boolean.getBoolean("bitvillage.writeExpected")) Files.writeString(path, run.out(), StandardCharsets.UTF_8);
        assertEquals(Files.readString(path, StandardCharsets.UTF_8), run.out());
    }

    @Test
    void onCoinsWithSixtyPercentTheDoubleSpendWinsAndThePaymentToTheSellerIsConflictedForGood() throws Exception {
        Run run = attack("--share", "0.6", "--seed", "1");
        assertEquals(Attack.Outcome.SUCCEEDED, run.outcome(), run.out());
        assertTrue(run.out().contains("  A: Our chain was replaced\n  B: Our chain was replaced\n"), run.out());
        assertEquals(3, run.out().lines().filter(line -> line.matches(
                "  [AB]: the payment to 大華 is conflicted, by her double spend")).count(), "A and B, and A after one more block: " + run.out());
        golden("B17-share-0.6-seed-1.txt", run);
        assertEquals(3, run.notices().lines().filter(line -> line.matches(
                "attack: (villager [AB]|小美's node M) listens on http://127\\.0\\.0\\.1:\\d+")).count(), run.notices());
        assertTrue(!run.out().contains("127.0.0.1"), run.out());
    }

    @Test
    void onCoinsWithThirtyPercentTheAttackFailsAndHerDoubleSpendIsConflicted() throws Exception {
        Run run = attack("--share", "0.3", "--seed", "1");
        assertEquals(Attack.Outcome.FAILED, run.outcome(), run.out());
        assertTrue(run.out().contains("  M: her double spend is conflicted, by the payment to 大華\n"), run.out());
        golden("B17-share-0.3-seed-1.txt", run);
        assertEquals(run.out(), attack("--seed", "1", "--stage", "B17").out(), "B17 and 0.3 are the defaults, and a seed repeats a run");
    }

    @Test
    void onB13WithSixtyPercentTheAttackSucceedsAndNoChainPaysTheSeller() throws Exception {
        Run run = attack("--share", "0.6", "--seed", "1", "--stage", "B13");
        assertEquals(Attack.Outcome.SUCCEEDED, run.outcome(), run.out());
        assertTrue(run.out().contains("  A: Our chain was replaced\n  B: Our chain was replaced\n"), run.out());
        golden("B13-share-0.6-seed-1.txt", run);
    }

    @Test
    void onB13WithThirtyPercentTheAttackFails() throws Exception {
        Run run = attack("--share", "0.3", "--seed", "1", "--stage", "B13");
        assertEquals(Attack.Outcome.FAILED, run.outcome(), run.out());
        assertTrue(run.out().contains("20 blocks behind and gives up"), run.out());
        golden("B13-share-0.3-seed-1.txt", run);
    }

    @Test
    void theLauncherExitsThreeWhenTheAttackFailsAndBadOptionsAreUsageErrors() {
        StageFailed failed = assertThrows(StageFailed.class, () -> BitVillage.launch(
                new String[] {"attack", "--share", "0.3", "--seed", "1", "--zeros", "1"},
                World.fixed(new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))));
        assertEquals(3, failed.status());
        for (String[] bad : new String[][] {{"--share", "1"}, {"--share", "-0.1"}, {"--share", "half"}, {"--seed", "x"},
                {"--confirmations", "0"}, {"--give-up", "0"}, {"--zeros", "9"}, {"--stage", "B16"}, {"--sure"}}) {
            String[] args = new String[bad.length + 1];
            args[0] = "attack";
            System.arraycopy(bad, 0, args, 1, bad.length);
            assertThrows(Options.UsageError.class, () -> BitVillage.launch(args,
                    World.fixed(new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))),
                    String.join(" ", bad));
        }
    }

    @Test
    void overManySeedsTheAttacksRaceGetsAheadAsOftenAsTheOddsSay() {
        int seeds = 20_000;
        // Up to q = 0.3, coming back from 20 blocks behind has a chance below 1e-7: the give-up changes nothing here.
        for (double q : new double[] {0.1, 0.2, 0.3}) {
            int ahead = 0;
            for (long seed = 0; seed < seeds; seed++) {
                Race race = Attack.race(q, 6, 20, seed);
                while (!race.over()) race.nextBlock();
                if (race.gotAhead()) ahead++;
            }
            Odds.Interval interval = Odds.wilson(ahead, seeds, Odds.Z_99_9);
            double expected = Odds.ahead(q, 6);
            assertTrue(interval.contains(expected),
                    "q = " + q + ": " + ahead + " of " + seeds + " got ahead, interval " + interval + ", odds " + expected);
        }
    }
}

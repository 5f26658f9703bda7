package bitvillage.race;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.race.Race.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The race's rules, block by block, with a lottery that draws what the test says. */
class RaceTest {

    /** Draws the attacker (0.0, below any share) or the honest side (0.99) in the order given. */
    private static RandomGenerator scripted(String finders) {
        return new RandomGenerator() {
            private int next;

            @Override
            public double nextDouble() {
                return finders.charAt(next++) == 'A' ? 0.0 : 0.99;
            }

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("the race draws doubles");
            }
        };
    }

    private static Race run(int z, int giveUp, String finders) {
        Race race = new Race(0.3, z, giveUp, scripted(finders));
        for (int i = 0; i < finders.length(); i++) race.nextBlock();
        return race;
    }

    @Test
    void withNoConfirmationsTheAttackerHasCaughtUpBeforeAnyBlock() {
        Race race = new Race(0.3, 0, 100, scripted(""));
        assertTrue(race.confirmed());
        assertTrue(race.caughtUp());
        assertFalse(race.gotAhead());
        assertFalse(race.over());
    }

    @Test
    void levelAfterTheHandOverIsCaughtUpAndOneMoreIsAhead() {
        Race race = run(2, 100, "AHH");
        assertTrue(race.confirmed());
        assertFalse(race.caughtUp(), "one block behind at the hand-over");
        race = run(2, 100, "AHHA");
        assertTrue(race.caughtUp());
        assertFalse(race.gotAhead());
        assertFalse(race.over(), "level is not enough for a node that keeps the chain it saw first");
        race = run(2, 100, "AHHAA");
        assertTrue(race.gotAhead());
        assertTrue(race.over());
        assertEquals(3, race.attackerBlocks());
        assertEquals(2, race.honestBlocks());
    }

    @Test
    void beingAheadBeforeTheHandOverCountsOnlyFromTheHandOver() {
        Race race = run(2, 100, "AAA");
        assertFalse(race.confirmed());
        assertFalse(race.caughtUp(), "大華 has not handed over the jeans yet");
        assertFalse(race.over());
        race = run(2, 100, "AAAHH");
        assertTrue(race.caughtUp());
        assertTrue(race.gotAhead(), "three blocks against two at the hand-over");
    }

    @Test
    void theAttackerGivesUpSoManyBlocksBehind() {
        Race race = run(1, 3, "HHAHH");
        assertTrue(race.gaveUp());
        assertTrue(race.over());
        assertFalse(race.caughtUp());
        assertThrows(IllegalStateException.class, race::nextBlock);
    }

    @Test
    void theSimulatedAttackerGivesUpAHundredAndZBehind() {
        Race race = Race.simulated(0.3, 6, scripted("H".repeat(106)));
        for (int i = 0; i < 105; i++) race.nextBlock();
        assertFalse(race.over());
        race.nextBlock();
        assertTrue(race.gaveUp());
    }

    @Test
    void theSameSeedDrawsTheSameBlocksAndAnotherSeedOthers() {
        assertEquals(finders(7), finders(7));
        assertNotEquals(finders(7), finders(8));
    }

    /** Who finds the first 64 blocks of a race with q = 0.5, which nobody gives up in 64 blocks. */
    private static List<Side> finders(long seed) {
        Race race = new Race(0.5, 1_000, 1_000, new SplittableRandom(seed));
        List<Side> finders = new ArrayList<>();
        for (int i = 0; i < 64; i++) finders.add(race.nextBlock());
        return finders;
    }

    @Test
    void aShareOfOneOrMoreIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Race(1.0, 6, 20, scripted("")));
        assertThrows(IllegalArgumentException.class, () -> new Race(Double.NaN, 6, 20, scripted("")));
        assertThrows(IllegalArgumentException.class, () -> new Race(0.3, 6, 0, scripted("")));
    }
}

package bitvillage.race;

import java.util.random.RandomGenerator;

/**
 * One double-spend race, as issue 10 defines it, block by block.
 *
 * <p>Both sides start mining at the same moment on the block before 小美's payment; the payment's
 * block is the honest side's block 1. Each next block, wherever it is found, is the attacker's with
 * probability {@code q} (its share of the hashing power), else the honest villagers'. 大華 hands
 * over the jeans once the honest side has {@code z} blocks since the fork point: z confirmations.
 * From that moment on, the attacker has <em>caught up</em> when its fork is as long as the honest
 * blocks, and <em>got ahead</em> when it is one block longer. The whitepaper's odds are for catching
 * up; a node that keeps the chain it saw first (B13) changes its mind only for a longer one.
 *
 * <p>The attacker gives up once it falls {@code giveUp} blocks behind. A race is over when the
 * attacker got ahead or gave up. The simulation and the live {@code attack} both draw their blocks
 * here, so they race by the same rules.
 */
public final class Race {

    /** Who found a block. */
    public enum Side { HONEST, ATTACKER }

    private final double attackerShare;
    private final int confirmations;
    private final int giveUp;
    private final RandomGenerator lottery;
    private int honestBlocks;
    private int attackerBlocks;
    private boolean caughtUp;
    private boolean gotAhead;

    /**
     * @param attackerShare the attacker's share q of the hashing power, from 0 up to (not including) 1
     * @param confirmations z, the honest blocks 大華 waits for, the payment's block included
     * @param giveUp        how many blocks behind the attacker stops trying (at least 1)
     * @param lottery       draws who finds each block; a seeded one makes the race repeatable
     */
    public Race(double attackerShare, int confirmations, int giveUp, RandomGenerator lottery) {
        if (!(attackerShare >= 0 && attackerShare < 1)) {
            throw new IllegalArgumentException("the attacker's share must be from 0 up to 1, not " + attackerShare);
        }
        if (confirmations < 0 || giveUp < 1) {
            throw new IllegalArgumentException("confirmations " + confirmations + ", give up " + giveUp);
        }
        this.attackerShare = attackerShare;
        this.confirmations = confirmations;
        this.giveUp = giveUp;
        this.lottery = lottery;
        checkOutcome(); // with z = 0 the attacker has caught up before a block is found
    }

    /** The simulation's race: the attacker gives up 100 + z blocks behind, where its chance is nil. */
    public static Race simulated(double attackerShare, int confirmations, RandomGenerator lottery) {
        return new Race(attackerShare, confirmations, 100 + confirmations, lottery);
    }

    // tag::next-block[]
    /** Draws who finds the next block, counts it, and answers who it was. */
    public Side nextBlock() {
        if (over()) throw new IllegalStateException("the race is over");
        Side finder = lottery.nextDouble() < attackerShare ? Side.ATTACKER : Side.HONEST;
        if (finder == Side.ATTACKER) attackerBlocks++;
        else honestBlocks++;
        checkOutcome();
        return finder;
    }

    /** Once 大華 has handed over the jeans, does the attacker's fork match or beat the honest one? */
    private void checkOutcome() {
        if (!confirmed()) return;
        if (attackerBlocks >= honestBlocks) caughtUp = true;
        if (attackerBlocks > honestBlocks) gotAhead = true;
    }
    // end::next-block[]

    /** Has the honest side found its z blocks, so that 大華 handed over the jeans? */
    public boolean confirmed() {
        return honestBlocks >= confirmations;
    }

    /** Nakamoto's success: at or after the hand-over, the fork was as long as the honest chain. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** What a first-seen node needs: at or after the hand-over, the fork was one block longer. */
    public boolean gotAhead() {
        return gotAhead;
    }

    /** The attacker fell {@code giveUp} blocks behind (and never got ahead). */
    public boolean gaveUp() {
        return !gotAhead && honestBlocks - attackerBlocks >= giveUp;
    }

    public boolean over() {
        return gotAhead || gaveUp();
    }

    /** Honest blocks since the fork point, the payment's block included. */
    public int honestBlocks() {
        return honestBlocks;
    }

    /** Blocks of the attacker's fork. */
    public int attackerBlocks() {
        return attackerBlocks;
    }
}

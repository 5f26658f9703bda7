package bitvillage.exercises;

import java.util.Map;

/** Exercise B13.2: mine a block, so that its own hash carries the proof. */
public final class B13Mine {
    private B13Mine() {}

    /**
     * The block mined: a copy of it whose "nonce" is the first one, counting up from 0, for which
     * the copy's own hash starts with {@code zeros} hex zeros (BlockProof.validProof of
     * bitvillage.stages.taught tests that). Nothing else changes, and the block given is left as it was.
     */
    public static Map<String, Object> mine(Map<String, Object> block, int zeros) {
        throw new UnsupportedOperationException("exercise B13.2: write B13Mine.mine");
    }
}

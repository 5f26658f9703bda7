package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import bitvillage.util.cli.World;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B10.7")
class B10BestChainTest {

    private final World world = Facts.quietWorld();

    @Test
    void theLongestValidChainWins() {
        List<Map<String, Object>> ours = Chains.honest(2, world);
        List<Map<String, Object>> three = Chains.honest(3, world);
        List<Map<String, Object>> four = Chains.honest(4, world);
        assertSame(four, B10BestChain.best(ours, List.of(three, four), 4));
        assertSame(four, B10BestChain.best(ours, List.of(four, three), 4), "whichever answered first");
    }

    @Test
    void oursStandsAgainstShorterAndAgainstNone() {
        List<Map<String, Object>> ours = Chains.honest(3, world);
        assertSame(ours, B10BestChain.best(ours, List.of(Chains.honest(2, world)), 4));
        assertSame(ours, B10BestChain.best(ours, List.of(), 4));
    }

    @Test
    void anInvalidChainNeverWinsHoweverLong() {
        List<Map<String, Object>> ours = Chains.honest(2, world);
        List<Map<String, Object>> forged = Facts.copy(Chains.honest(5, world));
        forged.get(3).put("nonce", 1L);
        List<Map<String, Object>> three = Chains.honest(3, world);
        assertSame(ours, B10BestChain.best(ours, List.of(forged), 4));
        assertSame(three, B10BestChain.best(ours, List.of(forged, three), 4));
    }

    /** The book's tie-break: as long, with an earlier last block. */
    @Test
    void aTieGoesToTheEarlierLastBlock() {
        List<Map<String, Object>> ours = Chains.lastBlockAt(Chains.honest(3, world), 2000.0);
        List<Map<String, Object>> earlier = Chains.lastBlockAt(ours, 1000.0);
        List<Map<String, Object>> earliest = Chains.lastBlockAt(ours, 500.0);
        List<Map<String, Object>> later = Chains.lastBlockAt(ours, 3000.0);
        assertSame(earliest, B10BestChain.best(ours, List.of(earlier, earliest, later), 4));
        assertSame(ours, B10BestChain.best(ours, List.of(later), 4));
        assertSame(ours, B10BestChain.best(ours, List.of(Chains.lastBlockAt(ours, 2000.0)), 4), "a true tie keeps ours");
        assertEquals(3, B10BestChain.best(ours, List.of(earlier), 4).size());
    }
}

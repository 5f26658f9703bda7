package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B13ProofOfWork.Blockchain;
import bitvillage.stages.B13ProofOfWork;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.python.PyJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B13.3")
class B13BestChainTest {

    /**
     * B12's trick at B13: a chain as long as ours whose last block is mined again, properly, with an
     * earlier time and its reward to 小美. A real B13 node keeps the chain it saw first.
     */
    @Test
    void aChainOnlyAsLongAsOursNeverReplacesIt() {
        Blockchain node = B13Story.mined(4);
        List<Map<String, Object>> ours = node.chain();
        List<Map<String, Object>> earlier = earlierLastBlock(ours);
        assertTrue(B13ProofOfWork.validChain(earlier, B13Story.ZEROS), "valid: its last block carries its proof");

        assertSame(ours, B13BestChain.best(ours, List.of(earlier), B13Story.ZEROS), "ours stands, earlier or not");
        assertFalse(B13Story.resolveAgainst(node, earlier), "as the node decides");
        assertEquals(PyJson.dumps(ours), PyJson.dumps(node.chain()));
    }

    /** One block more is more work: the longer valid chain wins, here and at a real node. */
    @Test
    void aLongerValidChainWins() {
        Blockchain node = B13Story.mined(4);
        List<Map<String, Object>> ours = node.chain();
        List<Map<String, Object>> longer = B13Story.mined(5).chain();
        assertSame(longer, B13BestChain.best(ours, List.of(longer), B13Story.ZEROS));
        assertTrue(B13Story.resolveAgainst(node, longer), "as the node decides");
    }

    /** A longer chain whose block 2 was rewritten and not mined again never wins. */
    @Test
    void aLongerChainWithoutItsProofNeverWins() {
        List<Map<String, Object>> ours = B13Story.mined(4).chain();
        List<Map<String, Object>> rewritten = Facts.copy(B13Story.mined(5).chain());
        @SuppressWarnings("unchecked")
        Map<String, Object> payment = ((List<Map<String, Object>>) rewritten.get(1).get("transactions")).get(1);
        payment.put("recipient", "小美");
        assertTrue(B13ProofOfWork.whyInvalid(rewritten, B13Story.ZEROS).startsWith("invalid chain: block 2: its hash "));
        assertSame(ours, B13BestChain.best(ours, List.of(rewritten), B13Story.ZEROS));
    }

    /** Two neighbours' chains, both a block longer than ours: the first of them in the list wins, whatever its times. */
    @Test
    void ofNeighboursAsLongAsEachOtherTheFirstWins() {
        List<Map<String, Object>> ours = B13Story.mined(4).chain();
        List<Map<String, Object>> longer = B13Story.mined(5).chain();
        List<Map<String, Object>> earlier = earlierLastBlock(longer);
        assertSame(longer, B13BestChain.best(ours, List.of(longer, earlier), B13Story.ZEROS));
        assertSame(earlier, B13BestChain.best(ours, List.of(earlier, longer), B13Story.ZEROS));
    }

    /** The chain with its last block mined again: the reward to 小美, the time that of the block before. */
    private static List<Map<String, Object>> earlierLastBlock(List<Map<String, Object>> chain) {
        List<Map<String, Object>> copy = Facts.copy(chain);
        Map<String, Object> last = copy.get(copy.size() - 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> reward = ((List<Map<String, Object>>) last.get("transactions")).get(0);
        reward.put("recipient", "小美");
        last.put("timestamp", copy.get(copy.size() - 2).get("timestamp"));
        copy.set(copy.size() - 1, BlockMiner.findNonce(last, B13Story.ZEROS));
        assertTrue(B12Story.lastTime(copy) < B12Story.lastTime(chain), "its last block is earlier");
        return copy;
    }
}

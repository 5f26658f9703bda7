package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.taught.BlockProof;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B13.1")
class B13ValidProofTest {

    /** Nobody mined B13's genesis block: its hash, which CPython agrees on, starts with a 1, not a 0. */
    @Test
    void theGenesisBlockCarriesNoProof() {
        Map<String, Object> genesis = BlockProof.genesis();
        assertEquals("1718c255056a04c456980f931ed2deba134b4faf448173d61c1f5ff366627230", BlockProof.hash(genesis));
        assertTrue(B13ValidProof.validProof(genesis, 0), "any hash starts with no zeros");
        assertFalse(B13ValidProof.validProof(genesis, 1), "its hash starts with 1: the nonce 100 is made up");
    }

    /** The blocks a real B13 node mines at three zeros: nonces 3512, 8081, 516, and hashes 0000fc0d…, 0009859c…, 0008c3c1…. */
    @Test
    void theBlocksANodeMinesCarryTheirProof() {
        List<Map<String, Object>> chain = B13Story.mined(4).chain();
        assertEquals(List.of(100L, 3512L, 8081L, 516L), B13Story.nonces(chain));
        for (Map<String, Object> block : chain.subList(1, chain.size())) {
            assertTrue(B13ValidProof.validProof(block, B13Story.ZEROS), "block " + block.get("index") + " at three zeros");
            for (int zeros = 0; zeros <= 6; zeros++) {
                assertEquals(BlockProof.validProof(block, zeros), B13ValidProof.validProof(block, zeros),
                        "block " + block.get("index") + " at " + zeros + " zeros, as B13's validProof says");
            }
        }
        assertTrue(B13ValidProof.validProof(chain.get(1), 4), "block 2's hash, 0000fc0d…, has four zeros by chance");
        assertFalse(B13ValidProof.validProof(chain.get(2), 4), "block 3's, 0009859c…, has three");
    }

    /** Whatever the block holds is under the proof: change the payment, the link or the nonce and it is gone. */
    @Test
    void changeAnythingInTheBlockAndTheProofFails() {
        Map<String, Object> block = B13Story.mined(2).chain().get(1);
        List<Map<String, Object>> rewritten = Facts.copy(List.of(block));
        @SuppressWarnings("unchecked")
        Map<String, Object> payment = ((List<Map<String, Object>>) rewritten.get(0).get("transactions")).get(1);
        assertEquals(699L, payment.get("amount"));
        payment.put("recipient", "小美");
        assertFalse(B13ValidProof.validProof(rewritten.get(0), B13Story.ZEROS), "the 699 sent back to 小美");

        List<Map<String, Object>> relinked = Facts.copy(List.of(block));
        relinked.get(0).put("previous_hash", "0".repeat(64));
        assertFalse(B13ValidProof.validProof(relinked.get(0), B13Story.ZEROS), "another previous_hash");

        List<Map<String, Object>> renonced = Facts.copy(List.of(block));
        renonced.get(0).put("nonce", 3513L);
        assertFalse(B13ValidProof.validProof(renonced.get(0), B13Story.ZEROS), "the next nonce, 3513");
    }
}

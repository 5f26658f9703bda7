package bitvillage.util.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search over the whole block: the smallest nonce, of the very text PyJson.dumps writes. */
class BlockMinerTest {

    private static Map<String, Object> block(Object... more) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", 7L);
        block.put("timestamp", 1_800_000_000.5);
        block.put("transactions", List.of(Map.of("id", "a".repeat(32), "sender", "0", "recipient", "小美", "amount", 1L)));
        block.put("nonce", 12_345L);
        block.put("previous_hash", "0".repeat(64));
        for (int i = 0; i < more.length; i += 2) block.put((String) more[i], more[i + 1]);
        return block;
    }

    @Test
    void theNonceFoundIsTheSmallestWhoseBlockHashesWithTheZeros() {
        for (int zeros = 0; zeros <= 3; zeros++) {
            Map<String, Object> mined = BlockMiner.findNonce(block(), zeros);
            long nonce = (long) mined.get("nonce");
            assertTrue(Sha256.hex(PyJson.dumps(mined)).startsWith("0".repeat(zeros)), zeros + " zeros");
            for (long smaller = 0; smaller < nonce; smaller++) {
                Map<String, Object> earlier = new LinkedHashMap<>(mined);
                earlier.put("nonce", smaller);
                assertFalse(Sha256.hex(PyJson.dumps(earlier)).startsWith("0".repeat(zeros)), "nonce " + smaller);
            }
            mined.put("nonce", 12_345L);
            assertEquals(PyJson.dumps(block()), PyJson.dumps(mined), "only the nonce changes");
        }
    }

    @Test
    void aBlockWithAKeyThatJsonWritesBeforeTheNonceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BlockMiner.findNonce(block("merkle", "x"), 1));
        assertEquals(PyJson.dumps(BlockMiner.findNonce(block("proof_of_what", "x"), 2)).indexOf("\"nonce\": "),
                "{\"index\": 7, ".length(), "a key after the nonce is hashed where json.dumps writes it");
    }
}

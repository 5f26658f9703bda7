package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B10Consensus;
import bitvillage.stages.B12Confirmations.Blockchain;
import bitvillage.stages.B12Confirmations;
import bitvillage.util.python.PyJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B12.2")
class B12RelinkTest {

    /** The chain the book's own Python node served: its 699 for 大華 goes to 小美, and the links are mended. */
    @Test
    void theBooksChainRewrittenAndLinkedAgainIsValid() throws Exception {
        List<Map<String, Object>> book = Facts.bookNodeChain();
        List<Map<String, Object>> tampered = Facts.copy(book);
        @SuppressWarnings("unchecked")
        Map<String, Object> payment = ((List<Map<String, Object>>) tampered.get(1).get("transactions")).get(0);
        assertEquals(699L, payment.get("amount"));
        payment.put("recipient", "小美");
        assertEquals("invalid chain: block 3: previous_hash is not the hash of block 2", B10Consensus.whyInvalid(tampered, 4),
                "rewritten and not linked again, the chain is refused");
        String tamperedBefore = PyJson.dumps(tampered);

        List<Map<String, Object>> forged = B12Relink.relink(tampered);
        assertNull(B10Consensus.whyInvalid(forged, 4), "valid by B10's rules, the book's two checks");
        assertEquals(List.of(100L, 35293L, 35089L, 119678L), nonces(forged), "every nonce as it was: no mining");
        assertEquals(book.get(1).get("previous_hash"), forged.get(1).get("previous_hash"), "block 1 did not change, nor its hash");
        assertNotEquals(book.get(2).get("previous_hash"), forged.get(2).get("previous_hash"), "block 3 links to the new block 2");
        assertNotEquals(book.get(3).get("previous_hash"), forged.get(3).get("previous_hash"), "and so on to the last block");
        @SuppressWarnings("unchecked")
        Map<String, Object> forgedPayment = ((List<Map<String, Object>>) forged.get(1).get("transactions")).get(0);
        assertEquals("小美", forgedPayment.get("recipient"));
        for (int i = 0; i < book.size(); i++) {
            assertEquals(book.get(i).get("timestamp"), forged.get(i).get("timestamp"), "timestamp of block " + (i + 1));
        }
        assertEquals(tamperedBefore, PyJson.dumps(tampered), "the chain given is left as it was");
    }

    @Test
    void anHonestChainLinkedAgainIsTheSameChain() {
        List<Map<String, Object>> honest = B12Story.mined("大華", 7).chain();
        assertEquals(PyJson.dumps(honest), PyJson.dumps(B12Relink.relink(honest)));
    }

    /**
     * The forge of the page: six confirmations, the payment rewritten under its id, an earlier last
     * block, linked again. A B12 node holding the honest chain takes the forgery from a neighbour.
     */
    @Test
    void anHonestNodeAdoptsTheForgery() {
        Blockchain node = B12Story.mined("大華", 7);
        List<Map<String, Object>> honest = node.chain();
        assertEquals(6L, node.find(B12Story.PAYMENT_ID).confirmations(), "大華 hands over the jeans");

        List<Map<String, Object>> copied = Facts.copy(honest);
        B12Story.transaction(copied, 2, B12Story.PAYMENT_ID).put("recipient", "小美");
        copied.get(6).put("timestamp", B12Story.lastTime(honest) - 2);
        List<Map<String, Object>> forged = B12Relink.relink(copied);
        assertTrue(B12Confirmations.validChain(forged, 4), "valid by B12's checks: links, nonces, ids held once");
        assertEquals(B12Story.NONCES, nonces(forged), "the honest chain's nonces, every one");

        assertTrue(B12Story.resolveAgainst(node, forged), "the honest node replaced its chain");
        B12Confirmations.Blockchain.Whereabouts payment = node.find(B12Story.PAYMENT_ID);
        assertEquals("小美", payment.transaction().get("recipient"), "the 699 now goes from 小美 to 小美");
        assertEquals(6L, payment.confirmations(), "still with six confirmations");
        assertEquals(List.of(), node.currentTransactions(), "and nothing comes back to pending: the id is held");
    }

    private static List<Object> nonces(List<Map<String, Object>> chain) {
        return chain.stream().map(block -> block.get("nonce")).toList();
    }
}

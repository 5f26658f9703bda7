package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B10Consensus.Blockchain;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B10.6")
class B10ValidChainTest {

    @Test
    void honestChainsAreValid() throws Exception {
        assertTrue(B10ValidChain.validChain(Chains.honest(1, Facts.quietWorld()), 4), "the genesis block alone");
        assertTrue(B10ValidChain.validChain(Chains.honest(4, Facts.quietWorld()), 4), "three mined blocks");
        assertTrue(B10ValidChain.validChain(Facts.bookNodeChain(), 4), "the chain of the book's Python node");
    }

    @Test
    void aBrokenLinkIsRefused() {
        List<Map<String, Object>> chain = Facts.copy(Chains.honest(3, Facts.quietWorld()));
        chain.get(2).put("previous_hash", "0".repeat(64));
        assertFalse(B10ValidChain.validChain(chain, 4));
    }

    @Test
    void aChangedPaymentIsRefused() {
        List<Map<String, Object>> chain = Facts.copy(Chains.honest(3, Facts.quietWorld()));
        @SuppressWarnings("unchecked")
        Map<String, Object> payment = ((List<Map<String, Object>>) chain.get(1).get("transactions")).get(0);
        payment.put("amount", 6990L); // block 3's previous_hash no longer matches block 2
        assertFalse(B10ValidChain.validChain(chain, 4));
    }

    @Test
    void aMisNoncedBlockIsRefused() {
        List<Map<String, Object>> chain = Facts.copy(Chains.honest(3, Facts.quietWorld()));
        chain.get(2).put("nonce", 35090L);
        assertFalse(B10ValidChain.validChain(chain, 4), "35090 does not fit 35293");
        chain.get(2).put("nonce", 35089L);
        assertTrue(B10ValidChain.validChain(chain, 4), "and 35089 does");
        chain.get(1).put("nonce", 35292L);
        chain.get(2).put("previous_hash", Blockchain.hash(chain.get(1))); // relinked: only the nonce is wrong
        assertFalse(B10ValidChain.validChain(chain, 4), "35292 does not fit 100");
    }

    @Test
    void moreZerosRefuseFewer() {
        assertFalse(B10ValidChain.validChain(Chains.honest(2, Facts.quietWorld()), 5));
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.stages.B12Confirmations.Blockchain;
import bitvillage.stages.B12Confirmations;
import bitvillage.util.cli.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B12.1")
class B12CountConfirmationsTest {

    /** The page's story: 小美 pays 大華 699, and every block mined on top is one confirmation more, as B12's node counts. */
    @Test
    void everyBlockFromTheOneThatHoldsItCounts() {
        World world = Facts.quietWorld();
        Blockchain blockchain = new Blockchain(world.clock(), 4);
        String id = world.nodeIds().get();
        blockchain.newTransaction(id, "小美", "大華", 699L);
        assertEquals(0, B12CountConfirmations.confirmations(blockchain.chain(), id), "pending: no block holds it yet");
        List<Long> counted = new ArrayList<>();
        for (int blocks = 2; blocks <= 7; blocks++) {
            B12Confirmations.mine(blockchain, "miner", world);
            long confirmations = B12CountConfirmations.confirmations(blockchain.chain(), id);
            assertEquals(blockchain.find(id).confirmations(), confirmations, "as B12's node counts, with " + blocks + " blocks");
            counted.add(confirmations);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), counted, "in block 2 alone it has 1; the book's six are block 2 and five more");
        assertEquals(B12Story.NONCES, blockchain.chain().stream().map(block -> block.get("nonce")).toList());
    }

    @Test
    void theLastBlocksRewardHasOne() {
        List<Map<String, Object>> chain = B12Story.mined("大華", 7).chain();
        assertEquals(1, B12CountConfirmations.confirmations(chain, rewardOf(chain.get(6))), "the reward of block 7, the last");
        assertEquals(5, B12CountConfirmations.confirmations(chain, rewardOf(chain.get(2))), "the reward of block 3");
        assertEquals(6, B12CountConfirmations.confirmations(chain, B12Story.PAYMENT_ID), "the payment in block 2");
    }

    @Test
    void anIdNoBlockHoldsHasNone() throws Exception {
        List<Map<String, Object>> chain = B12Story.mined("大華", 3).chain();
        assertEquals(0, B12CountConfirmations.confirmations(chain, "0123456789abcdef0123456789abcdef"));
        assertEquals(0, B12CountConfirmations.confirmations(Facts.bookNodeChain(), B12Story.PAYMENT_ID),
                "the book's node gives its transactions no id");
    }

    private static String rewardOf(Map<String, Object> block) {
        List<?> transactions = (List<?>) block.get("transactions");
        Map<?, ?> reward = (Map<?, ?>) transactions.get(transactions.size() - 1);
        assertEquals("0", reward.get("sender"), "a block's last transaction is its mining reward");
        return (String) reward.get("id");
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B13ProofOfWork.Blockchain;
import bitvillage.stages.B13ProofOfWork;
import bitvillage.stages.taught.BlockProof;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B13.2")
class B13MineTest {

    /** The block a B13 node seals for its first /mine: your miner finds B13's nonce, 3512, for it. */
    @Test
    void yourMinerFindsTheNonceB13Finds() {
        World world = Facts.quietWorld();
        Blockchain node = new Blockchain(world.clock(), B13Story.ZEROS);
        node.newTransaction(world.nodeIds().get(), "小美", "大華", 699L);
        Map<String, Object> sealed = node.nextBlock(world.nodeIds().get(), "miner");
        String sealedBefore = PyJson.dumps(sealed);

        Map<String, Object> mined = B13Mine.mine(sealed, B13Story.ZEROS);
        assertEquals(3512L, mined.get("nonce"), "the first nonce from 0 that fits");
        assertEquals(PyJson.dumps(BlockMiner.findNonce(sealed, B13Story.ZEROS)), PyJson.dumps(mined), "the block a B13 node mines");
        assertTrue(BlockProof.validProof(mined, B13Story.ZEROS));
        assertEquals(sealedBefore, PyJson.dumps(sealed), "the block given is left as it was, nonce 0");
        assertTrue(node.addBlock(mined), "the node adds it: it follows the node's last block");
        assertEquals(List.of(100L, 3512L), B13Story.nonces(node.chain()));
        assertEquals(B13Story.mined(2).chain().get(1), node.chain().get(1), "the block /mine makes");
    }

    /**
     * A chain of four blocks, each mined by your miner on the one before (a reward to "reader" in
     * each, under ids of its own), is taken by a real B13 node over HTTP.
     */
    @Test
    void aRealNodeTakesAChainYourMinerBuilt() {
        List<Map<String, Object>> chain = new ArrayList<>(List.of(BlockProof.genesis()));
        for (int index = 2; index <= 4; index++) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", (long) index);
            block.put("timestamp", 1795770021.0 + index);
            block.put("transactions", List.of(Blockchain.transaction("%032x".formatted(index), "0", "reader", 1L)));
            block.put("nonce", 0L);
            block.put("previous_hash", BlockProof.hash(chain.get(chain.size() - 1)));
            chain.add(B13Mine.mine(block, B13Story.ZEROS));
        }
        assertNull(B13ProofOfWork.whyInvalid(chain, B13Story.ZEROS), "valid by B13's rules");

        Blockchain node = B13Story.mined(3);
        assertTrue(B13Story.resolveAgainst(node, chain), "four blocks beat the node's three");
        assertEquals(PyJson.dumps(chain), PyJson.dumps(node.chain()), "the node now holds your chain");
        assertEquals(1, node.currentTransactions().size(), "and 小美's payment, which your chain lacks, waits again");
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.stages.B07MineRoute.Blockchain;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B07.1")
class B07MineTest {

    private static final String MINER = "9e87d069508a4165a992f405923fef9b";

    @Test
    void theFirstMinedBlockAsInTheBook() {
        Blockchain blockchain = new Blockchain(World.fixedClock(), 4);
        Map<String, Object> genesis = blockchain.lastBlock();
        blockchain.newTransaction("小美", "大華", 699L);
        Map<String, Object> block = B07Mine.mine(blockchain, MINER);
        assertEquals(2, blockchain.chain().size());
        assertEquals(block, blockchain.lastBlock(), "the answer is the block now at the end of the chain");
        assertEquals(2L, block.get("index"));
        assertEquals(35293L, block.get("nonce"));
        assertEquals(Blockchain.hash(genesis), block.get("previous_hash"));
        assertEquals("[{\"amount\": 699, \"recipient\": \"\\u5927\\u83ef\", \"sender\": \"\\u5c0f\\u7f8e\"}, "
                        + "{\"amount\": 1, \"recipient\": \"" + MINER + "\", \"sender\": \"0\"}]",
                PyJson.dumps(block.get("transactions")), "the payment, then the miner's reward from sender \"0\"");
        assertEquals(0, blockchain.currentTransactions().size(), "nothing waits any more");
    }

    @Test
    void theSecondMinedBlock() {
        Blockchain blockchain = new Blockchain(World.fixedClock(), 4);
        B07Mine.mine(blockchain, MINER);
        Map<String, Object> block = B07Mine.mine(blockchain, MINER);
        assertEquals(35089L, block.get("nonce"));
        assertEquals(Blockchain.hash(blockchain.chain().get(1)), block.get("previous_hash"));
    }
}

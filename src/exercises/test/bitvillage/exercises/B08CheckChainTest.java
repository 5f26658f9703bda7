package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.stages.B08ChainRoute.Blockchain;
import bitvillage.util.cli.World;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B08.1")
class B08CheckChainTest {

    @Test
    void theGenesisChain() {
        Blockchain blockchain = new Blockchain(World.fixedClock(), 4);
        Map<String, Object> answer = B08CheckChain.checkChain(blockchain);
        assertEquals(Set.of("chain", "length", "last_bk_t"), answer.keySet());
        assertEquals(blockchain.chain(), answer.get("chain"));
        assertEquals(1L, answer.get("length"));
        assertEquals(1795770021.2578122, answer.get("last_bk_t"));
    }

    @Test
    void afterTwoBlocks() {
        Blockchain blockchain = new Blockchain(World.fixedClock(), 4);
        blockchain.newBlock(35293);
        blockchain.newBlock(35089);
        Map<String, Object> answer = B08CheckChain.checkChain(blockchain);
        assertEquals(3L, answer.get("length"));
        List<?> chain = (List<?>) answer.get("chain");
        assertEquals(List.of(100L, 35293L, 35089L), chain.stream().map(block -> ((Map<?, ?>) block).get("nonce")).toList());
        assertEquals(blockchain.lastBlock().get("timestamp"), answer.get("last_bk_t"));
    }
}

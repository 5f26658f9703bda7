package bitvillage.exercises;

import bitvillage.stages.B10Consensus.Blockchain;
import bitvillage.stages.B10Consensus;
import bitvillage.util.cli.World;
import java.util.List;
import java.util.Map;

/** Honest chains, mined as B10 mines them, for the consensus exercises to accept, tamper with and compare. */
final class Chains {
    private Chains() {}

    /** A chain of {@code blocks} blocks (the genesis block and blocks-1 mined ones), with one payment in block 2. */
    static List<Map<String, Object>> honest(int blocks, World world) {
        Blockchain blockchain = new Blockchain(world.clock(), 4);
        blockchain.newTransaction("小美", "大華", 699L);
        for (int i = 1; i < blocks; i++) B10Consensus.mine(blockchain, "miner", world);
        return blockchain.chain();
    }

    /** Sets the timestamp of the chain's last block (a copy is made first). */
    static List<Map<String, Object>> lastBlockAt(List<Map<String, Object>> chain, double timestamp) {
        List<Map<String, Object>> copy = Facts.copy(chain);
        copy.get(copy.size() - 1).put("timestamp", timestamp);
        return copy;
    }
}

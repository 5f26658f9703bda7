package bitvillage.exercises;

import bitvillage.stages.B13ProofOfWork.Blockchain;
import bitvillage.stages.B13ProofOfWork;
import bitvillage.util.cli.World;
import bitvillage.util.guard.Outcomes;
import bitvillage.util.web.WebApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Chains as B13's own code mines them, at a low difficulty so the tests stay quick, and a node that resolves. */
final class B13Story {
    private B13Story() {}

    /** Three zeros: 4,096 tries a block on average, against 65,536 at B13's default four. */
    static final int ZEROS = 3;

    /**
     * A B13 node's blockchain, in a fresh repeatable world: 小美 pays 大華 699, and blocks are mined
     * until the chain has {@code blocks} blocks.
     */
    static Blockchain mined(int blocks) {
        World world = Facts.quietWorld();
        Blockchain blockchain = new Blockchain(world.clock(), ZEROS);
        blockchain.newTransaction(world.nodeIds().get(), "小美", "大華", 699L);
        while (blockchain.chain().size() < blocks) B13ProofOfWork.mine(blockchain, "miner", world);
        return blockchain;
    }

    /**
     * A neighbour that serves {@code chain} on GET /chain, registered at {@code node}, which then
     * resolves as B13's {@code /nodes/resolve} does (true when it replaced its chain): real HTTP on a
     * free loopback port.
     */
    static boolean resolveAgainst(Blockchain node, List<Map<String, Object>> chain) {
        Duration timeout = Duration.ofSeconds(30);
        try (WebApp neighbour = Facts.serve(app -> app.get("/chain", request ->
                WebApp.Reply.json(200, Map.of("chain", chain, "length", (long) chain.size()))))) {
            node.addNode(neighbour.url());
            boolean replaced = node.resolveConflicts(timeout, new Outcomes(node.nodes()));
            node.forgetNode(neighbour.url());
            return replaced;
        }
    }

    static List<Object> nonces(List<Map<String, Object>> chain) {
        return chain.stream().map(block -> block.get("nonce")).toList();
    }
}

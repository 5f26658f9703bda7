package bitvillage.exercises;

import bitvillage.stages.B12Confirmations.Blockchain;
import bitvillage.stages.B12Confirmations;
import bitvillage.util.cli.World;
import bitvillage.util.guard.Outcomes;
import bitvillage.util.web.WebApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The story of the B12 page, told with B12's own code: 小美's payment, mined into block 2, and a node that resolves. */
final class B12Story {
    private B12Story() {}

    /** The id of 小美's payment: the first id of the pages' repeatable world, drawn before anything else. */
    static final String PAYMENT_ID = World.fixedIds().get();

    /** The book's nonces with four zeros: the genesis block's 100, then what the search finds after each. */
    static final List<Long> NONCES = List.of(100L, 35293L, 35089L, 119678L, 146502L, 43538L, 85724L);

    /**
     * A B12 node's blockchain, in a fresh repeatable world: 小美 pays {@code recipient} 699 under
     * {@link #PAYMENT_ID} (no payment when {@code recipient} is null; the id is drawn all the same),
     * and blocks are mined until the chain has {@code blocks} blocks.
     */
    static Blockchain mined(String recipient, int blocks) {
        World world = Facts.quietWorld();
        Blockchain blockchain = new Blockchain(world.clock(), 4);
        String id = world.nodeIds().get();
        if (recipient != null) blockchain.newTransaction(id, "小美", recipient, 699L);
        while (blockchain.chain().size() < blocks) B12Confirmations.mine(blockchain, "miner", world);
        return blockchain;
    }

    /** The transaction of block {@code index} (counted from 1) with this id. */
    static Map<String, Object> transaction(List<Map<String, Object>> chain, int index, String id) {
        for (Object item : (List<?>) chain.get(index - 1).get("transactions")) {
            @SuppressWarnings("unchecked") // a chain's transactions are JSON objects
            Map<String, Object> transaction = (Map<String, Object>) item;
            if (id.equals(transaction.get("id"))) return transaction;
        }
        throw new AssertionError("block " + index + " holds no transaction " + id);
    }

    /** The timestamp of the chain's last block. */
    static double lastTime(List<Map<String, Object>> chain) {
        return ((Number) chain.get(chain.size() - 1).get("timestamp")).doubleValue();
    }

    /**
     * A neighbour that serves {@code chain} on GET /chain, registered at {@code node}, which then
     * resolves as B12's {@code /nodes/resolve} does (true when it replaced its chain): real HTTP on a
     * free loopback port.
     */
    static boolean resolveAgainst(Blockchain node, List<Map<String, Object>> chain) {
        Duration timeout = Duration.ofSeconds(30);
        try (WebApp neighbour = Facts.serve(app -> app.get("/chain", request ->
                WebApp.Reply.json(200, Map.of("chain", chain, "length", (long) chain.size()))))) {
            node.addNode(neighbour.url());
            return node.resolveConflicts(timeout, new Outcomes(node.nodes()));
        }
    }
}

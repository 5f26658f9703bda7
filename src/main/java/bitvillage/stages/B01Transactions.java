package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Stage B1 (book section B-2-1, file B-1.py): villagers queue transactions, which wait for the
 * next block.
 */
public final class B01Transactions {
    private B01Transactions() {}

    public static final List<Options.Option> OPTIONS = List.of();

    // tag::blockchain[]
    public static final class Blockchain {
        private List<Map<String, Object>> currentTransactions = new ArrayList<>(); // not yet in a block
        private final List<Map<String, Object>> chain = new ArrayList<>();
        private final Set<String> nodes = new LinkedHashSet<>(); // our neighbours, no duplicates
        private final DoubleSupplier clock;

        public Blockchain(DoubleSupplier clock) {
            this.clock = clock;
            // The genesis block: nobody mined it, so its nonce and previous hash are made up.
            // The book writes previous_hash as the integer 1, and the hashes of later blocks depend on it.
            newBlock(100, 1L);
        }
        // end::blockchain[]

        // tag::new-block[]
        /** Seals the pending transactions into a new block at the end of the chain. */
        public Map<String, Object> newBlock(long nonce, Object previousHash) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", (long) chain.size() + 1);
            block.put("timestamp", clock.getAsDouble());
            block.put("transactions", currentTransactions);
            block.put("nonce", nonce);
            block.put("previous_hash", previousHash);
            currentTransactions = new ArrayList<>(); // the next block starts with an empty list
            chain.add(block);
            return block;
        }

        /** A block after the genesis block links to the hash of the last block. */
        public Map<String, Object> newBlock(long nonce) {
            return newBlock(nonce, hash(chain.get(chain.size() - 1)));
        }
        // end::new-block[]

        // tag::new-transaction[]
        /** Queues a transaction and answers the index of the block it will go into. */
        public long newTransaction(String sender, String recipient, Object amount) {
            Map<String, Object> transaction = new LinkedHashMap<>();
            transaction.put("sender", sender);
            transaction.put("recipient", recipient);
            transaction.put("amount", amount);
            currentTransactions.add(transaction);
            return (long) lastBlock().get("index") + 1;
        }

        public Map<String, Object> lastBlock() {
            return chain.get(chain.size() - 1);
        }
        // end::new-transaction[]

        // tag::hash[]
        /** The block's fingerprint: SHA-256 of the block as Python's json.dumps(block, sort_keys=True). */
        public static String hash(Map<String, Object> block) {
            return Sha256.hex(PyJson.dumps(block));
        }
        // end::hash[]

        public List<Map<String, Object>> currentTransactions() {
            return currentTransactions;
        }

        public List<Map<String, Object>> chain() {
            return chain;
        }

        public Set<String> nodes() {
            return nodes;
        }
    }

    // tag::run[]
    public static void run(Options options, World world) {
        String nodeId = world.nodeIds().get(); // this villager's name in the network
        Blockchain blockchain = new Blockchain(world.clock());
        world.out().println("This node's id: " + nodeId);
        world.out().println("Pending transactions: " + PyJson.pretty(blockchain.currentTransactions()));
        world.out().println("Chain: " + PyJson.pretty(blockchain.chain()));
        world.out().println("Neighbours: " + PyJson.pretty(blockchain.nodes()));

        // 小美 buys jeans from 大華 and pays 699 coins: the transaction waits for the next block.
        long index = blockchain.newTransaction("小美", "大華", 699L);
        world.out().println("小美 pays 大華 699; the transaction will go into block " + index);
        world.out().println("Pending transactions: " + PyJson.pretty(blockchain.currentTransactions()));
        world.out().println("Index of the last block: " + blockchain.lastBlock().get("index"));
    }
    // end::run[]

    public static void main(String[] args) {
        run(Options.parse(args, OPTIONS), World.real());
    }
}

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
 * Stage B0 (book section B-2-1, file B-0.py): a blockchain is a list of blocks, each holding the
 * hash of the block before it. It starts with a genesis block, and this node names itself with a
 * random id.
 */
public final class B00Blockchain {
    private B00Blockchain() {}

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
    }
    // end::run[]

    public static void main(String[] args) {
        run(Options.parse(args, OPTIONS), World.real());
    }
}

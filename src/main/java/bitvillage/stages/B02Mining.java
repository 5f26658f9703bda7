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
 * Stage B2 (book section B-2-2, file B-2.py): mining. A new block needs a nonce that is hard to find
 * and easy to check; the miner who finds it forges the block and pays itself one coin.
 */
public final class B02Mining {
    private B02Mining() {}

    private static final Options.Option ZEROS = Options.Option.number("--zeros", "N",
            "leading zeros a valid nonce's hash needs", 4, 1, 12).noting("as in the book");

    public static final List<Options.Option> OPTIONS = List.of(ZEROS);

    // tag::blockchain[]
    public static final class Blockchain {
        private List<Map<String, Object>> currentTransactions = new ArrayList<>(); // not yet in a block
        private final List<Map<String, Object>> chain = new ArrayList<>();
        private final Set<String> nodes = new LinkedHashSet<>(); // our neighbours, no duplicates
        private final DoubleSupplier clock;
        private final int zeros; // the difficulty: how many leading zeros a valid nonce's hash needs

        public Blockchain(DoubleSupplier clock, int zeros) {
            this.clock = clock;
            this.zeros = zeros;
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

        // tag::find-nonce[]
        /** Proof of work: try 0, 1, 2, ... until a nonce fits the last block's nonce. */
        public long findNonce(long lastNonce) {
            long nonce = 0;
            while (!validNonce(lastNonce, nonce, zeros)) {
                nonce++;
            }
            return nonce;
        }
        // end::find-nonce[]

        // tag::valid-nonce[]
        /** Does SHA-256 of the two nonces' digits, written one after the other, start with enough zeros? */
        public static boolean validNonce(long lastNonce, long nonce, int zeros) {
            String guess = Long.toString(lastNonce) + nonce;
            String guessHash = Sha256.hex(guess);
            return guessHash.startsWith("0".repeat(zeros));
        }
        // end::valid-nonce[]

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

    // tag::mine[]
    /** Finds the next nonce, pays the miner one coin (sender "0": new money) and forges the block. */
    public static Map<String, Object> mine(Blockchain blockchain, String nodeId, World world) {
        long lastNonce = (long) blockchain.lastBlock().get("nonce");
        long nonce = blockchain.findNonce(lastNonce);
        world.out().println("Nonce of the new block: " + nonce);

        blockchain.newTransaction("0", nodeId, 1L);
        Map<String, Object> block = blockchain.newBlock(nonce);

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("message", "New Block Forged");
        response.put("index", block.get("index"));
        response.put("transactions", block.get("transactions"));
        response.put("nonce", block.get("nonce"));
        response.put("previous_hash", block.get("previous_hash"));
        return response;
    }
    // end::mine[]

    // tag::run[]
    public static void run(Options options, World world) {
        int zeros = options.number(ZEROS);
        String nodeId = world.nodeIds().get(); // this villager's name in the network
        Blockchain blockchain = new Blockchain(world.clock(), zeros);
        world.out().println("This node's id: " + nodeId);
        world.out().println("Pending transactions: " + PyJson.pretty(blockchain.currentTransactions()));
        world.out().println("Chain: " + PyJson.pretty(blockchain.chain()));
        world.out().println("Neighbours: " + PyJson.pretty(blockchain.nodes()));
        world.out().println("Index of the last block: " + blockchain.lastBlock().get("index"));
        world.out().println("Mining with " + zeros + " leading zeros...");
        Map<String, Object> response = mine(blockchain, nodeId, world);
        world.out().println("The new block: " + PyJson.pretty(response));
    }
    // end::run[]

    public static void main(String[] args) {
        run(Options.parse(args, OPTIONS), World.real());
    }
}

package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.guard.JsonFields;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.guard.Transactions;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.web.ChainAnswerCache;
import bitvillage.util.web.WebApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Stage B9 (book section B-4, file B-9.py): a villager learns who its neighbours are. The
 * blockchain gets {@code addNode}, and {@code POST /nodes/register} stores the addresses a client
 * sends, each written one way only ({@code http://host:port}), so that B10 can ask each neighbour
 * for its chain; {@code POST /nodes/forget} drops some again.
 */
public final class B09RegisterNodes {
    private B09RegisterNodes() {}

    private static final Options.Option ZEROS = Options.Option.number("--zeros", "N",
            "leading zeros a valid nonce's hash needs", 4, 1, 12).noting("as in the book");

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT, ZEROS);

    /** The most neighbours a node keeps. */
    public static final int MAX_NEIGHBOURS = 100;

    // tag::blockchain[]
    /**
     * The node's blockchain, shared by every request. Spark answers each request on a thread of its
     * own, so every method that touches the lists is synchronized: one request at a time changes
     * them, and a reader gets a copy that later requests cannot change under it.
     */
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
        public synchronized Map<String, Object> newBlock(long nonce, Object previousHash) {
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
        public synchronized Map<String, Object> newBlock(long nonce) {
            return newBlock(nonce, hash(chain.get(chain.size() - 1)));
        }
        // end::new-block[]

        // tag::new-transaction[]
        /** Queues a transaction and answers the index of the block it will go into. */
        public synchronized long newTransaction(String sender, String recipient, Object amount) {
            Map<String, Object> transaction = new LinkedHashMap<>();
            transaction.put("sender", sender);
            transaction.put("recipient", recipient);
            transaction.put("amount", amount);
            currentTransactions.add(transaction);
            return (long) lastBlock().get("index") + 1;
        }

        public synchronized Map<String, Object> lastBlock() {
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

        // tag::add-node[]
        /** Adds a neighbour's address; the set ignores one we already know. */
        public synchronized void addNode(String address) {
            nodes.add(address);
        }

        /** Forgets a neighbour's address; one we do not know is ignored. */
        public synchronized void forgetNode(String address) {
            nodes.remove(address);
        }
        // end::add-node[]

        // tag::copies[]
        /** The transactions waiting for the next block, as they are now. */
        public synchronized List<Map<String, Object>> currentTransactions() {
            return List.copyOf(currentTransactions);
        }

        /** The blocks as they are now; a block never changes once forged, so sharing them is safe. */
        public synchronized List<Map<String, Object>> chain() {
            return List.copyOf(chain);
        }

        public synchronized List<String> nodes() {
            return List.copyOf(nodes);
        }
        // end::copies[]
    }

    // tag::mine[]
    /**
     * {@code GET /mine}: finds the next nonce, pays the miner one coin (sender "0": new money) and
     * forges the block. The search runs without the blockchain's lock, so other villagers may send
     * transactions and read the chain meanwhile. Forging holds the lock, and first checks that the
     * last block is still the one the nonce was found for: if another request forged a block in the
     * meantime, our nonce proves nothing for the new last block, and we search again on top of it.
     * So two villagers mining at once never forge two blocks with the same index. Nor do we forge
     * a block that would make our {@code /chain} answer more than a neighbour reads ({@link ServedChain}).
     */
    public static Map<String, Object> mine(Blockchain blockchain, String nodeId, World world) {
        Map<String, Object> block = null;
        while (block == null) {
            Map<String, Object> lastBlock = blockchain.lastBlock();
            long nonce = blockchain.findNonce((long) lastBlock.get("nonce"));
            synchronized (blockchain) {
                if (blockchain.lastBlock() == lastBlock) { // the very block we searched for is still last
                    ServedChain.requireRoomToMine(blockchain.chain(), blockchain.currentTransactions(), nodeId);
                    world.out().println("Nonce of the new block: " + nonce);
                    blockchain.newTransaction("0", nodeId, 1L);
                    block = blockchain.newBlock(nonce);
                }
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("message", "New Block Forged");
        response.put("index", block.get("index"));
        response.put("transactions", block.get("transactions"));
        response.put("nonce", block.get("nonce"));
        response.put("previous_hash", block.get("previous_hash"));
        return response;
    }
    // end::mine[]

    // tag::new-transaction-route[]
    /**
     * {@code POST /transactions/new} with {@code {"sender": ..., "recipient": ..., "amount": ...}}:
     * every field is checked before anything is queued, so a bad request leaves no trace. Sender
     * "0" is the mint, the sender of mining rewards: a villager cannot pay in its name. Util's
     * {@link Transactions} keeps each payment, and the pending list, to sizes every peer can hold.
     */
    public static Map<String, Object> newTransaction(Blockchain blockchain, Map<String, Object> values) {
        String sender = JsonFields.text(values, "sender");
        if (sender.equals("0")) throw new WebApp.Rejected(400, "sender \"0\" stands for new coins, which only mining makes");
        String recipient = JsonFields.text(values, "recipient");
        Number amount = JsonFields.number(values, "amount");
        Transactions.requireValid(sender, recipient, amount);
        long index;
        synchronized (blockchain) { // counting and queuing go together, or two requests could both fit
            Transactions.requireRoom(blockchain.currentTransactions().size());
            index = blockchain.newTransaction(sender, recipient, amount);
        }
        return Map.of("message", "Transaction will be added to Block " + index);
    }
    // end::new-transaction-route[]

    // tag::check-chain[]
    /**
     * {@code GET /chain}: the whole chain, its length, and when its last block was forged
     * ({@code last_bk_t}: the book's B10 compares it to break a tie between chains of the same
     * length; ours reads the timestamp of the chain's own last block, since this field is only what
     * a neighbour claims). All three come from one copy of the chain, so they agree even while a
     * block is being forged.
     */
    public static Map<String, Object> checkChain(Blockchain blockchain) {
        List<Map<String, Object>> chain = blockchain.chain();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("chain", chain);
        response.put("length", (long) chain.size());
        response.put("last_bk_t", chain.get(chain.size() - 1).get("timestamp"));
        return response;
    }
    // end::check-chain[]

    // tag::register-nodes[]
    /**
     * {@code POST /nodes/register} with {@code {"nodes": ["http://127.0.0.1:5002", ...]}}: every
     * address is checked and written as {@code http://host:port} before any is stored, so one bad
     * address stores none. Registering a neighbour again changes nothing. A node keeps at most
     * {@link #MAX_NEIGHBOURS}: resolving asks every one of them at once.
     */
    public static Map<String, Object> registerNodes(Blockchain blockchain, Map<String, Object> values) {
        List<String> addresses = NodeAddress.all(values, "no node was added");
        synchronized (blockchain) { // counting and adding go together, or two requests could both fit
            Set<String> after = new LinkedHashSet<>(blockchain.nodes());
            after.addAll(addresses);
            if (after.size() > MAX_NEIGHBOURS) {
                throw new WebApp.Rejected(400, "a node keeps at most " + MAX_NEIGHBOURS + " neighbours; no node was added");
            }
            for (String address : addresses) {
                blockchain.addNode(address);
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("message", "New nodes have been added");
        response.put("total_nodes", blockchain.nodes());
        return response;
    }

    // end::register-nodes[]

    // tag::forget-nodes[]
    /**
     * {@code POST /nodes/forget} with {@code {"nodes": [...]}}, not in the book, whose list only
     * grows: a neighbour that moved away, or a typo, would hold one of the places for good. Checked
     * as register checks, so one bad address forgets none; an address we do not know is ignored.
     */
    public static Map<String, Object> forgetNodes(Blockchain blockchain, Map<String, Object> values) {
        for (String address : NodeAddress.all(values, "no node was forgotten")) {
            blockchain.forgetNode(address);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("message", "Nodes have been forgotten");
        response.put("total_nodes", blockchain.nodes());
        return response;
    }
    // end::forget-nodes[]

    // tag::routes[]
    /** The node's route table: each route hands the request to one of the methods above. */
    public static WebApp routes(WebApp app, Blockchain blockchain, String nodeId, World world) {
        ChainAnswerCache chainAnswers = new ChainAnswerCache(); // written once per chain, not once per request
        return app
                .get("/mine", request -> WebApp.Reply.json(200, mine(blockchain, nodeId, world)))
                .post("/transactions/new", request ->
                        WebApp.Reply.json(201, newTransaction(blockchain, WebApp.jsonObject(request))))
                .get("/chain", request -> chainAnswers.reply(request, blockchain.chain(), () -> checkChain(blockchain)))
                .post("/nodes/register", request ->
                        WebApp.Reply.json(200, registerNodes(blockchain, WebApp.jsonObject(request))))
                .post("/nodes/forget", request ->
                        WebApp.Reply.json(200, forgetNodes(blockchain, WebApp.jsonObject(request))));
    }
    // end::routes[]

    // tag::start[]
    /** Builds this villager's blockchain, says what it holds, and starts serving it. */
    public static WebApp start(Options options, World world) {
        WebApp app = WebApp.fromOptions(options, world); // a --port that is no port stops us before we print
        int zeros = options.number(ZEROS);
        String nodeId = world.nodeIds().get(); // this villager's name in the network
        Blockchain blockchain = new Blockchain(world.clock(), zeros);
        world.out().println("This node's id: " + nodeId);
        world.out().println("Pending transactions: " + PyJson.pretty(blockchain.currentTransactions()));
        world.out().println("Chain: " + PyJson.pretty(blockchain.chain()));
        world.out().println("Neighbours: " + PyJson.pretty(blockchain.nodes()));
        world.out().println("Index of the last block: " + blockchain.lastBlock().get("index"));
        return routes(app, blockchain, nodeId, world).start();
    }
    // end::start[]

    public static void main(String[] args) {
        WebApp app = start(Options.parse(args, OPTIONS), World.real());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close)); // Ctrl+C stops the server cleanly
    }
}

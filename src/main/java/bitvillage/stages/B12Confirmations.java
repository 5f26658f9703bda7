package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.client.NeighbourChains;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.JsonFields;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.guard.Outcomes;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.guard.TransactionIds;
import bitvillage.util.guard.Transactions;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.web.AtMostAtOnce;
import bitvillage.util.web.ChainAnswerCache;
import bitvillage.util.web.WebApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Stage B12 (not in the book; its supplement 補充學習 A): confirmations. B10's node, and every
 * transaction gets an id when it is accepted, so {@code GET /transactions/<id>} can say where it
 * is: pending, or in block K with N confirmations (block K and every block after it). The page
 * shows why six confirmations protect nothing on this chain: anyone can rewrite a block and
 * relink the chain without mining at all ({@code java -jar target/bitvillage.jar forge}).
 */
public final class B12Confirmations {
    private B12Confirmations() {}

    private static final Options.Option ZEROS = Options.Option.number("--zeros", "N",
            "leading zeros a valid nonce's hash needs", 4, 1, 12).noting("as in the book");
    private static final Options.Option TIMEOUT = Options.Option.number("--timeout", "N",
            "seconds to wait for the neighbours' chains", 5, 1, 600);

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT, ZEROS, TIMEOUT);

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
        /** Queues a transaction under its id and answers the index of the block it will go into. */
        public synchronized long newTransaction(String id, String sender, String recipient, Object amount) {
            Map<String, Object> transaction = new LinkedHashMap<>();
            transaction.put("id", id);
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

        // tag::resolve-conflicts[]
        /**
         * The book's resolve_conflicts: true when a neighbour's valid chain beat ours and replaced it.
         * Util's {@link NeighbourChains} hands out each chain as it arrives, shaped as a node relies on
         * (or why it was skipped); we keep the best so far. We ask without our lock, so villagers go on.
         */
        public boolean resolveConflicts(Duration timeout, Outcomes outcomes) {
            NeighbourChains.Offer best = null;
            for (NeighbourChains.Offer offer : NeighbourChains.ask(outcomes.nodes(), timeout)) {
                String problem = offer.chain() == null ? offer.problem() : whyInvalid(offer.chain(), zeros);
                if (problem != null) {
                    outcomes.skipped(offer.node(), problem);
                } else {
                    outcomes.offered(offer.node(), offer.chain().size());
                    if (best == null || BETTER_FIRST.compare(offer, best) < 0) best = offer;
                }
            }
            return adoptIfBetter(best, outcomes);
        }

        /** Longer first; as long, the earlier last block (the book's tie-break); then by address: who answered first never counts. */
        private static final Comparator<NeighbourChains.Offer> BETTER_FIRST =
                Comparator.comparingInt((NeighbourChains.Offer offer) -> offer.chain().size()).reversed()
                        .thenComparingDouble(offer -> lastBlockTime(offer.chain()))
                        .thenComparing(NeighbourChains.Offer::node);

        /** The best chain replaces ours if it is longer, or as long with an earlier last block. */
        private synchronized boolean adoptIfBetter(NeighbourChains.Offer best, Outcomes outcomes) {
            int maxLength = chain.size();
            boolean replaced = best != null && (best.chain().size() > maxLength
                    || best.chain().size() == maxLength && lastBlockTime(best.chain()) < lastBlockTime(chain));
            if (replaced) replaceChain(best.chain());
            outcomes.decided(replaced ? best.node() : null, maxLength);
            return replaced;
        }

        private static double lastBlockTime(List<Map<String, Object>> blocks) {
            return ((Number) blocks.get(blocks.size() - 1).get("timestamp")).doubleValue();
        }
        // end::resolve-conflicts[]

        // tag::replace-chain[]
        /**
         * Takes the new chain and loses no payment: each one in our blocks or pending that the new
         * chain does not hold waits for the next block, but for our rewards (sender "0"), whose blocks
         * are gone. A payment is known by its id: one whose id the new chain holds is held, whatever
         * the new chain says it pays. Payments of the book's node and of B10 have no id; alike ones of
         * those are counted, as B10 does.
         */
        private void replaceChain(List<Map<String, Object>> newChain) {
            Map<String, Integer> arriving = new HashMap<>(); // the new chain's payments, by identity, counted
            for (Map<String, Object> block : newChain) {
                ChainShape.transactions(block).forEach(payment -> arriving.merge(identity(payment), 1, Integer::sum));
            }
            List<Map<String, Object>> ours = new ArrayList<>(); // the payments in our blocks, then the pending ones
            for (Map<String, Object> block : chain) ours.addAll(ChainShape.transactions(block));
            ours.addAll(currentTransactions);
            List<Map<String, Object>> stillPending = new ArrayList<>();
            for (Map<String, Object> payment : ours) { // count off those the new chain holds: below 0, no (more) such one
                if (!"0".equals(payment.get("sender")) && arriving.merge(identity(payment), -1, Integer::sum) < 0) {
                    stillPending.add(payment);
                }
            }
            chain.clear();
            chain.addAll(newChain);
            currentTransactions = stillPending; // may pass Transactions.MAX_PENDING: none is lost
        }

        /** What tells a payment apart: its id, or for one without an id, all of it. */
        private static String identity(Map<String, Object> payment) {
            Object id = payment.get("id");
            return id != null ? (String) id : PyJson.dumps(payment); // an id in a valid chain is a string
        }
        // end::replace-chain[]

        // tag::find-transaction[]
        /** Where a transaction is: in block K, which has N confirmations, or pending. */
        public record Whereabouts(Map<String, Object> transaction, Long block, Long confirmations) {
            public boolean pending() {
                return block == null;
            }
        }

        /**
         * Looks for the transaction with this id in the chain, then among the pending ones, all
         * under one lock, so the answer describes one moment. Null when no one here holds it.
         */
        public synchronized Whereabouts find(String id) {
            for (Map<String, Object> block : chain) {
                for (Map<String, Object> transaction : ChainShape.transactions(block)) {
                    if (id.equals(transaction.get("id"))) {
                        long index = (long) block.get("index");
                        // block K counts, and so does every block after it: the book's "6" is K and five more
                        return new Whereabouts(transaction, index, chain.size() - index + 1);
                    }
                }
            }
            for (Map<String, Object> transaction : currentTransactions) {
                if (id.equals(transaction.get("id"))) return new Whereabouts(transaction, null, null);
            }
            return null;
        }
        // end::find-transaction[]
    }

    // tag::valid-chain[]
    /**
     * The book's valid_chain: block 1 is taken as it is; every later block must carry the hash of
     * the block before it and a nonce that fits the nonce before it. Util's {@link ChainShape}
     * checked first that the fields it reads are there.
     */
    public static boolean validChain(List<Map<String, Object>> chain, int zeros) {
        return whyInvalid(chain, zeros) == null;
    }

    /** Why the chain is not valid (which block, and what is wrong with it), or null. */
    public static String whyInvalid(List<Map<String, Object>> chain, int zeros) {
        Map<String, Object> lastBlock = chain.get(0);
        for (int index = 2; index <= chain.size(); index++) {
            Map<String, Object> block = chain.get(index - 1);
            // The book prints each pair of blocks; a long chain would flood the log, and our reason names the bad block.
            // 1. Does the block name the hash of the block before it?
            if (!Blockchain.hash(lastBlock).equals(block.get("previous_hash"))) {
                return "invalid chain: block " + index + ": previous_hash is not the hash of block " + (index - 1);
            }
            // 2. Does its nonce fit the nonce of the block before it?
            if (!Blockchain.validNonce((long) lastBlock.get("nonce"), (long) block.get("nonce"), zeros)) {
                return "invalid chain: block " + index + ": nonce " + block.get("nonce") + " does not fit nonce "
                        + lastBlock.get("nonce") + " of block " + (index - 1);
            }
            lastBlock = block;
        }
        return whyIdsClash(chain);
    }
    // end::valid-chain[]

    // tag::held-once[]
    /**
     * An id, where a transaction has one, is 32 hex digits, and no two transactions of a chain
     * share one: a chain that held a payment twice would pay it twice. Null when the ids are fine.
     */
    private static String whyIdsClash(List<Map<String, Object>> chain) {
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> block : chain) {
            for (Map<String, Object> transaction : ChainShape.transactions(block)) {
                if (!transaction.containsKey("id")) continue;
                Object id = transaction.get("id");
                if (!TransactionIds.wellFormed(id)) {
                    return "invalid chain: block " + block.get("index") + ": an 'id' is not " + TransactionIds.SHAPE;
                }
                if (!seen.add(id)) return "invalid chain: block " + block.get("index") + ": id " + id + " is held twice";
            }
        }
        return null;
    }
    // end::held-once[]

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
                    blockchain.newTransaction(world.nodeIds().get(), "0", nodeId, 1L); // the reward has an id too
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
     * The answer gives the new transaction's id beside the book's message: the payer asks about it
     * later. Ids come from the world's supplier of node ids: uuid4 hex, fresh for each payment, so
     * two payments alike are still two payments.
     */
    public static Map<String, Object> newTransaction(Blockchain blockchain, Map<String, Object> values, World world) {
        String sender = JsonFields.text(values, "sender");
        if (sender.equals("0")) throw new WebApp.Rejected(400, "sender \"0\" stands for new coins, which only mining makes");
        String recipient = JsonFields.text(values, "recipient");
        Number amount = JsonFields.number(values, "amount");
        String id = world.nodeIds().get();
        Transactions.requireValid(Map.of("id", id, "sender", sender, "recipient", recipient, "amount", amount));
        long index;
        synchronized (blockchain) { // counting and queuing go together, or two requests could both fit
            Transactions.requireRoom(blockchain.currentTransactions().size());
            index = blockchain.newTransaction(id, sender, recipient, amount);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("message", "Transaction will be added to Block " + index);
        response.put("id", id);
        return response;
    }
    // end::new-transaction-route[]

    // tag::transaction-route[]
    /**
     * {@code GET /transactions/<id>}: where the transaction is and what it says. Confirmed: the
     * block it is in, and its confirmations, that block and every block after it. Pending: not
     * in a block yet. An id no one here holds is a 404, one that is no id at all a 400.
     */
    public static Map<String, Object> transaction(Blockchain blockchain, String id) {
        if (!TransactionIds.wellFormed(id)) throw new WebApp.Rejected(400, "a transaction id is " + TransactionIds.SHAPE);
        Blockchain.Whereabouts whereabouts = blockchain.find(id);
        if (whereabouts == null) throw new WebApp.Rejected(404, "no transaction " + id + " in our chain or pending");
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", id);
        response.put("status", whereabouts.pending() ? "pending" : "confirmed");
        if (!whereabouts.pending()) {
            response.put("block", whereabouts.block());
            response.put("confirmations", whereabouts.confirmations());
        }
        response.put("transaction", whereabouts.transaction());
        return response;
    }
    // end::transaction-route[]

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

    // tag::consensus[]
    /** {@code GET /nodes/resolve}: the book's "new_chain" or "chain", and what became of each neighbour's chain. */
    public static Map<String, Object> consensus(Blockchain blockchain, Duration timeout) {
        Outcomes outcomes = new Outcomes(blockchain.nodes());
        boolean replaced = blockchain.resolveConflicts(timeout, outcomes);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("message", replaced ? "Our chain was replaced" : "Our chain is authoritative");
        response.put(replaced ? "new_chain" : "chain", blockchain.chain());
        response.put("neighbours", outcomes.neighbours());
        return response;
    }
    // end::consensus[]

    // tag::routes[]
    /**
     * The node's route table: each route hands the request to one of the methods above.
     * {@code /transactions/:id} is a pattern: Spark hands the part after the slash to the route
     * as the parameter {@code :id}. WebApp tries literal paths first, so {@code /transactions/new}
     * is never taken for an id.
     */
    public static WebApp routes(WebApp app, Blockchain blockchain, String nodeId, World world, Duration timeout) {
        AtMostAtOnce resolving = new AtMostAtOnce("a resolve", timeout.toSeconds()); // a second one is answered 429 at once
        ChainAnswerCache chainAnswers = new ChainAnswerCache(); // written once per chain, not once per request
        return app
                .get("/mine", request -> WebApp.Reply.json(200, mine(blockchain, nodeId, world)))
                .post("/transactions/new", request ->
                        WebApp.Reply.json(201, newTransaction(blockchain, WebApp.jsonObject(request), world)))
                .get("/chain", request -> chainAnswers.reply(request, blockchain.chain(), () -> checkChain(blockchain)))
                .post("/nodes/register", request ->
                        WebApp.Reply.json(200, registerNodes(blockchain, WebApp.jsonObject(request))))
                .post("/nodes/forget", request ->
                        WebApp.Reply.json(200, forgetNodes(blockchain, WebApp.jsonObject(request))))
                .get("/nodes/resolve", request -> resolving.run(() -> WebApp.Reply.json(200, consensus(blockchain, timeout))))
                .get("/transactions/:id", request ->
                        WebApp.Reply.json(200, transaction(blockchain, request.params(":id"))));
    }
    // end::routes[]

    // tag::start[]
    /** Builds this villager's blockchain, says what it holds, and starts serving it. */
    public static WebApp start(Options options, World world) {
        WebApp app = WebApp.fromOptions(options, world); // a bad --port stops us before we print
        int zeros = options.number(ZEROS);
        Duration timeout = Duration.ofSeconds(options.number(TIMEOUT));
        String nodeId = world.nodeIds().get(); // this villager's name in the network
        Blockchain blockchain = new Blockchain(world.clock(), zeros);
        world.out().println("This node's id: " + nodeId);
        world.out().println("Pending transactions: " + PyJson.pretty(blockchain.currentTransactions()));
        world.out().println("Chain: " + PyJson.pretty(blockchain.chain()));
        world.out().println("Neighbours: " + PyJson.pretty(blockchain.nodes()));
        world.out().println("Index of the last block: " + blockchain.lastBlock().get("index"));
        return routes(app, blockchain, nodeId, world, timeout).start();
    }
    // end::start[]

    public static void main(String[] args) {
        WebApp app = start(Options.parse(args, OPTIONS), World.real());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close)); // Ctrl+C stops the server cleanly
    }
}

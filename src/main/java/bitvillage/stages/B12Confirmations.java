package bitvillage.stages;

import bitvillage.util.HttpFetch;
import bitvillage.util.JsonFields;
import bitvillage.util.NodeAddress;
import bitvillage.util.Options;
import bitvillage.util.PyJson;
import bitvillage.util.Sha256;
import bitvillage.util.TransactionIds;
import bitvillage.util.WebApp;
import bitvillage.util.World;
import java.net.http.HttpClient;
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

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT,
            new Options.Option("--zeros", "N", "leading zeros a valid nonce's hash needs (default 4, as in the book)"),
            new Options.Option("--timeout", "N", "seconds to wait for the neighbours' chains (default 5)"));

    /** The most neighbours a node keeps. */
    public static final int MAX_NEIGHBOURS = 100;

    /** The largest chain answer we read from a neighbour: 32 MiB holds some 10,000 blocks with room to spare. */
    public static final int MAX_CHAIN_BYTES = 32 << 20;
    /** What all neighbours' answers to one resolve may hold together (a node has up to 100 neighbours). */
    public static final long MAX_CHAINS_BYTES = 2L * MAX_CHAIN_BYTES;

    // tag::blockchain[]
    /**
     * The blockchain of B2, shared by every request. Spark answers each request on a thread of its
     * own, so every method that touches the lists is synchronized: one request at a time changes
     * them, and a reader gets a copy that later requests cannot change under it.
     */
    public static final class Blockchain {
        private List<Map<String, Object>> currentTransactions = new ArrayList<>(); // not yet in a block
        private final List<Map<String, Object>> chain = new ArrayList<>();
        private final Set<String> nodes = new LinkedHashSet<>(); // our neighbours, no duplicates
        private final DoubleSupplier clock;
        private final int zeros; // the difficulty: how many leading zeros a valid nonce's hash needs
        private final Object resolving = new Object(); // held by the one resolve that runs

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
         * The book's resolve_conflicts: asks every neighbour for its chain and takes the best valid
         * one if it beats ours. Not synchronized, on purpose: waiting for the network while holding
         * the lock would stop our own villagers, and two nodes resolving against each other would
         * each wait for the other's /chain, which needs the other's lock, until both time out. So we
         * ask first, then lock and compare with our chain as it is by then. Resolves take turns,
         * though, on a lock of their own: each may hold up to 64 MiB of neighbours' answers.
         */
        public Resolution resolveConflicts(HttpClient client, Duration timeout) {
            synchronized (resolving) {
                List<Answer> answers = askForChains(client, nodes(), timeout, zeros);
                return adoptTheBest(answers);
            }
        }
        // end::resolve-conflicts[]

        // tag::adopt-the-best[]
        /**
         * Ranks the valid chains: the longest first, then the one whose last block is the earliest,
         * then by address, so the choice never depends on which neighbour answered first. The best
         * replaces ours if it is longer, or as long with an earlier last block (the book's tie-break).
         * We count the blocks ourselves and read the last block's timestamp from the chain: the
         * neighbour's 'length' and 'last_bk_t' fields are only what it claims.
         */
        private synchronized Resolution adoptTheBest(List<Answer> answers) {
            int ourLength = chain.size();
            double ourLastTime = lastBlockTime(chain);
            Answer best = answers.stream()
                    .filter(answer -> answer.chain() != null)
                    .min(Comparator.comparingInt((Answer answer) -> -answer.chain().size())
                            .thenComparingDouble(answer -> lastBlockTime(answer.chain()))
                            .thenComparing(Answer::node))
                    .orElse(null);
            boolean replaced = best != null && (best.chain().size() > ourLength
                    || best.chain().size() == ourLength && lastBlockTime(best.chain()) < ourLastTime);
            if (replaced) replaceChain(best.chain());

            List<Map<String, Object>> neighbours = new ArrayList<>();
            for (Answer answer : answers) {
                Map<String, Object> outcome = new LinkedHashMap<>();
                outcome.put("node", answer.node());
                if (answer.chain() == null) {
                    outcome.put("outcome", "skipped");
                    outcome.put("reason", answer.problem());
                    neighbours.add(outcome);
                    continue;
                }
                int length = answer.chain().size();
                outcome.put("length", (long) length);
                if (replaced && answer == best) {
                    outcome.put("outcome", "adopted");
                } else {
                    outcome.put("outcome", "not better");
                    outcome.put("reason", replaced ? "the chain of " + best.node() + " ranked first"
                            : length < ourLength ? "shorter than ours (" + ourLength + " blocks)"
                            : "as long as ours, but its last block is not earlier than ours");
                }
                neighbours.add(outcome);
            }
            return new Resolution(replaced, List.copyOf(chain), neighbours);
        }

        private static double lastBlockTime(List<Map<String, Object>> blocks) {
            return ((Number) blocks.get(blocks.size() - 1).get("timestamp")).doubleValue();
        }
        // end::adopt-the-best[]

        // tag::replace-chain[]
        /**
         * Takes the new chain, and keeps every villager's transaction: one from a block of ours
         * that the new chain drops goes back to the pending list, unless the new chain holds it
         * already; so does each pending one. Our mining rewards (sender "0") do not come back: the
         * blocks they paid for are gone. A transaction is known by its id: one the new chain holds
         * is held, whatever the new chain says it pays. Transactions from the book's node and B10
         * have no id; two alike of those are told apart by counting them, as B10 does.
         */
        private void replaceChain(List<Map<String, Object>> newChain) {
            int shared = 0; // the blocks both chains begin with
            while (shared < chain.size() && shared < newChain.size()
                    && PyJson.dumps(chain.get(shared)).equals(PyJson.dumps(newChain.get(shared)))) {
                shared++;
            }
            Map<String, Integer> arriving = new HashMap<>();
            for (Map<String, Object> block : newChain.subList(shared, newChain.size())) {
                for (Map<String, Object> transaction : transactions(block)) {
                    arriving.merge(identity(transaction), 1, Integer::sum);
                }
            }
            List<Map<String, Object>> stillPending = new ArrayList<>();
            for (Map<String, Object> block : chain.subList(shared, chain.size())) {
                for (Map<String, Object> transaction : transactions(block)) {
                    if (!"0".equals(transaction.get("sender")) && !takeOne(arriving, transaction)) {
                        stillPending.add(transaction);
                    }
                }
            }
            for (Map<String, Object> transaction : currentTransactions) {
                if (!takeOne(arriving, transaction)) stillPending.add(transaction);
            }
            chain.clear();
            chain.addAll(newChain);
            currentTransactions = stillPending;
        }

        /** Is this transaction among those the new chain brings? If so, count it off. */
        private static boolean takeOne(Map<String, Integer> arriving, Map<String, Object> transaction) {
            String key = identity(transaction);
            Integer count = arriving.get(key);
            if (count == null) return false;
            if (count == 1) arriving.remove(key);
            else arriving.put(key, count - 1);
            return true;
        }

        /** What tells a transaction apart: its id, or for one without an id, all of it. */
        private static String identity(Map<String, Object> transaction) {
            Object id = transaction.get("id");
            return id != null ? (String) id : PyJson.dumps(transaction); // an id in a valid chain is a string
        }

        @SuppressWarnings("unchecked") // validChain checked that every block's transactions are JSON objects
        private static List<Map<String, Object>> transactions(Map<String, Object> block) {
            return (List<Map<String, Object>>) block.get("transactions");
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
                for (Map<String, Object> transaction : transactions(block)) {
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
     * the block before it in 'previous_hash', and a nonce that fits the nonce before it.
     */
    public static boolean validChain(List<Map<String, Object>> chain, int zeros) {
        return whyInvalid(chain, zeros) == null;
    }

    /**
     * Why a chain is not valid, or null when it is. A neighbour's chain is JSON that anyone could
     * have written, so the shape of each block is checked before the book's two checks: a missing
     * or odd field makes the chain invalid, with a reason, never an exception.
     */
    public static String whyInvalid(Object chain, int zeros) {
        if (!(chain instanceof List<?> blocks)) return "the chain is not a list";
        if (blocks.isEmpty()) return "the chain has no blocks";
        Map<String, Object> lastBlock = null;
        for (int i = 0; i < blocks.size(); i++) {
            long index = i + 1;
            String wrongShape = whyMisshapen(blocks.get(i), index);
            if (wrongShape != null) return "block " + index + ": " + wrongShape;
            @SuppressWarnings("unchecked") // whyMisshapen checked it is a JSON object
            Map<String, Object> block = (Map<String, Object>) blocks.get(i);
            // The book prints each pair of blocks; a long chain would flood the log, and our reason names the bad block.
            if (lastBlock != null) {
                // 1. Does the block name the hash of the block before it?
                if (!Blockchain.hash(lastBlock).equals(block.get("previous_hash"))) {
                    return "block " + index + ": previous_hash is not the hash of block " + (index - 1);
                }
                // 2. Does its nonce fit the nonce of the block before it?
                if (!Blockchain.validNonce((long) lastBlock.get("nonce"), (long) block.get("nonce"), zeros)) {
                    return "block " + index + ": nonce " + block.get("nonce") + " does not fit nonce "
                            + lastBlock.get("nonce") + " of block " + (index - 1);
                }
            }
            lastBlock = block;
        }
        return whyIdsClash(blocks);
    }
    // end::valid-chain[]

    // tag::held-once[]
    /**
     * An id, where a transaction has one, is 32 hex digits, and no two transactions of a chain
     * share one: a chain that held a payment twice would pay it twice. Null when the ids are fine.
     */
    private static String whyIdsClash(List<?> blocks) {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < blocks.size(); i++) {
            for (Object item : (List<?>) ((Map<?, ?>) blocks.get(i)).get("transactions")) {
                Map<?, ?> transaction = (Map<?, ?>) item; // whyMisshapen checked both casts
                if (!transaction.containsKey("id")) continue;
                Object id = transaction.get("id");
                if (!TransactionIds.wellFormed(id)) return "block " + (i + 1) + ": an 'id' is not " + TransactionIds.SHAPE;
                if (!seen.add(id)) return "block " + (i + 1) + ": id " + id + " is held twice";
            }
        }
        return null;
    }
    // end::held-once[]

    // tag::block-shape[]
    /** What is wrong with the shape of the block at this index, or null: the fields our node relies on. */
    private static String whyMisshapen(Object value, long index) {
        if (!(value instanceof Map<?, ?> block)) return "not a JSON object";
        if (!Long.valueOf(index).equals(block.get("index"))) return "'index' should be " + index;
        if (!(block.get("timestamp") instanceof Number time) || !Double.isFinite(time.doubleValue())) {
            return "'timestamp' is not a number";
        }
        if (!(block.get("transactions") instanceof List<?> transactions)) return "'transactions' is not a list";
        for (Object transaction : transactions) {
            if (!(transaction instanceof Map<?, ?>)) return "a transaction is not a JSON object";
        }
        if (!(block.get("nonce") instanceof Long)) return "'nonce' is not a whole number";
        if (!block.containsKey("previous_hash")) return "'previous_hash' is missing";
        return null;
    }
    // end::block-shape[]

    // tag::mine[]
    /**
     * {@code GET /mine}: finds the next nonce, pays the miner one coin (sender "0": new money) and
     * forges the block. The search runs without the blockchain's lock, so other villagers may send
     * transactions and read the chain meanwhile. Forging holds the lock, and first checks that the
     * last block is still the one the nonce was found for: if another request forged a block in the
     * meantime, our nonce proves nothing for the new last block, and we search again on top of it.
     * So two villagers mining at once never forge two blocks with the same index.
     */
    public static Map<String, Object> mine(Blockchain blockchain, String nodeId, World world) {
        Map<String, Object> block = null;
        while (block == null) {
            Map<String, Object> lastBlock = blockchain.lastBlock();
            long nonce = blockchain.findNonce((long) lastBlock.get("nonce"));
            synchronized (blockchain) {
                if (blockchain.lastBlock() == lastBlock) { // the very block we searched for is still last
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
     * "0" is the mint, the sender of mining rewards: a villager cannot pay in its name. The answer
     * gives the new transaction's id beside the book's message: the payer asks about it later.
     * Ids come from the world's supplier of node ids: uuid4 hex, fresh for each payment, so two
     * payments alike are still two payments.
     */
    public static Map<String, Object> newTransaction(Blockchain blockchain, Map<String, Object> values, World world) {
        String sender = JsonFields.text(values, "sender");
        if (sender.equals("0")) throw new WebApp.Rejected(400, "sender \"0\" stands for new coins, which only mining makes");
        String recipient = JsonFields.text(values, "recipient");
        Number amount = JsonFields.number(values, "amount");
        String id = world.nodeIds().get();
        long index = blockchain.newTransaction(id, sender, recipient, amount);
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
     * ({@code last_bk_t}, which B10 uses to break a tie between chains of the same length). All
     * three come from one copy of the chain, so they agree even while a block is being forged.
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
        List<String> addresses = new ArrayList<>();
        for (String node : JsonFields.texts(values, "nodes")) {
            try {
                addresses.add(NodeAddress.normalise(node));
            } catch (IllegalArgumentException e) {
                throw new WebApp.Rejected(400, e.getMessage() + "; no node was added");
            }
        }
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

    // tag::ask-for-chains[]
    /** A neighbour's answer to {@code GET /chain}: a valid chain, or the problem that made us skip it. */
    private record Answer(String node, List<Map<String, Object>> chain, String problem) {}

    /** What resolving decided: did we take another chain, our chain now, and each neighbour's outcome. */
    public record Resolution(boolean replaced, List<Map<String, Object>> chain, List<Map<String, Object>> neighbours) {}

    /**
     * Asks all neighbours at once for their chains, then reads each answer. Util's {@link HttpFetch}
     * waits at most {@code timeout} for all of them, and reads at most 32 MiB from each and 64 MiB
     * from all together.
     */
    private static List<Answer> askForChains(HttpClient client, List<String> nodes, Duration timeout, int zeros) {
        List<String> urls = nodes.stream().map(node -> node + "/chain").toList();
        List<HttpFetch.Answer> fetched = HttpFetch.getAll(client, urls, timeout, MAX_CHAIN_BYTES, MAX_CHAINS_BYTES);
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            answers.add(read(nodes.get(i), fetched.get(i), zeros));
        }
        return answers;
    }
    // end::ask-for-chains[]

    // tag::read-answer[]
    /** Reads an answer that arrived whole: JSON, an object with a valid 'chain'. */
    private static Answer read(String node, HttpFetch.Answer fetched, int zeros) {
        if (!fetched.ok()) return skipped(node, fetched.problem());
        Object answer;
        try {
            answer = PyJson.loads(fetched.text());
        } catch (IllegalArgumentException e) {
            return skipped(node, "the answer is not JSON: " + e.getMessage());
        }
        if (!(answer instanceof Map<?, ?> fields)) return skipped(node, "the answer is not a JSON object");
        if (!fields.containsKey("chain")) return skipped(node, "the answer has no 'chain'");
        String invalid = whyInvalid(fields.get("chain"), zeros);
        if (invalid != null) return skipped(node, "invalid chain: " + invalid);
        @SuppressWarnings("unchecked") // whyInvalid checked it is a list of JSON objects
        List<Map<String, Object>> chain = (List<Map<String, Object>>) fields.get("chain");
        return new Answer(node, chain, null);
    }

    private static Answer skipped(String node, String problem) {
        return new Answer(node, null, problem);
    }
    // end::read-answer[]

    // tag::consensus[]
    /**
     * {@code GET /nodes/resolve}: runs the consensus and answers the book's keys, "new_chain" when
     * ours was replaced and "chain" when it stands, plus "neighbours": what each neighbour's chain
     * was found to be, and why a skipped one was skipped.
     */
    public static Map<String, Object> consensus(Blockchain blockchain, HttpClient client, Duration timeout) {
        Resolution resolution = blockchain.resolveConflicts(client, timeout);
        Map<String, Object> response = new LinkedHashMap<>();
        if (resolution.replaced()) {
            response.put("message", "Our chain was replaced");
            response.put("new_chain", resolution.chain());
        } else {
            response.put("message", "Our chain is authoritative");
            response.put("chain", resolution.chain());
        }
        response.put("neighbours", resolution.neighbours());
        return response;
    }
    // end::consensus[]

    // tag::routes[]
    /**
     * The node's route table: each route hands the request to one of the methods above. The node
     * asks its neighbours with one HTTP client, waiting at most {@code timeout} for their chains.
     * {@code /transactions/:id} is a pattern: Spark hands the part after the slash to the route
     * as the parameter {@code :id}. WebApp tries literal paths first, so {@code /transactions/new}
     * is never taken for an id.
     */
    public static WebApp routes(WebApp app, Blockchain blockchain, String nodeId, World world, Duration timeout) {
        HttpClient client = HttpFetch.client(timeout);
        return app
                .get("/mine", request -> WebApp.Reply.json(200, mine(blockchain, nodeId, world)))
                .post("/transactions/new", request ->
                        WebApp.Reply.json(201, newTransaction(blockchain, WebApp.jsonObject(request), world)))
                .get("/chain", request -> WebApp.Reply.json(200, checkChain(blockchain)))
                .post("/nodes/register", request ->
                        WebApp.Reply.json(200, registerNodes(blockchain, WebApp.jsonObject(request))))
                .get("/nodes/resolve", request -> WebApp.Reply.json(200, consensus(blockchain, client, timeout)))
                .get("/transactions/:id", request ->
                        WebApp.Reply.json(200, transaction(blockchain, request.params(":id"))));
    }
    // end::routes[]

    // tag::start[]
    /** Builds this villager's blockchain, says what it holds, and starts serving it. */
    public static WebApp start(Options options, World world) {
        WebApp app = WebApp.fromOptions(options, world); // a --port that is no port stops us before we print
        int zeros = options.number("--zeros", 4, 1, 12);
        Duration timeout = Duration.ofSeconds(options.number("--timeout", 5, 1, 600));
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

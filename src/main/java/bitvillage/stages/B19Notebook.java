package bitvillage.stages;

import bitvillage.keys.KeysCommand;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.BlockTree;
import bitvillage.stages.taught.ChainRules;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.FeeRate;
import bitvillage.stages.taught.FeeRate.Pending;
import bitvillage.stages.taught.Gossip;
import bitvillage.stages.taught.Lineage;
import bitvillage.stages.taught.Mempool;
import bitvillage.stages.taught.NoNotebook;
import bitvillage.stages.taught.Notebook;
import bitvillage.stages.taught.NotebookReplay;
import bitvillage.stages.taught.Reorganisation;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.stages.taught.PaymentAnswers;
import bitvillage.stages.taught.PaymentAnswers.Whereabouts;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.client.NeighbourCalls;
import bitvillage.util.client.NeighbourChains;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.EvictedPayments;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.guard.Outcomes;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.guard.Transactions;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.python.PyJson;
import bitvillage.util.web.AtMostAtOnce;
import bitvillage.util.web.ChainAnswerCache;
import bitvillage.util.web.LinkDelay;
import bitvillage.util.web.WebApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Stage B19 (the book's 補充學習 B-1): a villager's notebook. With {@code --data DIR} every block B18's villager
 * accepts (side branches too) and every payment is a line of its {@link Notebook}, forced to disk before a route
 * serves it, before it is announced, before the 2xx; so are its neighbours. Started on a notebook, it judges every
 * block again ({@link NotebookReplay}) and calls on its neighbours; one that lost it joins with {@code --join}.
 */
public final class B19Notebook {
    private B19Notebook() {}

    private static final Options.Option ZEROS = Options.Option.number("--zeros", "N",
            "leading zeros a block's hash needs; every node of a village needs the same", 4, 1, 12);
    private static final Options.Option TIMEOUT = Options.Option.number("--timeout", "N",
            "seconds to wait for the neighbours' chains", 5, 1, 600);
    private static final Options.Option BLOCK_BYTES = Options.Option.number("--block-bytes", "N",
            "bytes of payments a block may hold, the reward not counted; every node of a village needs the same", 10_000, 1_000, 1_000_000);
    private static final Options.Option MEMPOOL_BYTES = Options.Option.number("--mempool-bytes", "N",
            "bytes of payments the mempool may hold, at least twice --block-bytes", 100_000, 2_000, 100_000_000);
    private static final Options.Option MATURITY = Options.Option.number("--maturity", "N",
            "blocks on a reward before it may be spent (Bitcoin: 100); every node of a village needs the same", 3, 1, 1000);
    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT, ZEROS, TIMEOUT, BLOCK_BYTES, MEMPOOL_BYTES,
            KeysCommand.REWARD_ADDRESS, KeysCommand.REWARD_SEED, MATURITY, Options.Option.text("--join", "URL",
                    "a villager to join: it and some of its neighbours become ours, and we theirs", null),
            WebApp.ADVERTISE, Options.Option.number("--max-neighbours", "N", "how many --join makes our neighbours at most", 8, 1, 100),
            LinkDelay.OPTION,
            Options.Option.text("--data", "DIR", "this villager's notebook: what it accepts outlives it; without, it forgets all", null));

    // tag::genesis[]
    /** B13's genesis block opens the village (the book's B-1-0): 1000 coins each to the keys of the seeds 小美 and 大華, which are public. */
    public static Map<String, Object> genesis() {
        Map<String, Object> block = BlockProof.genesis();
        block.put("transactions", List.of(CoinTransaction.withId(CoinTransaction.genesis())));
        return block;
    }
    // end::genesis[]

    /** The most neighbours a node keeps. */
    public static final int MAX_NEIGHBOURS = 100;

    // tag::blockchain[]
    /**
     * This node's blockchain: its chain, its pending payments and its neighbours, shared by every
     * request. Spark answers each request on a thread of its own, so every method that touches them
     * is synchronized, and a reader gets a copy that later requests cannot change under it.
     */
    public static final class Blockchain implements Gossip.Village {
        private final List<Map<String, Object>> chain = new ArrayList<>();
        private final Set<String> nodes = new LinkedHashSet<>(); // our neighbours, no duplicates
        private final DoubleSupplier clock;
        private final int zeros; // the difficulty: how many leading zeros a block's hash needs
        private final int blockBytes; // the most bytes of payments one block holds
        private final Object mining = new Object(); // held by the one /mine that runs
        private final Mempool mempool; // not yet in a block: the miner's order, to a limit of bytes
        private final Collection<Map<String, Object>> currentTransactions; // its payments
        private UnspentCoins coins; // the coins our chain leaves unspent, and who spent the others
        private final int maturity; // blocks on a reward before a block may spend it
        private final EvictedPayments conflicted; // what lost its coins to the chain's transaction, whose id is the "why"
        private final VerifiedSignatures verified = new VerifiedSignatures(100_000); // a full pool's and many blocks' worth
        private final BlockTree tree = new BlockTree(genesis(), Gossip.MAX_ORPHANS); // every valid block seen; our chain is its best branch
        private final Gossip gossip; // what we announce, fetch and pass on
        private Notebook notebook = new NoNotebook(); // ours once restored: nothing is noted again while the notes are read

        public Blockchain(DoubleSupplier clock, int zeros, int blockBytes, long mempoolBytes, int maturity, Supplier<String> self, Duration timeout) {
            this.clock = clock;
            this.zeros = zeros;
            this.blockBytes = blockBytes;
            this.maturity = maturity;
            // A transaction's parents are the transactions whose coins it spends, if pending; its fee is in − out, coins pending too.
            this.mempool = new Mempool(blockBytes, mempoolBytes, new Lineage(transaction -> CoinTransaction.inputs(transaction).stream()
                    .map(input -> (String) input.get("txid")).toList()), transaction -> poolView().fee(transaction));
            this.currentTransactions = FeeRate.transactionsOf(mempool);
            this.conflicted = new EvictedPayments(10 * mempoolBytes);
            chain.add(genesis()); // the village's, with its first coins
            coins = UnspentCoins.of(chain);
            gossip = new Gossip(self, this, timeout, blockBytes + 64 * 1024); // a block: its payments, the reward and the JSON around them
        }

        /** Why this node refuses a neighbour's chain (see {@link UnspentCoins#whyInvalid}), or null; also one from the future. */
        private String whyRefused(List<Map<String, Object>> chain) {
            return ChainRules.whyAheadOr(chain, clock.getAsDouble(), () -> UnspentCoins.whyInvalid(chain, genesis(), zeros, blockBytes, maturity, verified));
        }
        // end::blockchain[]

        // tag::noted[]
        /** Why a branch is refused, or null: larger than a neighbour reads, or invalid. */
        private String whyNotTaken(List<Map<String, Object>> branch) {
            return ServedChain.whyTooLarge(branch) != null ? ServedChain.whyTooLarge(branch) : whyRefused(branch);
        }

        /** As {@link #whyNotTaken}; a branch taken has its newest block noted, on disk before the tree holds it. */
        private String noted(List<Map<String, Object>> branch) {
            String why = whyNotTaken(branch);
            if (why == null) notebook.append("block", branch.get(branch.size() - 1));
            return why;
        }

        /**
         * Starts on the notes of {@code --data} ({@link NotebookReplay}): each block, all judged valid again, joins the tree, our chain
         * is its branch with the most work, each payment still valid on it is pending again, one whose coin a block spent conflicted
         * again. Only then is the notebook ours to write in: nothing read is noted twice. Says what it held.
         */
        public synchronized String restore(Notebook notes, String data) {
            NotebookReplay.Restored restored = NotebookReplay.replay(notes.readAll(), genesis(), this::whyNotTaken, data);
            restored.blocks().forEach(block -> tree.addValid(List.of(block))); // in the order noted: a tie goes to the first, as before
            replaceChain(tree.bestChain());
            long pending = 0;
            for (Map<String, Object> posted : restored.unconfirmed(chain)) {
                Map<String, Object> payment = CoinTransaction.withId(posted);
                String lostTo = coins.spenderOf(payment); // the transaction of our chain that spent its coin, or null
                if (receiveTransaction(posted)) pending++; // else known, or conflicted as before the crash: never a 404
                else if (lostTo != null && find(identity(payment)) == null) conflicted.add(identity(payment), payment, FeeRate.bytes(payment), lostTo);
            }
            notebook = notes;
            return "Notebook " + NotebookReplay.file(data) + ": " + restored.blocks().size() + " blocks, each judged valid again;"
                    + " our chain has " + chain.size() + " blocks, and " + pending + " payments are pending again";
        }
        // end::noted[]

        // tag::receive-block[]
        /**
         * A neighbour's block, judged with its branch by every rule of B17 ({@link BlockTree#offer}). When the best
         * tip moves, we adopt its branch as B17 adopts a neighbour's chain: what our blocks held comes back, or is conflicted.
         */
        @Override
        public synchronized BlockTree.Outcome receiveBlock(Map<String, Object> block) {
            BlockTree.Outcome outcome = tree.offer(block, this::noted);
            if (!tree.bestHash().equals(BlockProof.hash(lastBlock()))) replaceChain(tree.bestChain());
            return outcome;
        }

        /** A block on any branch we hold, or null. */
        @Override
        public synchronized Map<String, Object> block(String hash) {
            return tree.block(hash);
        }

        /** A neighbour's payment, taken as one posted here is; true when queued, news to pass on. */
        @Override
        public boolean receiveTransaction(Map<String, Object> values) {
            try {
                return B19Notebook.newTransaction(this, values).status() == 201;
            } catch (WebApp.Rejected refused) { // a double spend, or invalid on our chain: not news
                return false;
            }
        }

        @Override
        public boolean hasTransaction(String id) {
            return find(id) != null;
        }

        @Override
        public void resolveWith(String neighbour, Duration timeout) {
            resolveConflicts(timeout, new Outcomes(List.of(neighbour)));
        }
        // end::receive-block[]

        // tag::new-block[]
        /**
         * The next block as it will be mined, linked to the last block: the miner's reward first,
         * then the payments.
         * The reward is 1 new coin plus their fees; the payments, those {@link FeeRate#chooseBlock} takes.
         * Its contents are fixed from now on, because the proof will cover them: a payment that
         * arrives during the search waits for a block after. Its time is the later of our clock and
         * the last block's, so a block never goes back in time, however the miners' clocks disagree.
         */
        public synchronized Map<String, Object> nextBlock(String miner) {
            List<Pending> chosen = mempool.seal(); // FeeRate.chooseBlock's, each payment after its parent
            long fees = 0;
            for (Pending payment : chosen) fees += payment.fee(); // in − out of each: far below a long's limit
            long index = (long) chain.size() + 1;
            List<Map<String, Object>> transactions = new ArrayList<>();
            transactions.add(CoinTransaction.withId(CoinTransaction.reward(miner, 1 + fees, index))); // its height is the index: an id of its own
            for (Pending payment : chosen) transactions.add(payment.transaction());
            Map<String, Object> last = lastBlock();
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", index);
            block.put("timestamp", Math.max(clock.getAsDouble(), ((Number) last.get("timestamp")).doubleValue()));
            block.put("transactions", transactions);
            block.put("nonce", 0L); // the search counts it up
            block.put("previous_hash", BlockProof.hash(last));
            return block;
        }

        /**
         * Adds a mined block, if it still follows our last block (a resolve may have replaced the
         * chain during the search), and takes its transactions off the pending list. True if added.
         */
        public synchronized boolean addBlock(Map<String, Object> block) {
            mempool.unseal();
            if (!BlockProof.hash(lastBlock()).equals(block.get("previous_hash"))) return false;
            notebook.append("block", block); // on disk before a route serves it; a note not written is a 500, and no block
            chain.add(block);
            tree.offer(block, ours -> null); // ours, and it follows our tip: the tree's best now
            Set<Object> held = new HashSet<>();
            for (Map<String, Object> transaction : ChainShape.transactions(block)) {
                held.add(transaction.get("id"));
                coins.apply(transaction, (long) block.get("index"));
            }
            currentTransactions.removeIf(transaction -> held.contains(transaction.get("id")));
            return true;
        }
        // end::new-block[]

        // tag::new-transaction[]
        /** What became of a payment sent: queued now, or already here under its id; the message says where. */
        public record Admission(boolean queued, String message) {}

        /**
         * Takes a payment into the mempool, where it waits in the miner's order until a block has
         * room for it: which block that is depends on the fees of the payments still to come.
         * A full mempool evicts cheaper payments for it, or refuses it ({@link Mempool#admit}). A known
         * id is not queued again: the same payment, a retry, hears where it is; a new one spends only coins it may ({@link UnspentCoins#whyNot}).
         */
        public synchronized Admission newTransaction(Map<String, Object> transaction) {
            String id = (String) transaction.get("id");
            Whereabouts known = find(id);
            UnspentCoins pool = poolView();
            String whyNot = pool.whyNot(transaction, chain.size() + 1L, maturity, verified); // a retry's coins: spent, by itself
            if (known == null || known.evicted() || known.conflictedBy() != null || whyNot != null && !whyNot.contains(UnspentCoins.ALREADY_SPENT)) {
                requireUnspent(transaction, whyNot, pool); // an evicted or conflicted payment may come back, if valid now
                mempool.admit(transaction);
                try {
                    notebook.append("payment", transaction); // on disk before its 201; under our lock, so no one sees it pending before
                } catch (RuntimeException notWritten) { // not acknowledged, so not kept: a 500
                    mempool.removeIf(pending -> pending.id().equals(id));
                    throw notWritten;
                }
                conflicted.forget(id);
                return new Admission(true, "Transaction will be added to Block " + find(id).projected());
            }
            return new Admission(false, known.pending() ? "Transaction is already pending, for Block " + known.projected()
                    : "Transaction is already in Block " + known.block());
        }

        /** A new payment spends only coins it may ({@link UnspentCoins#whyNot}): one spent already is a double spend. And it fits a block. */
        private void requireUnspent(Map<String, Object> payment, String whyNot, UnspentCoins pool) {
            if (whyNot != null && whyNot.contains(UnspentCoins.ALREADY_SPENT)) { // the first seen keeps the coin
                throw new WebApp.Rejected(409, whyNot + ": a second is a double spend; nothing was queued", Map.of("spent_by", pool.spenderOf(payment)));
            }
            if (whyNot != null) throw new WebApp.Rejected(400, whyNot + "; nothing was queued");
            if (FeeRate.bytes(payment) > blockBytes) throw new WebApp.Rejected(400, "it takes more bytes than a block holds; nothing was queued");
        }

        /** The coins as the pool leaves them: our chain's, after every pending transaction, each after its parents (they came first). */
        private UnspentCoins poolView() {
            UnspentCoins pool = coins.copy();
            mempool.stream().sorted(BY_ARRIVAL).forEach(pending -> pool.apply(pending.transaction(), chain.size() + 1L));
            return pool;
        }

        private static final Comparator<Pending> BY_ARRIVAL = Comparator.comparingLong(Pending::arrival);

        /** An address's coins: on our chain (spendable unless spent by a pending transaction, or a reward not yet mature), then pending. */
        public synchronized List<Map<String, Object>> coins(String address) {
            return coins.described(address, poolView(), chain.size() + 1L, maturity);
        }

        /** What an address owns on our chain, after the pending transactions, and what it may spend in the next block. */
        public synchronized Map<String, Object> balance(String address) {
            long spendable = coins(address).stream().filter(coin -> (boolean) coin.get("spendable")).mapToLong(coin -> (long) coin.get("amount")).sum();
            return Map.of("address", address, "confirmed", coins.balance(address), "pending", poolView().balance(address),
                    "spendable", spendable); // the answer sorts its keys
        }

        /** The mempool as it is now, in the miner's order: each payment with the block it is projected for. */
        public synchronized Map<Pending, Long> mempool() {
            return mempool.projection((long) lastBlock().get("index") + 1);
        }
        // end::new-transaction[]

        public synchronized Map<String, Object> lastBlock() {
            return chain.get(chain.size() - 1);
        }

        // tag::add-node[]
        /** Adds neighbours' addresses, saved with the others (once, however many) before they count; tells each our tip: it may have restarted. */
        public synchronized void addNodes(Collection<String> addresses) {
            if (!nodes.containsAll(addresses)) notebook.saveNeighbours(Stream.concat(nodes.stream(), addresses.stream()).distinct().toList());
            nodes.addAll(addresses);
            addresses.forEach(address -> gossip.greet(address, lastBlock()));
        }

        /** Forgets neighbours' addresses, saved first, once; one we do not know is ignored. */
        public synchronized void forgetNodes(Collection<String> addresses) {
            if (addresses.stream().anyMatch(nodes::contains)) notebook.saveNeighbours(nodes.stream().filter(node -> !addresses.contains(node)).toList());
            nodes.removeAll(addresses);
        }

        @Override
        public void addNode(String address) {
            addNodes(List.of(address));
        }

        @Override
        public void forgetNode(String address) {
            forgetNodes(List.of(address));
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

        @Override
        public synchronized List<String> nodes() {
            return List.copyOf(nodes);
        }
        // end::copies[]

        // tag::resolve-conflicts[]
        /**
         * The book's resolve_conflicts: true when a neighbour's valid chain beat ours and replaced it.
         * Util's {@link NeighbourChains} hands out each chain as it arrives, shaped as a node relies on
         * (or why it was skipped); we keep the valid ones. We ask without our lock, so villagers go on.
         */
        public boolean resolveConflicts(Duration timeout, Outcomes outcomes) {
            List<NeighbourChains.Offer> valid = new ArrayList<>();
            for (NeighbourChains.Offer offer : NeighbourChains.ask(outcomes.nodes(), timeout, Transactions.COINS)) {
                String problem = offer.chain() == null ? offer.problem() : whyRefused(offer.chain());
                if (problem != null) {
                    outcomes.skipped(offer.node(), problem);
                } else {
                    outcomes.offered(offer.node(), offer.chain().size());
                    valid.add(offer);
                }
            }
            return adoptBest(valid, outcomes);
        }
        // end::resolve-conflicts[]

        // tag::most-work[]
        /** Each valid chain joins our tree, by address (who answered first never counts); the tip with the most work is our chain. */
        private synchronized boolean adoptBest(List<NeighbourChains.Offer> offers, Outcomes outcomes) {
            int ourLength = chain.size();
            offers.sort(Comparator.comparing(NeighbourChains.Offer::node));
            offers.forEach(offer -> { // what the tree lacks is noted, on disk, before the tree holds it
                offer.chain().stream().filter(block -> !tree.has(BlockProof.hash(block))).forEach(block -> notebook.append("block", block));
                tree.addValid(offer.chain());
            });
            String best = tree.bestHash();
            String winner = best.equals(BlockProof.hash(lastBlock())) ? null : offers.stream() // the first whose tip it is
                    .filter(offer -> BlockProof.hash(offer.chain().get(offer.chain().size() - 1)).equals(best)).map(NeighbourChains.Offer::node)
                    .findFirst().orElse(null);
            if (winner != null) replaceChain(tree.bestChain());
            outcomes.decided(winner, ourLength, "no longer than ours (" + ourLength + " blocks): the chain we saw first stands");
            return winner != null;
        }
        // end::most-work[]

        // tag::replace-chain[]
        /**
         * Takes the new chain and loses no payment ({@link Reorganisation#givenBack}): each one in our blocks
         * or pending that the new chain does not hold comes back with its fee, and takes its place in the
         * miner's order again; one no longer valid on the new chain's coins is conflicted or evicted, with why.
         */
        private void replaceChain(List<Map<String, Object>> newChain) {
            List<Map<String, Object>> ours = new ArrayList<>(); // the payments in our blocks, then the pending ones
            for (Map<String, Object> block : chain) ours.addAll(ChainShape.transactions(block));
            mempool.stream().sorted(BY_ARRIVAL).forEach(pending -> ours.add(pending.transaction())); // each after its parents
            UnspentCoins newCoins = UnspentCoins.of(newChain);
            Reorganisation.GivenBack back = Reorganisation.givenBack(ours, newChain, newCoins, newChain.size() + 1L, maturity, verified);
            chain.clear();
            chain.addAll(newChain);
            coins = newCoins;
            back.held().forEach(conflicted::forget);
            back.conflictedBy().forEach((payment, winner) -> conflicted.add(identity(payment), payment, FeeRate.bytes(payment), winner));
            mempool.refill(back.valid(), back.held()); // they come back, the older first; if they overflow, the cheapest are evicted
            back.invalid().forEach(mempool::evictGivenBack); // after refill, which forgets what came back: each was answered 2xx once, never a 404
        }
        // end::replace-chain[]

        /** What tells a payment apart: its id, which every transaction of a valid chain has. */
        private static String identity(Map<String, Object> payment) {
            return (String) payment.get("id");
        }

        /** Where a transaction is ({@link PaymentAnswers#find}): in block K, which has N confirmations, or pending; under one lock. */
        public synchronized Whereabouts find(String id) {
            return PaymentAnswers.find(id, chain, mempool, conflicted);
        }
    }

    // tag::mine[]
    /**
     * {@code GET /mine}: seals the next block ({@link Blockchain#nextBlock}), searches its nonce,
     * and adds it. One /mine searches at a time, on a lock of its own; the search runs without the
     * blockchain's lock, so villagers may pay and read the chain meanwhile. If a resolve replaced
     * our chain during the search, the block no longer follows our last one, and we mine again.
     * Nor do we mine a block that would make our {@code /chain} more than a peer reads ({@link ServedChain}).
     */
    public static Map<String, Object> mine(Blockchain blockchain, String miner, World world) {
        Map<String, Object> block;
        synchronized (blockchain.mining) {
            do {
                Map<String, Object> sealed;
                synchronized (blockchain) { // the size is checked on the very payments the block seals
                    ServedChain.requireRoomToMine(blockchain.chain(), blockchain.currentTransactions(), miner);
                    sealed = blockchain.nextBlock(miner);
                }
                block = BlockMiner.findNonce(sealed, blockchain.zeros); // the plain loop's nonce, found faster
            } while (!blockchain.addBlock(block));
        }
        blockchain.gossip.announceBlock(block, null); // to every neighbour
        world.out().println("Nonce of the new block: " + block.get("nonce"));
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
     * {@code POST /transactions/new} with {@code {"inputs", "outputs"}} and nothing else. Its shape is checked first,
     * then the rest, signatures too, as they need the coins' owners ({@link Blockchain#newTransaction}):
     * a bad request leaves no trace. The answer gives its id, the hash of what was signed: a retry's too.
     * A coin spent already is a 409 naming its spender; a full pool says 503, and the fee to pay.
     */
    public static WebApp.Reply newTransaction(Blockchain blockchain, Map<String, Object> values) {
        String misshapen = CoinTransaction.whyMisshapen(values);
        if (misshapen == null) misshapen = Transactions.COINS.whyInvalid().apply(CoinTransaction.withId(values)); // one a neighbour reads in a block
        if (misshapen != null) throw new WebApp.Rejected(400, misshapen + "; nothing was queued");
        Map<String, Object> transaction = CoinTransaction.withId(values); // as a block holds it
        String id = (String) transaction.get("id");
        Map<String, Object> response = new LinkedHashMap<>();
        try {
            Blockchain.Admission admission = blockchain.newTransaction(transaction);
            response.put("message", admission.message());
            response.put("id", id);
            return WebApp.Reply.json(admission.queued() ? 201 : 200, response);
        } catch (Mempool.Full full) {
            response.put("error", full.getMessage() + (full.feeToPay(transaction) == null ? ", and no fee a node takes does" : "") + "; nothing was queued");
            response.put("fee_rate_to_beat", full.toBeat.feeRate());
            response.put("fee_to_pay", full.feeToPay(transaction));
            return WebApp.Reply.json(503, response);
        }
    }
    // end::new-transaction-route[]

    // tag::gossip-routes[]
    /** {@code POST /transactions/new} as B17's; a payment queued here is announced to every neighbour. */
    public static WebApp.Reply postTransaction(Blockchain blockchain, Map<String, Object> values) {
        WebApp.Reply reply = newTransaction(blockchain, values);
        if (reply.status() == 201) blockchain.gossip.announceTransaction(CoinTransaction.id(values), null);
        return reply;
    }

    /** {@code GET /blocks/<hash>}: a block we hold, on any branch: what a neighbour fetches once we announced it. */
    public static Map<String, Object> block(Blockchain blockchain, String hash) {
        Map<String, Object> block = SignedPayment.isId(hash) ? blockchain.block(hash) : null;
        if (block == null) throw new WebApp.Rejected(404, "no block " + hash + " here");
        return block;
    }
    // end::gossip-routes[]

    /** {@code GET /transactions/<id>}: where the transaction is ({@link Whereabouts#answer}); 404 for an id no one here holds, 400 for no id. */
    public static Map<String, Object> transaction(Blockchain blockchain, String id) {
        if (!SignedPayment.isId(id)) throw new WebApp.Rejected(400, "a transaction id is 64 lower-case hex digits: a SHA-256");
        Whereabouts whereabouts = blockchain.find(id);
        if (whereabouts == null) throw new WebApp.Rejected(404, "no transaction " + id + " in our chain or pending");
        return whereabouts.answer(id);
    }

    /** {@code GET /transactions/pending}: the mempool in the miner's order ({@link PaymentAnswers#pool}). */
    public static Map<String, Object> pending(Blockchain blockchain) {
        return PaymentAnswers.pool(blockchain.mempool(), blockchain.blockBytes, blockchain.mempool.limitBytes);
    }

    // tag::balance-route[]
    /** {@code GET /balance/<address>}: what the address's coins hold on our chain, after the pending transactions, and spendable now. */
    public static Map<String, Object> balance(Blockchain blockchain, String address) {
        if (!SignedPayment.isAddress(address)) throw new WebApp.Rejected(400, "an address is 64 lower-case hex digits (an x-only public key)");
        return blockchain.balance(address);
    }

    /** {@code GET /coins/<address>}: the address's coins, each with its confirmations and whether it may be spent now; and its balance on our chain. */
    public static Map<String, Object> coins(Blockchain blockchain, String address) {
        Map<String, Object> balance = balance(blockchain, address); // checks the address
        return Map.of("address", address, "balance", balance.get("confirmed"), "coins", blockchain.coins(address));
    }
    // end::balance-route[]

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
            blockchain.addNodes(addresses); // the list saved once, not once an address
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
        blockchain.forgetNodes(NodeAddress.all(values, "no node was forgotten")); // the list saved once
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
     * and {@code /transactions/pending} are never taken for an id.
     */
    public static WebApp routes(WebApp app, Blockchain blockchain, String miner, World world, Duration timeout) {
        AtMostAtOnce resolving = new AtMostAtOnce("a resolve", timeout.toSeconds()); // a second one is answered 429 at once
        // A search can take long, and each /mine waiting for the mining lock holds a server thread: a few may wait.
        AtMostAtOnce mining = new AtMostAtOnce("/mine", 8, 1);
        ChainAnswerCache chainAnswers = new ChainAnswerCache(); // written once per chain, not once per request
        return app
                .get("/mine", request -> mining.run(() -> WebApp.Reply.json(200, mine(blockchain, miner, world))))
                .post("/transactions/new", request -> postTransaction(blockchain, WebApp.jsonObject(request)))
                .get("/blocks/:hash", request -> WebApp.Reply.json(200, block(blockchain, request.params(":hash"))))
                .post("/gossip/block", request -> WebApp.Reply.json(202, blockchain.gossip.heard(WebApp.jsonObject(request), request.ip(), true)))
                .post("/gossip/transaction", request ->
                        WebApp.Reply.json(202, blockchain.gossip.heard(WebApp.jsonObject(request), request.ip(), false)))
                .get("/nodes", request -> WebApp.Reply.json(200, blockchain.gossip.describe()))
                .get("/balance/:address", request -> WebApp.Reply.json(200, balance(blockchain, request.params(":address"))))
                .get("/coins/:address", request -> WebApp.Reply.json(200, coins(blockchain, request.params(":address"))))
                .get("/chain", request -> chainAnswers.reply(request, blockchain.chain(), () -> checkChain(blockchain)))
                .post("/nodes/register", request ->
                        WebApp.Reply.json(200, registerNodes(blockchain, WebApp.jsonObject(request))))
                .post("/nodes/forget", request ->
                        WebApp.Reply.json(200, forgetNodes(blockchain, WebApp.jsonObject(request))))
                .get("/nodes/resolve", request -> resolving.run(() -> WebApp.Reply.json(200, consensus(blockchain, timeout))))
                .get("/transactions/pending", request -> WebApp.Reply.json(200, pending(blockchain)))
                .get("/transactions/:id", request ->
                        WebApp.Reply.json(200, transaction(blockchain, request.params(":id"))));
    }
    // end::routes[]

    // tag::start[]
    /** Opens the notebook {@code --data} names (none: a villager that forgets all, as B18's), and starts on it. */
    public static WebApp start(Options options, World world) {
        return start(options, world, Notebook.open(options.text("--data", null), world.out()::println));
    }

    /** Starts on this notebook, let go when the server stops or the start fails (a taken --port, a block no longer valid). */
    public static WebApp start(Options options, World world, Notebook notebook) {
        try {
            return serve(options, world, notebook);
        } catch (RuntimeException e) {
            notebook.close();
            throw e;
        }
    }

    /** Builds this villager's blockchain, says what it holds and where its rewards go, starts serving it, and joins a villager if told. */
    private static WebApp serve(Options options, World world, Notebook notebook) {
        WebApp app = WebApp.fromOptions(options, world).holding(notebook); // a bad --port stops us before we print
        int zeros = options.number(ZEROS);
        Duration timeout = Duration.ofSeconds(options.number(TIMEOUT));
        int blockBytes = options.number(BLOCK_BYTES);
        int mempoolBytes = options.number(MEMPOOL_BYTES.name(), 100_000, 2 * blockBytes, 100_000_000);
        String miner = KeysCommand.rewardAddress(options, world);
        String nodeId = world.nodeIds().get(); // this villager's name in the network
        String villager = NodeAddress.ofOption(options, "--join");
        AtomicReference<String> self = new AtomicReference<>(NodeAddress.ofOption(options, "--advertise")); // else known once we listen
        Blockchain blockchain = new Blockchain(world.clock(), zeros, blockBytes, mempoolBytes, options.number(MATURITY), self::get, timeout);
        String restored = blockchain.restore(notebook, options.text("--data", null));
        if (options.has("--data")) world.out().println(restored); // without, the notebook keeps nothing, and says nothing
        world.out().println("This node's id: " + nodeId);
        world.out().println("Mining rewards go to: " + miner);
        world.out().println("Pending transactions: " + PyJson.pretty(blockchain.currentTransactions()));
        world.out().println("Chain: " + PyJson.pretty(blockchain.chain()));
        world.out().println("Neighbours: " + PyJson.pretty(blockchain.nodes()));
        world.out().println("Index of the last block: " + blockchain.lastBlock().get("index"));
        routes(app, blockchain, miner, world, timeout).start();
        self.compareAndSet(null, NodeAddress.normalise(app.url()));
        notebook.neighbours().forEach(neighbour -> // each ours again, and we theirs: it greets us with its tip, which we fetch
                new NeighbourCalls(timeout).join(neighbour, self.get(), 1, blockchain::addNode).forEach(world.out()::println));
        if (villager != null) new NeighbourCalls(timeout).join(villager, self.get(), options.number("--max-neighbours", 8, 1, MAX_NEIGHBOURS),
                blockchain::addNode).forEach(world.out()::println);
        return app;
    }
    // end::start[]

    public static void main(String[] args) {
        WebApp app = start(Options.parse(args, OPTIONS), World.real());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close)); // Ctrl+C stops the server cleanly
    }
}

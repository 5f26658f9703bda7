package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.client.NeighbourChains;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.JsonFields;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.guard.Outcomes;
import bitvillage.util.guard.RecentlyEvicted;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.guard.TransactionIds;
import bitvillage.util.guard.Transactions;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.web.AtMostAtOnce;
import bitvillage.util.web.ChainAnswerCache;
import bitvillage.util.web.WebApp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * Stage B14 (the book's 補充學習 B, which has no code): fees and the miner's pool. B13's node, but a
 * payment may carry a fee for the miner; the pending payments are the mempool, which the miner reads
 * by fee rate (coins per byte), highest first; a block holds at most {@code --block-bytes} of
 * payments, and its reward is 1 plus their fees. The mempool itself holds at most
 * {@code --mempool-bytes}: when it is full, a better-paying payment evicts the cheapest. A payer may
 * name its payment's id, so that sending it again after a lost answer is safe. B13 refuses a reward
 * above 1, so B14 is a network of its own. The page runs the story:
 * {@code java -jar target/bitvillage.jar fees}.
 */
public final class B14Fees {
    private B14Fees() {}

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT,
            new Options.Option("--zeros", "N", "leading zeros a block's hash needs (default 4); every node of a village needs the same"),
            new Options.Option("--timeout", "N", "seconds to wait for the neighbours' chains (default 5)"),
            new Options.Option("--block-bytes", "N", "bytes of payments a block may hold, the reward not counted (default 1000); every node of a village needs the same"),
            new Options.Option("--mempool-bytes", "N", "bytes of payments the mempool may hold, at least twice --block-bytes (default 100000)"));

    /** The largest fee: with at most some 100,000 payments in a block, the sum of fees fits a long. */
    public static final long MAX_FEE = 1_000_000_000_000L;

    /** The most neighbours a node keeps. */
    public static final int MAX_NEIGHBOURS = 100;

    // tag::blockchain[]
    /**
     * The blockchain of B2, shared by every request. Spark answers each request on a thread of its
     * own, so every method that touches the lists is synchronized: one request at a time changes
     * them, and a reader gets a copy that later requests cannot change under it.
     */
    public static final class Blockchain {
        private final TreeSet<Pending> mempool = new TreeSet<>(MINERS_ORDER); // not yet in a block
        private final Map<String, Pending> pendingById = new HashMap<>();
        private long mempoolBytes; // the bytes of all the mempool's payments together
        private long arrivals; // counts payments in, so that equal fee rates go by arrival
        private final Set<String> sealedIds = new HashSet<>(); // the payments of the block being mined
        private final RecentlyEvicted evicted; // payments that lost their place, to say so when asked
        private final List<Map<String, Object>> chain = new ArrayList<>();
        private final Set<String> nodes = new LinkedHashSet<>(); // our neighbours, no duplicates
        private final DoubleSupplier clock;
        private final int zeros; // the difficulty: how many leading zeros a valid nonce's hash needs
        private final int blockBytes; // the most bytes of payments one block holds
        private final long mempoolLimit; // the most bytes of payments the mempool holds
        private final Object mining = new Object(); // held by the one /mine that runs
        private boolean sealed; // a block's contents are fixed and its nonce is being searched

        public Blockchain(DoubleSupplier clock, int zeros, int blockBytes, long mempoolLimit) {
            if (mempoolLimit < 2L * blockBytes) throw new IllegalArgumentException("the mempool must hold at least two blocks");
            this.clock = clock;
            this.zeros = zeros;
            this.blockBytes = blockBytes;
            this.mempoolLimit = mempoolLimit;
            this.evicted = new RecentlyEvicted(10 * mempoolLimit); // the last ten mempools' worth
            chain.add(genesis());
        }

        /**
         * The genesis block every B13 node starts from: the book's, with the time B-0.py printed. It
         * is fixed so that villagers share a history; a chain that starts elsewhere is another network.
         * Nobody mined it, so its nonce and previous hash are made up, as in the book.
         */
        public static Map<String, Object> genesis() {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", 1L);
            block.put("timestamp", 1546678801.6103268);
            block.put("transactions", new ArrayList<>());
            block.put("nonce", 100L);
            block.put("previous_hash", 1L);
            return block;
        }
        // end::blockchain[]

        // tag::new-block[]
        /**
         * The next block as it will be mined: the reward first, then the payments the miner
         * chooses from the mempool (see {@link #chooseBlock}), linked to the last block. The
         * reward is 1 new coin plus every fee the block's payments pay. Its contents are fixed
         * from now on, because the proof will cover them: a payment that arrives during the
         * search waits for a block after. Its time is the later of our clock and the last block's,
         * so a block never goes back in time, however the miners' clocks disagree.
         */
        public synchronized Map<String, Object> nextBlock(String rewardId, String miner) {
            List<Pending> chosen = chooseBlock(mempool, blockBytes);
            long fees = 0;
            for (Pending payment : chosen) fees += payment.fee(); // MAX_FEE keeps the sum in a long
            List<Map<String, Object>> transactions = new ArrayList<>();
            transactions.add(reward(rewardId, miner, 1 + fees));
            sealedIds.clear();
            for (Pending payment : chosen) {
                transactions.add(payment.transaction());
                sealedIds.add(payment.id());
            }
            Map<String, Object> last = lastBlock();
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", (long) chain.size() + 1);
            block.put("timestamp", Math.max(clock.getAsDouble(), ((Number) last.get("timestamp")).doubleValue()));
            block.put("transactions", transactions);
            block.put("nonce", 0L); // the search counts it up
            block.put("previous_hash", hash(last));
            sealed = true;
            return block;
        }

        /**
         * Adds a mined block, if it still follows our last block (a resolve may have replaced the
         * chain during the search), and takes its transactions off the pending list. True if added.
         */
        public synchronized boolean addBlock(Map<String, Object> block) {
            sealed = false;
            sealedIds.clear();
            if (!hash(lastBlock()).equals(block.get("previous_hash"))) return false;
            chain.add(block);
            for (Map<String, Object> transaction : ChainShape.transactions(block)) remove((String) transaction.get("id"));
            return true;
        }
        // end::new-block[]

        // tag::new-transaction[]
        /** Where a payment sent under an id now is: in the chain, in the mempool, or nowhere yet. */
        public record Admission(boolean queued, String message) {}

        /**
         * Takes a payment into the mempool and says which block it is projected for, unless its
         * id is known: the same payment sent again (a retry after a lost answer) is not queued
         * twice, the answer says where it already is; a different payment under a known id is a
         * 409. A full mempool makes room by evicting cheaper payments (see {@link #makeRoom}).
         */
        public synchronized Admission newTransaction(Map<String, Object> transaction) {
            String id = (String) transaction.get("id");
            Whereabouts known = find(id);
            if (known != null && known.evicted()) known = null; // an evicted payment may come back
            if (known != null) {
                if (!PyJson.dumps(known.transaction()).equals(PyJson.dumps(transaction))) {
                    throw new WebApp.Rejected(409, "id " + id + " belongs to another transaction; no payment was queued");
                }
                return new Admission(false, known.pending()
                        ? "Transaction is already pending, for Block " + known.projected()
                        : "Transaction is already in Block " + known.block());
            }
            Pending payment = new Pending(transaction, (long) transaction.get("fee"), bytes(transaction), arrivals++);
            makeRoom(payment);
            mempool.add(payment);
            pendingById.put(id, payment);
            mempoolBytes += payment.bytes();
            evicted.forget(id);
            return new Admission(true, "Transaction will be added to Block " + find(id).projected());
        }

        public static Map<String, Object> transaction(String id, String sender, String recipient, Object amount, long fee) {
            Map<String, Object> transaction = new LinkedHashMap<>();
            transaction.put("id", id);
            transaction.put("sender", sender);
            transaction.put("recipient", recipient);
            transaction.put("amount", amount);
            transaction.put("fee", fee);
            return transaction;
        }

        /** The mining reward: new coins from sender "0", with no fee of its own. */
        public static Map<String, Object> reward(String id, String miner, long amount) {
            Map<String, Object> reward = new LinkedHashMap<>();
            reward.put("id", id);
            reward.put("sender", "0");
            reward.put("recipient", miner);
            reward.put("amount", amount);
            return reward;
        }

        public synchronized Map<String, Object> lastBlock() {
            return chain.get(chain.size() - 1);
        }
        // end::new-transaction[]

        // tag::mempool[]
        /** A payment waiting in the mempool: its fee, its size, and when it arrived. */
        public record Pending(Map<String, Object> transaction, long fee, int bytes, long arrival) {
            public String id() {
                return (String) transaction.get("id");
            }

            /** Coins per byte, rounded for reading; the order below compares the exact fractions. */
            public double feeRate() {
                return Math.round(fee * 10_000.0 / bytes) / 10_000.0;
            }
        }

        /**
         * The miner's order: the highest fee rate first, fee / bytes, compared exactly as
         * fee × other's bytes against other's fee × bytes; equal rates by arrival, earlier first.
         */
        public static final Comparator<Pending> MINERS_ORDER = (one, other) -> {
            int byRate = Long.compare(other.fee() * one.bytes(), one.fee() * other.bytes());
            return byRate != 0 ? byRate : Long.compare(one.arrival(), other.arrival());
        };

        /** A transaction's size: the bytes of its JSON as the block's hash reads it. */
        public static int bytes(Map<String, Object> transaction) {
            return PyJson.dumps(transaction).getBytes(StandardCharsets.UTF_8).length;
        }

        /**
         * Fills one block: takes the payments in the miner's order while they fit, and when one no
         * longer fits, goes on looking for a smaller one that does. A block's space is the same
         * whatever pays for it, so what a miner earns per byte is the fee rate: one big payment
         * with the top fee can pay less than the small ones its bytes would hold.
         */
        public static List<Pending> chooseBlock(Iterable<Pending> minersOrder, int blockBytes) {
            List<Pending> chosen = new ArrayList<>();
            int room = blockBytes;
            int smallest = Integer.MAX_VALUE;
            for (Pending payment : minersOrder) smallest = Math.min(smallest, payment.bytes());
            for (Pending payment : minersOrder) {
                if (room < smallest) break; // nothing fits any more
                if (payment.bytes() <= room) {
                    chosen.add(payment);
                    room -= payment.bytes();
                }
            }
            return chosen;
        }

        /**
         * The projected blocks: each pending payment with the block it would go into, 1 for the
         * next, if no payment came and the miner filled block after block with {@link #chooseBlock}.
         * That is the same as going down the miner's order once and putting each payment into the
         * first block with room for it: a block's gaps are filled from later in the order, just as
         * chooseBlock fills them. While a block is being mined, its payments are block 1 and the
         * others wait for block 2 and after. Listed block by block, each in the miner's order.
         */
        public synchronized LinkedHashMap<Pending, Long> projection() {
            Map<Pending, Long> blockOf = placeInBlocks(null);
            List<Pending> order = new ArrayList<>(mempool);
            order.sort(Comparator.comparing(blockOf::get)); // stable: the miner's order within a block
            LinkedHashMap<Pending, Long> projected = new LinkedHashMap<>();
            for (Pending payment : order) projected.put(payment, blockOf.get(payment));
            return projected;
        }

        /** The projected block of one payment: the first fit stops once it is placed. */
        private long projectedBlock(Pending payment) {
            return placeInBlocks(payment).get(payment);
        }

        /** First fit down the miner's order, each payment into the first block with room; up to {@code last}, or all. */
        private Map<Pending, Long> placeInBlocks(Pending last) {
            int smallest = Integer.MAX_VALUE;
            for (Pending payment : mempool) smallest = Math.min(smallest, payment.bytes());
            Map<Pending, Long> blockOf = new IdentityHashMap<>();
            List<Integer> room = new ArrayList<>(); // what is left in each projected block
            int full = 0; // the blocks before this one have no room for any payment
            long first = sealed ? 2 : 1;
            for (Pending payment : mempool) {
                if (sealed && sealedIds.contains(payment.id())) {
                    blockOf.put(payment, 1L);
                } else {
                    int block = full;
                    while (block < room.size() && room.get(block) < payment.bytes()) block++;
                    if (block == room.size()) room.add(blockBytes); // none is larger than a block
                    room.set(block, room.get(block) - payment.bytes());
                    blockOf.put(payment, first + block);
                    while (full < room.size() && room.get(full) < smallest) full++;
                }
                if (payment == last) break;
            }
            return blockOf;
        }

        /** The mempool is full: this payment pays no more than the fee rate it would have to beat. */
        public static final class MempoolFull extends RuntimeException {
            private static final long serialVersionUID = 1L;
            private final transient Pending toBeat;

            MempoolFull(Pending toBeat) {
                super("the mempool is full; a payment must pay more than " + toBeat.feeRate() + " coins a byte to enter");
                this.toBeat = toBeat;
            }

            /** The rate to beat, as read. */
            public double feeRate() {
                return toBeat.feeRate();
            }

            /** The smallest whole fee that beats it for a payment of this size. */
            public long feeFor(int bytes) {
                return toBeat.fee() * bytes / toBeat.bytes() + 1;
            }
        }

        /**
         * Room for a payment in a full mempool, as Bitcoin Core makes it: the cheapest payments
         * go, lowest fee rate first, but only if every one of them pays a lower rate than the
         * newcomer; otherwise the newcomer is refused with the rate it must beat (Core's mempool
         * minimum fee). Payments of the block being mined stay: the block holds them already.
         */
        private void makeRoom(Pending payment) {
            long needed = mempoolBytes + payment.bytes() - mempoolLimit;
            if (needed <= 0) return;
            List<Pending> cheapest = new ArrayList<>();
            long freed = 0;
            for (Pending other : mempool.descendingSet()) { // lowest rate first
                if (freed >= needed) break;
                if (sealedIds.contains(other.id())) continue;
                cheapest.add(other);
                freed += other.bytes();
            }
            Pending toBeat = cheapest.get(cheapest.size() - 1); // there is room: the mempool holds two blocks
            if (MINERS_ORDER.compare(payment, toBeat) > 0) { // a lower rate, or an equal one, which arrived later
                throw new MempoolFull(toBeat);
            }
            for (Pending other : cheapest) {
                remove(other.id());
                evicted.add(other.id(), other.transaction(), other.bytes());
            }
        }

        /** Takes a payment out of the mempool, if it is there. */
        private void remove(String id) {
            Pending payment = pendingById.remove(id);
            if (payment == null) return;
            mempool.remove(payment);
            mempoolBytes -= payment.bytes();
        }
        // end::mempool[]

        // tag::hash[]
        /** The block's fingerprint: SHA-256 of the block as Python's json.dumps(block, sort_keys=True). */
        public static String hash(Map<String, Object> block) {
            return Sha256.hex(PyJson.dumps(block));
        }
        // end::hash[]

        // tag::find-nonce[]
        /**
         * Proof of work over the whole block: count the block's nonce up from 0 until the block's
         * own hash starts with enough zeros, and answer the block with that nonce.
         *
         * <p>Why the JSON is written once: each try hashes the whole block, transactions and all,
         * and writing a block of 100 transactions as JSON costs many times its hash. json.dumps with
         * sort_keys writes the keys as index, nonce, previous_hash, timestamp, transactions, so the
         * block's text is a prefix up to the nonce, the nonce's digits, and a suffix after them;
         * only the digits change from try to try. The bytes hashed are those of PyJson.dumps(block).
         */
        public static Map<String, Object> findNonce(Map<String, Object> block, int zeros) {
            Map<String, Object> rest = new LinkedHashMap<>(block);
            rest.remove("index");
            rest.remove("nonce");
            byte[] prefix = ("{\"index\": " + PyJson.dumps(block.get("index")) + ", \"nonce\": ")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] suffix = (", " + PyJson.dumps(rest).substring(1)).getBytes(StandardCharsets.UTF_8); // drops rest's '{'
            MessageDigest sha256 = Sha256.newDigest();
            for (long nonce = 0; ; nonce++) {
                sha256.update(prefix);
                sha256.update(Long.toString(nonce).getBytes(StandardCharsets.US_ASCII));
                sha256.update(suffix);
                if (startsWithZeros(sha256.digest(), zeros)) {
                    Map<String, Object> mined = new LinkedHashMap<>(block);
                    mined.put("nonce", nonce);
                    return mined;
                }
            }
        }
        // end::find-nonce[]

        // tag::valid-proof[]
        /** Does the block's own hash, hash(block), start with enough zeros? */
        public static boolean validProof(Map<String, Object> block, int zeros) {
            return hash(block).startsWith("0".repeat(zeros));
        }

        /** The same test on the 32 bytes of a digest: two hex digits a byte, the high one first. */
        static boolean startsWithZeros(byte[] digest, int zeros) {
            for (int i = 0; i < zeros / 2; i++) {
                if (digest[i] != 0) return false;
            }
            return zeros % 2 == 0 || (digest[zeros / 2] & 0xf0) == 0;
        }
        // end::valid-proof[]

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
        /** The payments waiting in the mempool, as they are now, in the miner's order. */
        public synchronized List<Map<String, Object>> currentTransactions() {
            return mempool.stream().map(Pending::transaction).toList();
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
                String problem = offer.chain() == null ? offer.problem() : whyInvalid(offer.chain(), zeros, blockBytes);
                if (problem != null) {
                    outcomes.skipped(offer.node(), problem);
                } else {
                    outcomes.offered(offer.node(), offer.chain().size());
                    if (best == null || BETTER_FIRST.compare(offer, best) < 0) best = offer;
                }
            }
            return adoptIfBetter(best, outcomes);
        }

        /** More blocks first (the most work, at one difficulty); then by address: who answered first never counts. */
        private static final Comparator<NeighbourChains.Offer> BETTER_FIRST =
                Comparator.comparingInt((NeighbourChains.Offer offer) -> offer.chain().size()).reversed()
                        .thenComparing(NeighbourChains.Offer::node);

        /**
         * The chain with the most work wins. Every block of a valid chain carries the same proof
         * (the difficulty's zeros), so the most work is the most blocks. A chain only as long as
         * ours never replaces it: we keep the one we saw first, as Bitcoin does. B10's tie-break,
         * the earlier last block, trusted the one field a miner writes as it likes; that is how
         * B12's forger won with a chain no longer than the honest one. We count the blocks
         * ourselves: a neighbour's 'length' is only what it claims.
         */
        private synchronized boolean adoptIfBetter(NeighbourChains.Offer best, Outcomes outcomes) {
            int maxLength = chain.size();
            boolean replaced = best != null && best.chain().size() > maxLength;
            if (replaced) replaceChain(best.chain());
            outcomes.decided(replaced ? best.node() : null, maxLength,
                    "no longer than ours (" + maxLength + " blocks): the chain we saw first stands");
            return replaced;
        }
        // end::resolve-conflicts[]

        // tag::replace-chain[]
        /**
         * Takes the new chain and loses no payment: each one in our blocks or pending that the new
         * chain does not hold waits for the next block, but for our rewards (sender "0"), whose blocks
         * are gone. A payment is known by its id: one whose id the new chain holds is held, whatever
         * the new chain says it pays. A payment comes back with its fee, and goes into the mempool by
         * the same rules as a new one: if the mempool overflows, the cheapest are evicted, and say so
         * when asked.
         */
        private void replaceChain(List<Map<String, Object>> newChain) {
            Map<String, Integer> arriving = new HashMap<>(); // the new chain's payments, by identity, counted
            for (Map<String, Object> block : newChain) {
                ChainShape.transactions(block).forEach(payment -> arriving.merge(identity(payment), 1, Integer::sum));
            }
            List<Map<String, Object>> ours = new ArrayList<>(); // the payments in our blocks, then the pending ones
            for (Map<String, Object> block : chain) ours.addAll(ChainShape.transactions(block));
            for (Pending payment : mempool) ours.add(payment.transaction());
            List<Map<String, Object>> stillPending = new ArrayList<>();
            for (Map<String, Object> payment : ours) { // count off those the new chain holds: below 0, no (more) such one
                if (!"0".equals(payment.get("sender")) && arriving.merge(identity(payment), -1, Integer::sum) < 0) {
                    stillPending.add(payment);
                }
            }
            chain.clear();
            chain.addAll(newChain);
            mempool.clear();
            pendingById.clear();
            mempoolBytes = 0;
            for (Map<String, Object> transaction : stillPending) { // the older first, as they arrived
                Pending payment = new Pending(transaction, (long) transaction.get("fee"), bytes(transaction), arrivals++);
                mempool.add(payment);
                pendingById.put(payment.id(), payment);
                mempoolBytes += payment.bytes();
            }
            while (mempoolBytes > mempoolLimit) {
                Pending cheapest = mempool.last();
                remove(cheapest.id());
                evicted.add(cheapest.id(), cheapest.transaction(), cheapest.bytes());
            }
        }

        /** What tells a payment apart: its id, which every transaction of a valid chain has. */
        private static String identity(Map<String, Object> payment) {
            return (String) payment.get("id");
        }
        // end::replace-chain[]

        // tag::find-transaction[]
        /**
         * Where a transaction is: in block K, which has N confirmations; pending, projected for
         * the block after next or another; or evicted from the mempool (no block, no projection).
         */
        public record Whereabouts(Map<String, Object> transaction, Long block, Long confirmations, Long projected) {
            public boolean pending() {
                return block == null && projected != null;
            }

            public boolean evicted() {
                return block == null && projected == null;
            }
        }

        /**
         * Looks for the transaction with this id in the chain, then in the mempool, then among the
         * evicted ones, all under one lock, so the answer describes one moment. Null when no one
         * here holds it or remembers it.
         */
        public synchronized Whereabouts find(String id) {
            for (Map<String, Object> block : chain) {
                for (Map<String, Object> transaction : ChainShape.transactions(block)) {
                    if (id.equals(transaction.get("id"))) {
                        long index = (long) block.get("index");
                        // block K counts, and so does every block after it: the book's "6" is K and five more
                        return new Whereabouts(transaction, index, chain.size() - index + 1, null);
                    }
                }
            }
            Pending payment = pendingById.get(id);
            if (payment != null) {
                long projected = projectedBlock(payment);
                return new Whereabouts(payment.transaction(), null, null, (long) lastBlock().get("index") + projected);
            }
            Map<String, Object> gone = evicted.get(id);
            return gone == null ? null : new Whereabouts(gone, null, null, null);
        }
        // end::find-transaction[]
    }

    // tag::valid-chain[]
    /**
     * A valid B14 chain: B13's genesis block, then blocks that each link to the hash of the block
     * before, carry a proof over themselves, and hold what a block may hold: at most
     * {@code blockBytes} of payments, each with its fee, and a reward of at most 1 plus their fees.
     * Util's {@link ChainShape} checked first that the fields it reads are there.
     */
    public static boolean validChain(List<Map<String, Object>> chain, int zeros, int blockBytes) {
        return whyInvalid(chain, zeros, blockBytes) == null;
    }

    /** Why the chain is not valid (which block, and what is wrong with it), or null. */
    public static String whyInvalid(List<Map<String, Object>> chain, int zeros, int blockBytes) {
        // 0. The same first block as every B13 node: a chain from elsewhere is another network.
        if (!PyJson.dumps(chain.get(0)).equals(PyJson.dumps(Blockchain.genesis()))) {
            return "invalid chain: block 1 is not the genesis block of B13 (index 1, timestamp 1546678801.6103268,"
                    + " no transactions, nonce 100, previous_hash 1)";
        }
        Map<String, Object> lastBlock = chain.get(0);
        for (int index = 2; index <= chain.size(); index++) {
            Map<String, Object> block = chain.get(index - 1);
            // 1. Does the block name the hash of the block before it?
            if (!Blockchain.hash(lastBlock).equals(block.get("previous_hash"))) {
                return "invalid chain: block " + index + ": previous_hash is not the hash of block " + (index - 1);
            }
            // 2. Does its own hash, which covers all it holds, start with the difficulty's zeros?
            if (!Blockchain.validProof(block, zeros)) {
                return "invalid chain: block " + index + ": its hash " + Blockchain.hash(block).substring(0, 12)
                        + "… does not start with " + zeros + " zeros";
            }
            // 3. Time never goes back: a miner writes the later of its clock and the last block's time.
            if (((Number) block.get("timestamp")).doubleValue() < ((Number) lastBlock.get("timestamp")).doubleValue()) {
                return "invalid chain: block " + index + ": its timestamp is earlier than block " + (index - 1) + "'s";
            }
            // 4. One reward, first, and no other new coins; every payment with its fee.
            String badCoins = whyRewardIsWrong(block);
            if (badCoins != null) return "invalid chain: block " + index + ": " + badCoins;
            // 5. No more payments than a block holds, and a reward of no more than 1 plus their fees.
            String badFees = whyFeesAreWrong(block, blockBytes);
            if (badFees != null) return "invalid chain: block " + index + ": " + badFees;
            lastBlock = block;
        }
        return whyIdsClash(chain);
    }

    /** Null when the block's first transaction, and only it, is a reward: from sender "0", a whole number. */
    private static String whyRewardIsWrong(Map<String, Object> block) {
        List<Map<String, Object>> transactions = ChainShape.transactions(block);
        if (transactions.isEmpty()) return "no mining reward";
        Map<String, Object> reward = transactions.get(0);
        if (!"0".equals(reward.get("sender"))) return "the first transaction is not the mining reward (sender \"0\")";
        if (!(reward.get("amount") instanceof Long coins) || coins < 0) return "the mining reward is not a whole number of coins";
        for (Map<String, Object> transaction : transactions.subList(1, transactions.size())) {
            if ("0".equals(transaction.get("sender"))) {
                return "a second transaction from sender \"0\": new coins come only as the one reward";
            }
        }
        return null;
    }

    /**
     * Null when every payment after the reward pays a whole fee from 0 to {@link #MAX_FEE}, they
     * hold at most {@code blockBytes} together, and the reward is at most 1 plus their fees. A
     * miner may take less, as in Bitcoin; more would be coins from nowhere.
     */
    private static String whyFeesAreWrong(Map<String, Object> block, int blockBytes) {
        List<Map<String, Object>> transactions = ChainShape.transactions(block);
        long fees = 0;
        long bytes = 0;
        for (Map<String, Object> payment : transactions.subList(1, transactions.size())) {
            if (!(payment.get("fee") instanceof Long fee) || fee < 0 || fee > MAX_FEE) {
                return "a payment has no 'fee' that is a whole number of coins from 0 to " + MAX_FEE;
            }
            fees += fee;
            bytes += Blockchain.bytes(payment);
        }
        if (bytes > blockBytes) return "its payments hold " + bytes + " bytes, more than a block's " + blockBytes;
        long reward = (long) transactions.get(0).get("amount"); // whyRewardIsWrong checked it is a whole number
        if (reward > 1 + fees) return "the mining reward is " + reward + " coins, more than 1 plus the fees (" + (1 + fees) + ")";
        return null;
    }
    // end::valid-chain[]

    // tag::held-once[]
    /**
     * Every transaction has an id, 32 hex digits, and no two transactions of a chain share one: a
     * chain that held a payment twice would pay it twice. Null when the ids are fine.
     */
    private static String whyIdsClash(List<Map<String, Object>> chain) {
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> block : chain) {
            for (Map<String, Object> transaction : ChainShape.transactions(block)) {
                Object id = transaction.get("id");
                if (id == null) return "invalid chain: block " + block.get("index") + ": a transaction has no 'id'";
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
     * {@code GET /mine}: seals the next block (the miner's reward first, sender "0": one new coin
     * and the block's fees; then the payments it chose), searches the nonce that gives the block its
     * proof, and adds it. One /mine searches at a time, on a lock of its own, so a block's
     * contents never race another miner's; the search runs without the blockchain's lock, so
     * villagers may send transactions and read the chain meanwhile. If a resolve replaced our
     * chain during the search, the block no longer follows our last one, and we mine again. Nor
     * do we mine a block that would make our {@code /chain} answer more than a peer reads
     * ({@link ServedChain}).
     */
    public static Map<String, Object> mine(Blockchain blockchain, String nodeId, World world) {
        String rewardId = world.nodeIds().get(); // the reward has an id too
        Map<String, Object> block;
        synchronized (blockchain.mining) {
            do {
                Map<String, Object> sealed;
                synchronized (blockchain) { // the size is checked on the very payments the block seals
                    ServedChain.requireRoomToMine(blockchain.chain(), blockchain.currentTransactions(), nodeId);
                    sealed = blockchain.nextBlock(rewardId, nodeId);
                }
                block = Blockchain.findNonce(sealed, blockchain.zeros);
            } while (!blockchain.addBlock(block));
        }
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
     * {@code POST /transactions/new} with {@code {"sender": ..., "recipient": ..., "amount": ...}}
     * and, if the payer likes, {@code "fee"} (whole coins for the miner, 0 when left out) and
     * {@code "id"} (32 hex digits of its own choosing, so that a retry is safe): every field is
     * checked before anything is queued, so a bad request leaves no trace. Sender "0" is the mint,
     * the sender of mining rewards: a villager cannot pay in its name. Util's {@link Transactions}
     * keeps each payment to a size every peer can hold. 201 with the id when the payment was
     * queued; 200 when its id was already here, with the same payment; 409 when the id belongs to
     * another; 503, with the fee to beat, when the mempool is full of better payers. Without an id
     * of the payer's, the world's supplier of node ids gives a fresh one.
     */
    public static WebApp.Reply newTransaction(Blockchain blockchain, Map<String, Object> values, World world) {
        String sender = JsonFields.text(values, "sender");
        if (sender.equals("0")) throw new WebApp.Rejected(400, "sender \"0\" stands for new coins, which only mining makes");
        String recipient = JsonFields.text(values, "recipient");
        Number amount = JsonFields.number(values, "amount");
        long fee = fee(values);
        String id = values.containsKey("id") ? payersId(values.get("id")) : world.nodeIds().get();
        Map<String, Object> transaction = Blockchain.transaction(id, sender, recipient, amount, fee);
        Transactions.requireValid(transaction); // the id and the fee count in its size
        int bytes = Blockchain.bytes(transaction);
        if (bytes > blockchain.blockBytes) {
            throw new WebApp.Rejected(400, "the payment is " + bytes + " bytes, more than a block holds ("
                    + blockchain.blockBytes + "); nothing was queued");
        }
        Map<String, Object> response = new LinkedHashMap<>();
        try {
            Blockchain.Admission admission = blockchain.newTransaction(transaction);
            response.put("message", admission.message());
            response.put("id", id);
            return WebApp.Reply.json(admission.queued() ? 201 : 200, response);
        } catch (Blockchain.MempoolFull full) {
            response.put("error", full.getMessage() + "; nothing was queued");
            response.put("fee_rate_to_beat", full.feeRate());
            response.put("fee_to_pay", feeThatBeats(full, transaction));
            return WebApp.Reply.json(503, response);
        }
    }

    /** The optional fee: a whole number of coins, 0 when left out. Whole numbers keep every node's sums exact. */
    static long fee(Map<String, Object> values) {
        if (!values.containsKey("fee")) return 0;
        if (!(values.get("fee") instanceof Long fee) || fee < 0 || fee > MAX_FEE) {
            throw new WebApp.Rejected(400, "'fee' must be a whole number of coins from 0 to " + MAX_FEE
                    + " (no fractions: fees must add up exactly on every node)");
        }
        return fee;
    }

    /** The payer's own id, if it gave one: 32 lowercase hex digits, like the ids we make. */
    static String payersId(Object id) {
        if (!TransactionIds.wellFormed(id)) throw new WebApp.Rejected(400, "'id' must be " + TransactionIds.SHAPE);
        return (String) id;
    }

    /** The smallest whole fee that beats the rate for this payment, whose size grows with the fee's digits. */
    static long feeThatBeats(Blockchain.MempoolFull full, Map<String, Object> transaction) {
        Map<String, Object> withFee = new LinkedHashMap<>(transaction);
        long fee = (long) transaction.get("fee");
        for (int digitsGrown = 0; digitsGrown < 20; digitsGrown++) {
            long enough = full.feeFor(Blockchain.bytes(withFee));
            if (enough == fee) break;
            fee = enough;
            withFee.put("fee", fee);
        }
        return fee;
    }
    // end::new-transaction-route[]

    // tag::transaction-route[]
    /**
     * {@code GET /transactions/<id>}: where the transaction is and what it says. Confirmed: the
     * block it is in, and its confirmations, that block and every block after it. Pending: not
     * in a block yet, and the block it is projected for. Evicted: the mempool was full and it
     * paid too little a byte; the payer may send it again, with a higher fee. An id no one here
     * holds is a 404, one that is no id at all a 400.
     */
    public static Map<String, Object> transaction(Blockchain blockchain, String id) {
        if (!TransactionIds.wellFormed(id)) throw new WebApp.Rejected(400, "a transaction id is " + TransactionIds.SHAPE);
        Blockchain.Whereabouts whereabouts = blockchain.find(id);
        if (whereabouts == null) throw new WebApp.Rejected(404, "no transaction " + id + " in our chain or pending");
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", id);
        response.put("status", whereabouts.pending() ? "pending" : whereabouts.evicted() ? "evicted" : "confirmed");
        if (whereabouts.pending()) response.put("projected_block", whereabouts.projected());
        if (whereabouts.block() != null) {
            response.put("block", whereabouts.block());
            response.put("confirmations", whereabouts.confirmations());
        }
        response.put("transaction", whereabouts.transaction());
        return response;
    }
    // end::transaction-route[]

    // tag::pending-route[]
    /**
     * {@code GET /transactions/pending}: the mempool in the miner's order, each payment with its
     * fee, its bytes, its fee rate, and the block it is projected for (1 the next): what a block
     * explorer draws as the blocks to come.
     */
    public static Map<String, Object> pending(Blockchain blockchain) {
        List<Map<String, Object>> pending = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<Blockchain.Pending, Long> projected : blockchain.projection().entrySet()) {
            Blockchain.Pending payment = projected.getKey();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", payment.id());
            entry.put("fee", payment.fee());
            entry.put("bytes", (long) payment.bytes());
            entry.put("fee_rate", payment.feeRate());
            entry.put("projected", projected.getValue());
            pending.add(entry);
            bytes += payment.bytes();
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("pending", pending);
        response.put("bytes", bytes);
        response.put("mempool_bytes", blockchain.mempoolLimit);
        response.put("block_bytes", (long) blockchain.blockBytes);
        return response;
    }
    // end::pending-route[]

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
     * and {@code /transactions/pending} are never taken for an id.
     */
    public static WebApp routes(WebApp app, Blockchain blockchain, String nodeId, World world, Duration timeout) {
        AtMostAtOnce resolving = new AtMostAtOnce("a resolve", timeout.toSeconds()); // a second one is answered 429 at once
        // A search can take long, and each /mine waiting for the mining lock holds a server thread: a few may wait.
        AtMostAtOnce mining = new AtMostAtOnce("/mine", 8, 1);
        ChainAnswerCache chainAnswers = new ChainAnswerCache(); // written once per chain, not once per request
        return app
                .get("/mine", request -> mining.run(() -> WebApp.Reply.json(200, mine(blockchain, nodeId, world))))
                .post("/transactions/new", request -> newTransaction(blockchain, WebApp.jsonObject(request), world))
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
    /** Builds this villager's blockchain, says what it holds, and starts serving it. */
    public static WebApp start(Options options, World world) {
        WebApp app = WebApp.fromOptions(options, world); // a bad --port stops us before we print
        int zeros = options.number("--zeros", 4, 1, 12);
        Duration timeout = Duration.ofSeconds(options.number("--timeout", 5, 1, 600));
        int blockBytes = options.number("--block-bytes", 1_000, 200, 1_000_000);
        int mempoolBytes = options.number("--mempool-bytes", 100_000, 2 * blockBytes, 100_000_000);
        String nodeId = world.nodeIds().get(); // this villager's name in the network
        Blockchain blockchain = new Blockchain(world.clock(), zeros, blockBytes, mempoolBytes);
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

package bitvillage.stages.taught;

import bitvillage.util.client.NeighbourCalls;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.JsonFields;
import bitvillage.util.guard.NeighbourScores;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.guard.Transactions;
import bitvillage.util.web.WebApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * B18's gossip: announce, fetch, pass on once. A villager that accepts a block or a payment announces
 * it, a short message, to each neighbour but the one it came from; a neighbour that lacks it fetches
 * it from the announcer, and only from the announcer, judges it, and announces it on. What it has
 * handled it remembers ({@link #seen}), so it announces each item once. The work runs on a few
 * threads with a bounded queue: a flood of announcements fills the queue, never the memory, and the
 * rest are refused (503). Who misbehaves is scored by {@link NeighbourScores}.
 */
public final class Gossip {
    /** What the stage does with what gossip brings. */
    public interface Village {
        List<String> nodes();

        void addNode(String neighbour);

        /** A block we hold, on any branch, or null. */
        Map<String, Object> block(String hash);

        BlockTree.Outcome receiveBlock(Map<String, Object> block);

        boolean hasTransaction(String id);

        /** True when the payment, as a payer posts it (no id), was queued here: it is news to pass on. */
        boolean receiveTransaction(Map<String, Object> transaction);

        /** B10's resolve, against this neighbour alone: when its branch is too far back to walk. */
        void resolveWith(String neighbour, Duration timeout);

        void forgetNode(String neighbour);
    }

    /** How many parents we fetch one by one, walking back from an announced block, before asking for the whole chain. */
    public static final int MAX_WALK_BACK = 16;
    /** The most blocks without a known parent a villager keeps, while it fetches their parents. */
    public static final int MAX_ORPHANS = 2 * MAX_WALK_BACK;
    private static final int THREADS = 2;
    private static final int QUEUE = 1_000;
    private static final int MAX_SEEN = 100_000;

    private final Supplier<String> self; // our own address, the "from" of our announcements, known once we listen
    private final Village village;
    private final NeighbourScores scores = new NeighbourScores();
    private final NeighbourCalls calls;
    private final int maxBlockBytes;
    private final ThreadPoolExecutor work = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
        Thread thread = new Thread(runnable, "gossip");
        thread.setDaemon(true); // a villager that stops leaves no gossip behind
        return thread;
    });
    private final Set<String> seen = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_SEEN;
        }
    }));
    private final Map<String, AtomicLong> counted = new ConcurrentHashMap<>(); // "neighbour counter" -> how many
    private final AtomicInteger inFlight = new AtomicInteger(); // work queued or running: 0 when gossip has settled here

    private final Duration timeout;

    public Gossip(Supplier<String> self, Village village, Duration timeout, int maxBlockBytes) {
        this.self = self;
        this.timeout = timeout;
        this.village = village;
        this.calls = new NeighbourCalls(timeout);
        this.maxBlockBytes = maxBlockBytes;
        work.allowCoreThreadTimeOut(true);
    }

    // tag::announce[]
    /** Announces a block we accepted, {"from", "hash", "height"}, to each neighbour but the one it came from. */
    public void announceBlock(Map<String, Object> block, String cameFrom) {
        String hash = BlockProof.hash(block);
        seen.add("block " + hash);
        announce("/gossip/block", Map.of("from", self.get(), "hash", hash, "height", block.get("index")), cameFrom, "blocks_announced");
    }

    /** Announces a payment we queued, {"from", "id"}. */
    public void announceTransaction(String id, String cameFrom) {
        seen.add("transaction " + id);
        announce("/gossip/transaction", Map.of("from", self.get(), "id", id), cameFrom, "transactions_announced");
    }

    /** Tells a new neighbour our tip, unless it is genesis: what it lacks, it fetches from us as it would any block. */
    public void greet(String neighbour, Map<String, Object> tip) {
        if ((long) tip.get("index") == 1) return;
        Map<String, Object> message = Map.of("from", self.get(), "hash", BlockProof.hash(tip), "height", tip.get("index"));
        run(() -> {
            if (calls.post(neighbour, "/gossip/block", message).problem() == null) count(neighbour, "blocks_announced");
        });
    }

    private void announce(String path, Map<String, Object> message, String cameFrom, String counter) {
        for (String neighbour : village.nodes()) {
            if (neighbour.equals(cameFrom) || scores.dropped(neighbour)) continue;
            run(() -> {
                if (calls.post(neighbour, path, message).problem() == null) count(neighbour, counter);
            });
        }
    }
    // end::announce[]

    // tag::heard[]
    /**
     * {@code POST /gossip/block} or {@code /gossip/transaction}: a neighbour tells us it has an item.
     * Only a registered neighbour, not dropped, speaking from its own address, and at most so fast;
     * we fetch from it in the background, if the item is news, and answer at once, 202.
     */
    public Map<String, Object> heard(Map<String, Object> announcement, String remoteIp, boolean block) {
        String from = NodeAddress.normalise(JsonFields.text(announcement, "from"));
        if (!village.nodes().contains(from) || scores.dropped(from) || !NodeAddress.sentFrom(from, remoteIp)) {
            throw new WebApp.Rejected(403, "Forbidden: " + from + " is no neighbour of ours, or was dropped, or is not who sent this");
        }
        if (!scores.allowAnnouncement(from)) {
            if (scores.dropped(from)) village.forgetNode(from);
            throw new WebApp.Rejected(429, "Too Many Requests: " + from + " announces faster than we listen");
        }
        String id = JsonFields.text(announcement, block ? "hash" : "id");
        if (!SignedPayment.isId(id)) throw new WebApp.Rejected(400, "a hash or id is 64 lower-case hex digits");
        String item = (block ? "block " : "transaction ") + id;
        boolean news = !(block ? village.block(id) != null : village.hasTransaction(id)) && seen.add(item);
        if (news && !run(() -> {
            if (!(block ? fetchBlock(id, from) : fetchTransaction(id, from))) seen.remove(item); // another announcer may serve it
        })) {
            seen.remove(item);
            throw new WebApp.Rejected(503, "Service Unavailable: " + QUEUE + " announcements are waiting already; announce again later");
        }
        return Map.of("message", news ? "We will fetch it from " + from : "We have it already");
    }
    // end::heard[]

    // tag::fetch-block[]
    /**
     * Fetches the block from the announcer, then its parents while we lack them, at most
     * {@link #MAX_WALK_BACK}; past that, B10's resolve with the announcer. Each block must be the
     * one asked for and valid, or the announcer is blamed. What was added is announced on, its newest
     * block only: a neighbour that lacks its parents walks back as we did. False when nothing came.
     */
    private boolean fetchBlock(String hash, String from) {
        String wanted = hash;
        for (int walked = 0; walked <= MAX_WALK_BACK; walked++) {
            NeighbourCalls.Answer answer = calls.get(from, "/blocks/" + wanted, maxBlockBytes);
            Map<String, Object> block = answer.ok() ? answer.object() : null;
            String misshapen = block == null ? null : ChainShape.whyMisshapen(block, block.get("index") instanceof Long index ? index : -1, Transactions.COINS);
            if (block == null || misshapen != null || !BlockProof.hash(block).equals(wanted)) {
                blame(from, block == null ? NeighbourScores.CANNOT_SERVE : NeighbourScores.INVALID, "could not serve block " + wanted
                        + " it announced: " + (block == null ? answer.problem() == null ? "status " + answer.status() : answer.problem()
                        : misshapen != null ? misshapen : "it sent another block"));
                return false;
            }
            count(from, "blocks_fetched");
            BlockTree.Outcome outcome = village.receiveBlock(block);
            if (outcome.refused() != null) {
                blame(from, NeighbourScores.INVALID, "sent block " + wanted + ", which is invalid: " + outcome.refused());
                return false;
            }
            if (!outcome.added().isEmpty()) announceBlock(outcome.added().get(outcome.added().size() - 1), from);
            if (!outcome.orphan()) return true;
            wanted = String.valueOf(block.get("previous_hash"));
        }
        village.resolveWith(from, timeout);
        return true;
    }
    // end::fetch-block[]

    /** Fetches the payment the announcer holds, {@code GET /transactions/<id>}, and queues it if valid here; then announces it on. */
    private boolean fetchTransaction(String id, String from) {
        NeighbourCalls.Answer answer = calls.get(from, "/transactions/" + id, Transactions.MAX_TRANSACTION_BYTES * 4);
        Object transaction = answer.ok() && answer.object() != null ? answer.object().get("transaction") : null;
        if (!(transaction instanceof Map<?, ?> payment) || !id.equals(payment.get("id"))
                || Transactions.COINS.whyInvalid().apply(payment) != null) {
            blame(from, NeighbourScores.CANNOT_SERVE, "could not serve payment " + id + " it announced");
            return false;
        }
        count(from, "transactions_fetched");
        Map<String, Object> posted = new LinkedHashMap<>();
        payment.forEach((key, value) -> posted.put((String) key, value)); // a JSON object's keys are text
        posted.remove("id"); // as a payer posts it: the village computes the id again
        if (village.receiveTransaction(posted)) announceTransaction(id, from);
        return true;
    }

    private void blame(String neighbour, int points, String why) {
        if (scores.blame(neighbour, points, why)) village.forgetNode(neighbour);
    }

    /** Queues work for the gossip threads; false when the queue is full (an announcement of ours is then lost, as on a busy network). */
    private boolean run(Runnable task) {
        inFlight.incrementAndGet(); // before the work can start, so the count never dips below what waits
        try {
            work.execute(() -> {
                try {
                    task.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            inFlight.decrementAndGet();
            return false;
        }
    }

    private void count(String neighbour, String counter) {
        counted.computeIfAbsent(neighbour + " " + counter, key -> new AtomicLong()).incrementAndGet();
    }

    // tag::nodes[]
    /** {@code GET /nodes}: each neighbour with its score and what crossed the link, those dropped, with why, and our gossip work queued or running. */
    public Map<String, Object> describe() {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (String neighbour : village.nodes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("address", neighbour);
            entry.put("score", (long) scores.score(neighbour));
            for (String counter : List.of("blocks_announced", "blocks_fetched", "transactions_announced", "transactions_fetched")) {
                entry.put(counter, counted.getOrDefault(neighbour + " " + counter, new AtomicLong()).get());
            }
            nodes.add(entry);
        }
        return Map.of("nodes", nodes, "dropped", scores.droppedList(), "gossip_in_flight", (long) inFlight.get());
    }
    // end::nodes[]
}

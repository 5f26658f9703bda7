package bitvillage.explorer;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.python.Utf8;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the explorer's server sees of the village: every block any villager holds, once, by hash, and
 * each villager's chain as a list of hashes. It looks at the villagers while a page follows them
 * (GET /chain with the ETag it holds, so an unchanged chain costs a 304 and no body), and a page
 * asks it {@link #changesSince} what changed since the version the page holds: a long poll, answered
 * as soon as something changes. A page that follows never asks a villager itself.
 *
 * <p>Everything kept is bounded: a villager's chain by the explorer's answer cap, the blocks that
 * no villager holds any longer (stale branches, drawn grey) by {@link #MAX_STALE_BLOCKS} and
 * {@link #MAX_STALE_BYTES}, and each villager's history of changes by {@link #CHANGES_KEPT}.
 */
final class VillageWatch implements AutoCloseable {
    /** How often the villagers are looked at while a page follows them: on loopback a 304 costs little. */
    static final Duration LOOK_EVERY = Duration.ofMillis(300);
    /** A page that has not asked for this long follows no more: the villagers are left alone. */
    private static final Duration FOLLOWED_FOR = Duration.ofSeconds(60);
    /** A villager that sends no answer's head within this is drawn as not answering. */
    private static final Duration LOOK_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_STALE_BLOCKS = 2_000;
    static final long MAX_STALE_BYTES = 16L << 20;
    /** A page further behind than this many changes of a villager gets that villager's whole chain again. */
    private static final int CHANGES_KEPT = 32;
    /** The mempool as a page draws it: a pool of thousands is more than a glance shows. */
    private static final int MAX_PENDING_BYTES = 1 << 20;

    /** A block as the page gets it: its JSON (sorted keys, as the book hashes it) and the version that brought it. */
    private record Kept(String json, long addedAt) {}

    /** A change of a villager's chain: at which version, and from which position on the chain differs. */
    private record Change(long version, int from) {}

    /** What the explorer last saw of one villager. */
    private static final class Seen {
        final Explorer.Villager villager;
        final AtomicBoolean looking = new AtomicBoolean();
        final AtomicBoolean lookAgain = new AtomicBoolean();
        List<String> hashes = List.of();
        String etag;
        Boolean up;
        String problem;
        long pendingStatus;
        String pending;
        long changedAt;
        final Deque<Change> changes = new ArrayDeque<>();
        /** The version of the newest change no longer in {@link #changes}. */
        long forgottenUpTo;

        Seen(Explorer.Villager villager) {
            this.villager = villager;
        }
    }

    /** One look at a villager: its chain (null when unchanged or not read), whether it answered, its mempool. */
    private record Look(List<String> hashes, List<String> blocks, String etag, boolean up, String problem,
            long pendingStatus, String pending) {}

    private final String epoch;
    private final List<Seen> seen = new ArrayList<>();
    private final HttpClient http;
    /** Its one thread ends soon after the last page stops following: a closed explorer leaves nothing running. */
    private final ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "explorer-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final Map<String, Kept> blocks = new HashMap<>();
    /** How many villagers hold each block; a block none holds is stale. */
    private final Map<String, Integer> holders = new HashMap<>();
    /** Stale blocks, oldest first: the first to go when there are too many. */
    private final LinkedHashSet<String> stale = new LinkedHashSet<>();
    private long staleBytes;
    private long version;
    private volatile long followedUntil;

    VillageWatch(List<Explorer.Villager> villagers, HttpClient http, String epoch) {
        for (Explorer.Villager villager : villagers) seen.add(new Seen(villager));
        this.http = http;
        this.epoch = epoch;
        clock.setKeepAliveTime(5, TimeUnit.SECONDS);
        clock.allowCoreThreadTimeOut(true);
    }

    /** The page acted on a villager (mined, paid, registered): look at it now rather than at the next tick. */
    void lookSoon(Explorer.Villager villager) {
        seen.stream().filter(s -> s.villager.equals(villager)).forEach(this::look);
    }

    /** Looks at every villager now, and again every {@link #LOOK_EVERY} while a page follows. */
    private void tick() {
        if (!followed()) {
            ticking.set(false);
            // A page may have come back between the look at the clock and the line above.
            if (!followed() || !ticking.compareAndSet(false, true)) return;
        }
        for (Seen villager : seen) look(villager);
        clock.schedule(this::tick, LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean followed() {
        return System.nanoTime() - followedUntil < 0;
    }

    /** Asks a villager its chain and its mempool, unless a look at it is under way (then one more follows it). */
    private void look(Seen villager) {
        if (!villager.looking.compareAndSet(false, true)) {
            villager.lookAgain.set(true);
            return;
        }
        String etag;
        boolean hasPool;
        synchronized (this) {
            etag = villager.etag;
            hasPool = villager.pendingStatus != 404; // B8 to B13 have no mempool route
        }
        ask(villager.villager, "/chain", etag).thenCompose(chain -> {
            if (chain.status == 0) return CompletableFuture.completedFuture(read(chain, null));
            if (!hasPool) return CompletableFuture.completedFuture(read(chain, new Answer(404, "", null)));
            return ask(villager.villager, "/transactions/pending", null).thenApply(pending -> read(chain, pending));
        }).whenComplete((look, failure) -> {
            if (look != null) record(villager, look);
            villager.looking.set(false);
            if (villager.lookAgain.getAndSet(false)) look(villager);
        });
    }

    /** A villager's answer: its status (0 when there was none, and then why), its body and ETag. */
    private record Answer(int status, String body, String etag) {}

    private CompletableFuture<Answer> ask(Explorer.Villager villager, String path, String etag) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(villager.url() + path)).timeout(LOOK_TIMEOUT);
        if (etag != null) request.header("If-None-Match", etag);
        int cap = path.equals("/chain") ? Explorer.MAX_ANSWER_BYTES : MAX_PENDING_BYTES;
        return http.sendAsync(request.build(), head -> new Explorer.WholeBody(cap, Explorer.BODY_DEADLINE))
                .handle((answer, failure) -> {
                    if (failure != null) return new Answer(0, Explorer.whyNoAnswer(villager, failure), null);
                    try {
                        return new Answer(answer.statusCode(), Utf8.strict(answer.body()), answer.headers().firstValue("ETag").orElse(null));
                    } catch (java.nio.charset.CharacterCodingException e) {
                        return new Answer(0, "villager " + villager.name() + " answered text that is not UTF-8", null);
                    }
                });
    }

    /** What a look saw: the chain's blocks as the page gets them, hashed as the book hashes them. */
    private static Look read(Answer chain, Answer pending) {
        long pendingStatus = pending == null ? 0 : pending.status;
        String pendingText = pending != null && pending.status == 200 ? pending.body : null;
        if (chain.status == 304) return new Look(null, null, null, true, null, pendingStatus, pendingText);
        if (chain.status != 200) {
            String why = chain.status == 0 ? chain.body : "it answered HTTP " + chain.status + " to GET /chain";
            return new Look(null, null, null, false, why, pendingStatus, pendingText);
        }
        try {
            if (!(PyJson.loads(chain.body) instanceof Map<?, ?> answer) || !(answer.get("chain") instanceof List<?> list)) {
                return new Look(null, null, null, false, "its answer is no chain: no list of blocks under \"chain\"", pendingStatus, pendingText);
            }
            List<String> hashes = new ArrayList<>(list.size());
            List<String> texts = new ArrayList<>(list.size());
            for (Object block : list) {
                String text = PyJson.dumps(block);
                texts.add(text);
                hashes.add(Sha256.hex(text));
            }
            return new Look(hashes, texts, chain.etag, true, null, pendingStatus, pendingText);
        } catch (IllegalArgumentException e) {
            return new Look(null, null, null, false, "its answer is no chain: " + e.getMessage(), pendingStatus, pendingText);
        }
    }

    /** Takes in what a look saw; a change is one new version, and wakes the pages waiting for one. */
    private synchronized void record(Seen villager, Look look) {
        boolean changed = !Objects.equals(villager.up, look.up) || !Objects.equals(villager.problem, look.problem)
                || villager.pendingStatus != look.pendingStatus || !Objects.equals(villager.pending, look.pending);
        long next = version + 1;
        if (look.hashes != null) {
            List<String> old = villager.hashes;
            int from = 0;
            while (from < old.size() && from < look.hashes.size() && old.get(from).equals(look.hashes.get(from))) from++;
            if (from < old.size() || from < look.hashes.size()) {
                for (int i = from; i < look.hashes.size(); i++) hold(look.hashes.get(i), look.blocks.get(i), next);
                for (int i = from; i < old.size(); i++) letGo(old.get(i));
                villager.hashes = List.copyOf(look.hashes);
                villager.changes.addLast(new Change(next, from));
                if (villager.changes.size() > CHANGES_KEPT) villager.forgottenUpTo = villager.changes.removeFirst().version();
                changed = true;
            }
            villager.etag = look.etag;
        }
        if (!look.up) villager.etag = null; // after a bad answer, read the next one whole
        if (!changed) return;
        villager.up = look.up;
        villager.problem = look.problem;
        villager.pendingStatus = look.pendingStatus;
        villager.pending = look.pending;
        villager.changedAt = next;
        version = next;
        forgetStaleBeyondBounds();
        notifyAll();
    }

    private void hold(String hash, String json, long version) {
        Kept kept = blocks.get(hash);
        if (kept == null) blocks.put(hash, new Kept(json, version));
        else if (stale.remove(hash)) staleBytes -= kept.json.length();
        holders.merge(hash, 1, Integer::sum);
    }

    private void letGo(String hash) {
        int left = holders.merge(hash, -1, Integer::sum);
        if (left > 0) return;
        holders.remove(hash);
        if (stale.add(hash)) staleBytes += blocks.get(hash).json.length();
    }

    private void forgetStaleBeyondBounds() {
        var oldest = stale.iterator();
        while (oldest.hasNext() && (stale.size() > MAX_STALE_BLOCKS || staleBytes > MAX_STALE_BYTES)) {
            String hash = oldest.next();
            oldest.remove();
            staleBytes -= blocks.remove(hash).json.length();
        }
    }

    /**
     * What changed since {@code since} of {@code epoch} (this explorer's run), waiting up to {@code wait}
     * for a change: the blocks that came since, and for each villager that changed, its chain's hashes
     * from the first position that changed. A page of another run, or version 0, gets everything.
     */
    synchronized Map<String, Object> changesSince(String pageEpoch, long since, Duration wait) throws InterruptedException {
        followedUntil = System.nanoTime() + FOLLOWED_FOR.toNanos();
        if (!epoch.equals(pageEpoch) || since > version) since = 0;
        long deadline = System.nanoTime() + wait.toNanos();
        if (ticking.compareAndSet(false, true)) clock.execute(this::tick);
        while (version == since) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<Object> newBlocks = new ArrayList<>();
        for (Map.Entry<String, Kept> block : blocks.entrySet()) {
            if (block.getValue().addedAt > since) newBlocks.add(Map.of("hash", block.getKey(), "block", block.getValue().json));
        }
        List<Object> villagers = new ArrayList<>();
        for (Seen villager : seen) {
            if (villager.changedAt <= since) continue;
            int from = since == 0 ? 0 : firstChangedSince(villager, since);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", villager.villager.name());
            entry.put("up", villager.up);
            entry.put("problem", villager.problem);
            entry.put("length", (long) villager.hashes.size());
            entry.put("from", (long) from);
            entry.put("hashes", villager.hashes.subList(from, villager.hashes.size()));
            entry.put("pending_status", villager.pendingStatus);
            entry.put("pending", villager.pending);
            villagers.add(entry);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("epoch", epoch);
        answer.put("version", version);
        answer.put("blocks", newBlocks);
        answer.put("villagers", villagers);
        return answer;
    }

    /**
     * The first position of a villager's chain that changed after {@code since}: its length when only
     * its mempool or its answer changed, 0 when its history no longer reaches back that far.
     */
    private static int firstChangedSince(Seen villager, long since) {
        if (since < villager.forgottenUpTo) return 0;
        int from = Integer.MAX_VALUE;
        for (Change change : villager.changes) {
            if (change.version() > since) from = Math.min(from, change.from());
        }
        return from == Integer.MAX_VALUE ? villager.hashes.size() : from; // only its answer or its mempool changed
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}

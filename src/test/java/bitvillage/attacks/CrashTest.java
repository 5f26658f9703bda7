package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.FileNotebook;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.testing.Http;
import bitvillage.testing.VillagerProcess;
import bitvillage.testing.Wallet;
import bitvillage.util.python.PyJson;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost (issue 23). A B19 villager runs in a JVM of its own, its notebook in a
 * temporary directory, and takes payments from {@value #CLIENTS} clients at once while a miner asks it
 * for blocks; at a random moment it is killed with SIGKILL, {@value #ROUNDS} times, each time started
 * again on the same notebook. Each start must hold every payment it answered 2xx (pending or
 * confirmed), and every block it served (by {@code GET /chain} or {@code GET /mine}) at the height it
 * served it; its coins add up and none is spent twice. A payment the kill left unanswered may be there
 * or not: its client asks, and pays on from whichever coin is really its own.
 *
 * <p>The kill times come from a seed the test prints; {@code -Dbitvillage.crashSeed=N} replays them
 * (the threads' timing cannot be replayed, only when the kills fall).
 */
class CrashTest {
    private static final int ROUNDS = 20;
    private static final int CLIENTS = 8;
    /** Payments answered 2xx over the whole test, the two that fund the clients not counted. */
    private static final int PAYMENTS = 200;
    private static final int ZEROS = 2; // a block in a few milliseconds: the miner keeps up with the clients
    private static final int MOST_KILL_MS = 2000; // after the clients begin: about 1 s on average
    private static final int MINER_PAUSE_MS = 400; // on average between blocks: payments wait in chains of unconfirmed change
    private static final long FUNDS = 240; // each client's coin from the genesis block
    private static final long FEE = 1;
    private static final String SEED_PROPERTY = "bitvillage.crashSeed";
    /** Where every client's payments go: a shop in the village, which never spends. */
    private static final String SHOP = Keys.address(Keys.fromSeed("村口雜貨店"));
    private static final long WAIT_SECONDS = 120;

    @TempDir
    Path temp;

    /** The ids of every payment the villager answered 2xx, over all its lives. */
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Each height's block as the villager served it, by its hash. */
    private final Map<Long, String> served = new ConcurrentHashMap<>();
    /** Each block {@code GET /mine} answered with: its index, previous hash, nonce and transactions. */
    private final List<Map<String, Object>> mined = Collections.synchronizedList(new ArrayList<>());
    /** Payments sent or answered: a client takes one before it pays, and gives it back if the kill leaves it unanswered. */
    private final AtomicInteger taken = new AtomicInteger();

    /** A client: its key, and the one coin it pays from, the change of its last payment the villager holds. */
    private static final class Client {
        final byte[] key;
        final String address;
        final Random random;
        Outpoint coin;
        long amount;
        Map<String, Object> unanswered; // sent when the villager was killed: the next start says whether it is there

        Client(int number, long seed) {
            key = Keys.fromSeed("crash client " + number);
            address = Keys.address(key);
            random = new Random(seed + 1 + number);
        }

        /** 1 coin to the shop, the fee, and the change back: a payment that spends the change of the one before. */
        Map<String, Object> nextPayment() {
            return CoinTransaction.signed(CoinTransaction.transaction(List.of(CoinTransaction.input(coin.txid(), coin.index())),
                    List.of(CoinTransaction.output(SHOP, 1), CoinTransaction.output(address, amount - 1 - FEE))), key);
        }

        /** The villager holds the payment: its change is the coin to pay from now. */
        void paid(Map<String, Object> payment) {
            List<Map<String, Object>> outputs = CoinTransaction.outputs(payment);
            int change = outputs.size() - 1;
            assertEquals(address, outputs.get(change).get("address"));
            coin = new Outpoint(CoinTransaction.id(payment), change);
            amount = (Long) outputs.get(change).get("amount");
        }
    }

    /** One life of the villager, from its start to its kill: a client or the miner seeing it ended stops. A client pauses about {@code pauseMs} between payments. */
    private record Life(String url, int pauseMs, CountDownLatch end) {
        Life(String url, int pauseMs) {
            this(url, pauseMs, new CountDownLatch(1));
        }

        boolean ended() {
            return end.getCount() == 0;
        }

        /** Waits about {@code meanMs} (from 0 to twice it); true if the life ended meanwhile. */
        boolean pause(Random random, int meanMs) throws InterruptedException {
            return end.await(random.nextInt(2 * meanMs + 1), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aVillagerKilledAtRandomMomentsKeepsEveryPaymentItAcknowledgedAndEveryBlockItServed() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, new SecureRandom().nextLong());
        System.out.println("CrashTest: seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + " kills at the same moments)");
        int[] delays = new Random(seed).ints(ROUNDS, 0, MOST_KILL_MS).toArray();
        // The clients' pace spreads the 200 payments over the 20 lives, with some to spare; the last life pays what is left, without pausing.
        int pauseMs = (int) (CLIENTS * IntStream.of(delays).sum() / (1.2 * PAYMENTS));
        System.out.println("CrashTest: a client pauses about " + pauseMs + " ms between payments");
        Random miner = new Random(seed - 1);
        List<Client> clients = new ArrayList<>();
        for (int number = 0; number < CLIENTS; number++) clients.add(new Client(number, seed));
        Path data = temp.resolve("villager");
        List<String> killPoints = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            long starting = System.nanoTime();
            try (VillagerProcess villager = start(data, round)) {
                Life life = new Life(villager.awaitListening(), pauseMs);
                System.out.println("CrashTest: life " + round + " listening " + millisSince(starting) + " ms after its start, on a notebook of "
                        + lines(data) + " lines; " + (round == 1 ? fund(life.url, clients) : assertHolds(life.url) + "; " + settle(life.url, clients)));
                int before = acknowledged.size();
                ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
                long killedAfter;
                try {
                    List<Future<?>> work = begin(threads, life, clients, miner);
                    long began = System.nanoTime();
                    Thread.sleep(delays[round - 1]);
                    killedAfter = millisSince(began);
                    life.end.countDown(); // before the kill: a request that fails from now on failed because of it
                    villager.kill();
                    finish(work);
                } finally {
                    life.end.countDown();
                    threads.shutdownNow();
                }
                long unanswered = clients.stream().filter(client -> client.unanswered != null).count();
                String point = String.format("round %2d: killed %4d ms after the clients began; %3d payments acknowledged so far (%2d in this life),"
                        + " %d unanswered; %3d blocks served; the notebook %4d lines", round, killedAfter, acknowledged.size() - 2,
                        acknowledged.size() - before, unanswered, served.size(), lines(data));
                killPoints.add(point);
                System.out.println("CrashTest: " + point);
            }
        }
        long starting = System.nanoTime();
        try (VillagerProcess villager = start(data, ROUNDS + 1)) {
            Life life = new Life(villager.awaitListening(), 0);
            System.out.println("CrashTest: life " + (ROUNDS + 1) + " listening " + millisSince(starting) + " ms after its start, on a notebook of "
                    + lines(data) + " lines; " + assertHolds(life.url) + "; " + settle(life.url, clients));
            ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (Client client : clients) work.add(threads.submit(() -> pay(client, life)));
                finish(work); // the payments still to make, to 200
            } finally {
                threads.shutdownNow();
            }
            assertEquals(PAYMENTS + 2, acknowledged.size(), "the clients' 200 payments and the 2 that funded them");
            mineUntilNothingIsPending(life.url);
            System.out.println("CrashTest: at the end, " + assertHolds(life.url));
            for (String id : acknowledged) {
                assertEquals("confirmed", Http.json(Http.get(life.url + "/transactions/" + id), 200).get("status"), id);
            }
        }
        System.out.println("CrashTest: seed " + seed + "; the kill points:");
        killPoints.forEach(point -> System.out.println("CrashTest:   " + point));
    }

    /**
     * A notebook a disk damaged, through the real villager killed with SIGKILL: a byte flipped in the
     * last line is cut, said, and the villager starts on the notes before it; a byte flipped in a line
     * before the last stops the start (exit status 1) with that line's number and what to do, and the
     * notebook is left as it was. (A torn last line: NotebookVillagerTest.)
     */
    @Test
    void aFlippedByteInTheLastLineIsCutAndOneInAMiddleLineStopsTheStartWithItsNumber() throws Exception {
        Path data = temp.resolve("villager");
        Path notes = data.resolve(FileNotebook.NOTES);
        List<Client> clients = new ArrayList<>();
        for (int number = 0; number < CLIENTS; number++) clients.add(new Client(number, 0));
        List<String> payments = new ArrayList<>(); // the last two notes: payments, answered 201
        try (VillagerProcess villager = start(data, 1)) {
            String url = villager.awaitListening();
            fund(url, clients);
            mined.add(Http.json(Http.get(url + "/mine"), 200));
            for (Client client : clients.subList(0, 2)) {
                Map<String, Object> payment = client.nextPayment();
                payments.add(CoinTransaction.id(payment));
                assertEquals(payments.get(payments.size() - 1), Http.json(post(url, payment), 201).get("id"));
                acknowledged.add(CoinTransaction.id(payment));
                client.paid(payment);
            }
            villager.kill();
        }

        int lines = Files.readAllLines(notes).size();
        flipAByte(notes, lines); // in the last payment's line: the disk, not the villager, lost it
        acknowledged.remove(payments.get(1));
        try (VillagerProcess villager = start(data, 2)) {
            String url = villager.awaitListening();
            assertTrue(villager.printed().contains("line " + lines + " of " + notes), villager.printed());
            assertEquals(lines - 1, Files.readAllLines(notes).size(), "the changed line is cut off");
            assertHolds(url);
            assertEquals(404, Http.get(url + "/transactions/" + payments.get(1)).statusCode());
            villager.kill();
        }

        flipAByte(notes, 2);
        byte[] damaged = Files.readAllBytes(notes);
        try (VillagerProcess villager = start(data, 3)) {
            assertEquals(1, villager.awaitExit(), villager.printed());
            String printed = villager.printed();
            assertTrue(printed.contains("line 2 of " + notes) && printed.contains("head -n 1"), printed);
            assertFalse(printed.contains("Running on"), printed);
        }
        assertArrayEquals(damaged, Files.readAllBytes(notes), "a start that stops cuts nothing");
    }

    /** One bit flipped in the middle of line {@code number} (from 1) of the file: the line's check no longer matches. */
    private static void flipAByte(Path file, int number) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        for (int line = 1; line < number; line++) start = indexOf(bytes, (byte) '\n', start) + 1;
        int end = indexOf(bytes, (byte) '\n', start);
        bytes[(start + end) / 2] ^= 1;
        Files.write(file, bytes);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) if (bytes[i] == wanted) return i;
        throw new AssertionError("no newline after byte " + from);
    }

    private VillagerProcess start(Path data, int life) throws IOException {
        return VillagerProcess.start(temp.resolve("life-" + life + ".log"), "B19", "--port", "0", "--data", data.toString(),
                "--zeros", String.valueOf(ZEROS));
    }

    /** 小美 and 大華 each split their genesis coin among four clients, with change back; the clients pay on from those. */
    private String fund(String url, List<Client> clients) throws Exception {
        List<Outpoint> genesis = List.of(new Outpoint(Wallet.GENESIS, 0), new Outpoint(Wallet.GENESIS, 1));
        List<byte[]> givers = List.of(Wallet.MEI, Wallet.HUA);
        int each = CLIENTS / givers.size();
        for (int g = 0; g < givers.size(); g++) {
            List<Map<String, Object>> outputs = new ArrayList<>();
            List<Client> funded = clients.subList(g * each, (g + 1) * each);
            for (Client client : funded) outputs.add(CoinTransaction.output(client.address, FUNDS));
            outputs.add(CoinTransaction.output(Keys.address(givers.get(g)), 1000 - each * FUNDS - FEE));
            Map<String, Object> payment = CoinTransaction.signed(CoinTransaction.transaction(
                    List.of(CoinTransaction.input(genesis.get(g).txid(), genesis.get(g).index())), outputs), givers.get(g));
            String id = CoinTransaction.id(payment);
            assertEquals(id, Http.json(post(url, payment), 201).get("id"));
            acknowledged.add(id);
            for (int c = 0; c < each; c++) {
                funded.get(c).coin = new Outpoint(id, c);
                funded.get(c).amount = FUNDS;
            }
        }
        return "the clients are funded";
    }

    private static HttpResponse<String> post(String url, Map<String, Object> payment) throws Exception {
        return Http.call("POST", url + "/transactions/new", PyJson.dumps(payment));
    }

    /** The clients and the miner, each on a thread of its own, until the life ends (or, for a client, the 200 are taken). */
    private List<Future<?>> begin(ExecutorService threads, Life life, List<Client> clients, Random miner) {
        List<Future<?>> work = new ArrayList<>();
        for (Client client : clients) work.add(threads.submit(() -> pay(client, life)));
        work.add(threads.submit(() -> mine(life, miner)));
        return work;
    }

    /** Waits for every thread's work, and throws what failed in any. */
    private static void finish(List<Future<?>> work) throws Exception {
        try {
            for (Future<?> each : work) each.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Exception exception) throw exception;
            throw (Error) failed.getCause();
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    /** How many lines the villager's notebook holds: what it wrote down, all of it on disk or in the page cache. */
    private static long lines(Path data) throws IOException {
        Path notes = data.resolve(FileNotebook.NOTES);
        if (!Files.exists(notes)) return 0;
        try (var lines = Files.lines(notes)) {
            return lines.count();
        }
    }

    /** A client pays, a payment at a time, each from the change of the one before, while the life lasts and payments remain. */
    private Void pay(Client client, Life life) throws Exception {
        while (!life.pause(client.random, life.pauseMs)) {
            if (taken.getAndUpdate(count -> count < PAYMENTS ? count + 1 : count) >= PAYMENTS) return null;
            Map<String, Object> payment = client.nextPayment();
            HttpResponse<String> answer;
            try {
                answer = post(life.url, payment);
            } catch (IOException killed) {
                if (!life.ended()) throw killed;
                client.unanswered = payment;
                taken.decrementAndGet(); // not acknowledged: another payment makes up for it
                return null;
            }
            String id = CoinTransaction.id(payment);
            assertEquals(id, Http.json(answer, 201).get("id"), answer.body());
            acknowledged.add(id);
            client.paid(payment);
        }
        return null;
    }

    /** The miner: {@code GET /mine} now and then, and {@code GET /chain} after it; what each served is recorded. */
    private Void mine(Life life, Random random) throws Exception {
        while (!life.pause(random, MINER_PAUSE_MS)) {
            try {
                mined.add(Http.json(Http.get(life.url + "/mine"), 200));
                served(chain(life.url));
            } catch (IOException killed) {
                if (!life.ended()) throw killed;
                return null;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chain(String url) throws Exception {
        return (List<Map<String, Object>>) Http.json(Http.get(url + "/chain"), 200).get("chain");
    }

    /** Records the chain as served: a height served before must hold the same block (a lone villager never reorganises). */
    private void served(List<Map<String, Object>> chain) {
        for (Map<String, Object> block : chain) {
            long height = (Long) block.get("index");
            String hash = BlockProof.hash(block);
            String before = served.putIfAbsent(height, hash);
            assertTrue(before == null || before.equals(hash), "height " + height + " was served as " + before + ", now as " + hash);
        }
    }

    private static void mineUntilNothingIsPending(String url) throws Exception {
        for (int block = 0; block < 100; block++) {
            if (((List<?>) Http.json(Http.get(url + "/transactions/pending"), 200).get("pending")).isEmpty()) return;
            Http.json(Http.get(url + "/mine"), 200);
        }
        throw new AssertionError("payments still pending after 100 blocks");
    }

    /**
     * The villager, started again, holds what it served and acknowledged: every block served is at its
     * height, every payment answered 2xx is pending or confirmed, its coins add up and no coin is
     * spent twice, on its chain or in its pool. Says what it holds.
     */
    private String assertHolds(String url) throws Exception {
        List<Map<String, Object>> chain = chain(url);
        served.forEach((height, hash) -> {
            assertTrue(height <= chain.size(), "height " + height + " was served; the chain has " + chain.size() + " blocks");
            assertEquals(hash, BlockProof.hash(chain.get((int) (height - 1))), "the block served at height " + height);
        });
        synchronized (mined) {
            for (Map<String, Object> answer : mined) {
                long index = (Long) answer.get("index");
                assertTrue(index <= chain.size(), "block " + index + " was mined; the chain has " + chain.size() + " blocks");
                Map<String, Object> block = chain.get((int) (index - 1));
                for (String field : List.of("previous_hash", "nonce")) assertEquals(answer.get(field), block.get(field), "block " + index + "'s " + field);
                assertEquals(ids(answer.get("transactions")), ids(block.get("transactions")), "block " + index + "'s transactions");
            }
        }
        served(chain);
        Map<Outpoint, Long> unspent = assertCoinsAddUp(chain);
        List<Map<String, Object>> pending = new ArrayList<>();
        for (Object entry : (List<?>) Http.json(Http.get(url + "/transactions/pending"), 200).get("pending")) {
            String id = (String) ((Map<?, ?>) entry).get("id");
            @SuppressWarnings("unchecked")
            Map<String, Object> transaction = (Map<String, Object>) Http.json(Http.get(url + "/transactions/" + id), 200).get("transaction");
            pending.add(transaction);
        }
        assertPoolSpendsNothingTwice(unspent, pending);
        for (String id : acknowledged) {
            HttpResponse<String> answer = Http.get(url + "/transactions/" + id);
            assertEquals(200, answer.statusCode(), "payment " + id + " was answered 201, and is lost: " + answer.body());
            Object status = Http.json(answer, 200).get("status");
            assertTrue(status.equals("pending") || status.equals("confirmed"), "payment " + id + " was answered 201; now " + answer.body());
        }
        return "a chain of " + chain.size() + " blocks, " + pending.size() + " payments pending, all " + acknowledged.size()
                + " acknowledged there";
    }

    private static List<Object> ids(Object transactions) {
        return ((List<?>) transactions).stream().<Object>map(transaction -> ((Map<?, ?>) transaction).get("id")).toList();
    }

    /** Counted here again: every coin spent was made and unspent, each reward is 1 plus its block's fees, so the coins add up to 2,000 and 1 a block. */
    private static Map<Outpoint, Long> assertCoinsAddUp(List<Map<String, Object>> chain) {
        Map<Outpoint, Long> unspent = new HashMap<>();
        for (Map<String, Object> block : chain) {
            long index = (Long) block.get("index");
            assertEquals(chain.indexOf(block) + 1L, index);
            long fees = 0;
            long reward = 0;
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> transactions = (List<Map<String, Object>>) block.get("transactions");
            for (int t = 0; t < transactions.size(); t++) {
                Map<String, Object> transaction = transactions.get(t);
                long in = 0;
                for (Map<String, Object> input : CoinTransaction.inputs(transaction)) {
                    Long amount = unspent.remove(Outpoint.of(input));
                    assertNotNull(amount, "block " + index + " spends " + Outpoint.of(input) + ", which is not an unspent coin");
                    in += amount;
                }
                long out = made(transaction, unspent);
                if (t > 0) {
                    assertTrue(in >= out, "a fee below 0 in block " + index);
                    fees += in - out;
                } else {
                    reward = out;
                }
            }
            if (index > 1) assertEquals(1 + fees, reward, "block " + index + "'s reward is 1 plus its fees");
        }
        long total = unspent.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(2000L + chain.size() - 1, total, "the genesis block's 2,000 coins and 1 a block");
        return unspent;
    }

    /** The transaction's outputs, added to {@code coins}; what they hold together. */
    private static long made(Map<String, Object> transaction, Map<Outpoint, Long> coins) {
        List<Map<String, Object>> outputs = CoinTransaction.outputs(transaction);
        long out = 0;
        for (int o = 0; o < outputs.size(); o++) {
            long amount = (Long) outputs.get(o).get("amount");
            assertTrue(amount > 0);
            assertTrue(coins.put(new Outpoint((String) transaction.get("id"), o), amount) == null, "two coins " + transaction.get("id") + ":" + o);
            out += amount;
        }
        return out;
    }

    /** The pool's payments spend coins of the chain or of each other, each at most once, and none pays out more than it spends. */
    private static void assertPoolSpendsNothingTwice(Map<Outpoint, Long> unspent, List<Map<String, Object>> pending) {
        Map<Outpoint, Long> coins = new HashMap<>(unspent);
        for (Map<String, Object> payment : pending) made(payment, coins);
        Set<Outpoint> spent = new HashSet<>();
        for (Map<String, Object> payment : pending) {
            long in = 0;
            for (Map<String, Object> input : CoinTransaction.inputs(payment)) {
                Outpoint coin = Outpoint.of(input);
                assertTrue(spent.add(coin), "two pending payments spend " + coin);
                Long amount = coins.get(coin);
                assertNotNull(amount, "pending " + payment.get("id") + " spends " + coin + ", which is no coin of the chain or the pool");
                in += amount;
            }
            long out = CoinTransaction.outputs(payment).stream().mapToLong(output -> (Long) output.get("amount")).sum();
            assertTrue(in >= out, "pending " + payment.get("id") + " pays out more than it spends");
        }
    }

    /**
     * Each payment the kill left unanswered: there (pending or confirmed), and its change is the
     * client's coin; or not there (404), and the client pays from the coin it had. Says how many of each.
     */
    private String settle(String url, List<Client> clients) throws Exception {
        int there = 0;
        int gone = 0;
        for (Client client : clients) {
            if (client.unanswered == null) continue;
            HttpResponse<String> answer = Http.get(url + "/transactions/" + CoinTransaction.id(client.unanswered));
            if (answer.statusCode() == 404) {
                gone++;
            } else {
                Object status = Http.json(answer, 200).get("status");
                assertTrue(status.equals("pending") || status.equals("confirmed"), answer.body());
                client.paid(client.unanswered);
                there++;
            }
            client.unanswered = null;
        }
        return "of the payments the kill left unanswered, " + there + " there, " + gone + " not";
    }
}

package bitvillage.story;

import bitvillage.keys.Keys;
import bitvillage.race.Race;
import bitvillage.stages.B13ProofOfWork.Blockchain;
import bitvillage.stages.B13ProofOfWork;
import bitvillage.stages.B17Coins;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.web.WebApp;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static bitvillage.story.Story.PAYER;
import static bitvillage.story.Story.PRICE;
import static bitvillage.story.Story.SELLER;

/**
 * The book's supplement A, live: 小美 pays 大華 699, and her node M mines in secret a fork that
 * takes the 699 back. On B17 (the default) villagers A, B and her M are coin nodes, and her fork
 * holds a real double spend: a transaction of hers that spends the same coin back to herself. On
 * B13 ({@code --stage B13}) A and B are B13 nodes, and M a small server of hers that answers
 * {@code GET /chain} with a fork in which the 699, under the same id, goes back to her. Who finds
 * each block is drawn by {@link Race}'s seeded lottery, and whoever wins really mines it: A or B
 * through {@code /mine}, M on her own chain. Every node listens on a free port (standard error says
 * which); the story calls them {@code <A>}, {@code <B>} and {@code <M>}, so it reads the same on every computer.
 */
public final class Attack {
    private static final Options.Option SHARE = Options.Option.text("--share", "Q",
            "小美's share of the hashing power, at least 0 and below 1", "0.3");
    private static final Options.Option CONFIRMATIONS = Options.Option.number("--confirmations", "Z",
            "blocks 大華 waits for, the payment's included", 6, 1, 100);
    private static final Options.Option GIVE_UP = Options.Option.number("--give-up", "N",
            "小美 gives up this many blocks behind", 20, 1, 1000);
    private static final Options.Option SEED = Options.Option.text("--seed", "S",
            "the seed of the lottery that draws who finds each block", "1");
    private static final Options.Option ZEROS = Options.Option.number("--zeros", "N",
            "the village's difficulty, kept small so the race runs fast", 3, 1, 6);
    private static final Options.Option STAGE = Options.Option.text("--stage", "S",
            "the villagers' stage: B17, whose coins make a real double spend, or B13, whose payments are known by a label", "B17");

    public static final List<Options.Option> OPTIONS = List.of(SHARE, CONFIRMATIONS, GIVE_UP, SEED, ZEROS, STAGE);

    /** How a run ended. */
    public enum Outcome { SUCCEEDED, FAILED, WENT_WRONG }

    private final World world;
    private final Story story;
    private final int zeros;
    private final int confirmations;
    private final List<String> wrong = new ArrayList<>();
    private final Village village;

    private Attack(World world, PrintStream notices, int zeros, int confirmations, boolean coins) {
        this.world = world;
        this.story = new Story(world, notices, "attack", null, "Lesson"); // no --slow; its outcome is no checked step
        this.zeros = zeros;
        this.confirmations = confirmations;
        this.village = coins ? new Coins() : new PaymentsById();
    }

    /** The launcher's entry: exit 0 when the attack succeeded, 3 when it failed, 1 when something went wrong. */
    public static void run(Options options, World world) throws InterruptedException {
        Outcome outcome = run(options, world, System.err);
        if (outcome == Outcome.FAILED) throw new StageFailed("the attack failed: 大華 keeps his 699", 3);
        if (outcome == Outcome.WENT_WRONG) throw new StageFailed("the race did not run as it should (see NOT SO above)");
    }

    public static Outcome run(Options options, World world, PrintStream notices) throws InterruptedException {
        double share = share(options.text(SHARE));
        int confirmations = options.number(CONFIRMATIONS);
        int giveUp = options.number(GIVE_UP);
        long seed = seed(options.text(SEED));
        int zeros = options.number(ZEROS);
        Attack attack = new Attack(world, notices, zeros, confirmations, coins(options.text(STAGE)));
        return attack.play(race(share, confirmations, giveUp, seed), share, giveUp, seed);
    }

    // tag::race[]
    /** The race a run plays: the rules of {@link Race}, drawn from a lottery seeded with {@code seed}. */
    public static Race race(double share, int confirmations, int giveUp, long seed) {
        return new Race(share, confirmations, giveUp, new SplittableRandom(seed));
    }
    // end::race[]

    private static double share(String text) {
        double share;
        try {
            share = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageError("--share takes a number of at least 0 and below 1, not '" + text + "'");
        }
        if (!(share >= 0 && share < 1)) throw new UsageError("--share takes a number of at least 0 and below 1, not " + text);
        return share;
    }

    /** True for B17's coins, false for B13's payments known by their id. */
    private static boolean coins(String stage) {
        if (!stage.equals("B17") && !stage.equals("B13")) throw new UsageError("--stage takes B17 or B13, not '" + stage + "'");
        return stage.equals("B17");
    }

    private static long seed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageError("--seed takes a whole number, not '" + text + "'");
        }
    }

    private Outcome play(Race race, double share, int giveUp, long seed) throws InterruptedException {
        try (story) {
            village.start(story.nodeWorld());
            world.out().printf(Locale.ROOT, "The 51%% race, live: %s has %.0f%% of the hashing power; %s waits for %d"
                    + " confirmations;%n%s gives up %d blocks behind; the lottery's seed is %d; blocks need %d zeros.%n",
                    PAYER, share * 100, SELLER, confirmations, PAYER, giveUp, seed, zeros);
            return race(race);
        }
    }

    /** What the race needs of the village it runs in: the stage's nodes, 小美's payment, her fork, and the ending. */
    private interface Village {
        /** Starts A, B and M, each on a free port. */
        void start(World nodeWorld);

        /** 小美 pays 大華 on A and prepares her fork: the payment's id, or null when that went wrong. */
        String pay() throws InterruptedException;

        /** M mines the next block of her fork: its index, or null when she mined none. */
        Long mineOnFork() throws InterruptedException;

        /** Her fork is longer: she publishes it. */
        Outcome publish(String id) throws InterruptedException;

        /** She fell too far behind. */
        Outcome giveUp(Race race, String id) throws InterruptedException;
    }

    // tag::story[]
    /** Pays, then lets the lottery decide each block, and whoever wins it mines it; then the outcome. */
    private Outcome race(Race race) throws InterruptedException {
        send("POST", "A", "/nodes/register", Map.of("nodes", List.of(story.url("B"))));
        send("POST", "B", "/nodes/register", Map.of("nodes", List.of(story.url("A"))));
        String id = village.pay();
        if (id == null) return wentWrong(String.join("; ", wrong));
        String lastMiner = null;
        boolean handedOver = false;
        while (!race.over()) {
            if (race.nextBlock() == Race.Side.HONEST) {
                String miner = race.honestBlocks() % 2 == 1 ? "A" : "B"; // A mines first: A holds the payment
                if (lastMiner != null && !lastMiner.equals(miner)) send("GET", miner, "/nodes/resolve", null);
                Map<String, Object> mined = send("GET", miner, "/mine", null);
                if (!(mined.get("index") instanceof Long)) return wentWrong("villager " + miner + " mined no block: " + mined);
                lastMiner = miner;
                say("block " + mined.get("index") + ": villager " + miner + " finds it, on the honest chain", race);
            } else {
                Long index = village.mineOnFork();
                if (index == null) return wentWrong("M mined no block: " + String.join("; ", wrong));
                say("block " + index + ": " + PAYER + "'s node M finds it, on her secret fork", race);
            }
            if (!handedOver && race.confirmed()) {
                Map<String, Object> seen = send("GET", lastMiner, "/transactions/" + id, null);
                if (!Long.valueOf(confirmations).equals(seen.get("confirmations"))) {
                    return wentWrong(lastMiner + " gives the payment " + seen.get("confirmations") + " confirmations");
                }
                world.out().println("  " + SELLER + " sees " + confirmations + " confirmations on " + lastMiner
                        + " and hands over the jeans.");
                handedOver = true;
            }
        }
        return race.gotAhead() ? village.publish(id) : village.giveUp(race, id);
    }
    // end::story[]

    private void say(String found, Race race) {
        world.out().printf(Locale.ROOT, "[honest %2d, fork %2d] %s%n", race.honestBlocks(), race.attackerBlocks(), found);
    }

    /**
     * B13's village, which has no coins: the nearest thing to a double spend is a payment under the
     * same id that pays the 699 back to 小美. M is a small server of hers that serves her fork once published.
     */
    private final class PaymentsById implements Village {
        private final List<Map<String, Object>> fork = new ArrayList<>(List.of(BlockProof.genesis()));
        private String mId; // M's name in her own rewards
        private String paymentId;

        @Override
        public void start(World nodeWorld) {
            String[] node = {"--port", "0", "--zeros", Integer.toString(zeros)};
            story.onFreePort("A", "villager A", B13ProofOfWork.start(Options.parse(node, B13ProofOfWork.OPTIONS), nodeWorld));
            story.onFreePort("B", "villager B", B13ProofOfWork.start(Options.parse(node, B13ProofOfWork.OPTIONS), nodeWorld));
            story.startNodeM(nodeWorld);
        }

        @Override
        public String pay() throws InterruptedException {
            Object paid = send("POST", "A", "/transactions/new",
                    Map.of("sender", PAYER, "recipient", SELLER, "amount", PRICE)).get("id");
            if (!(paid instanceof String id)) {
                wrong.add("A gave the payment no id");
                return null;
            }
            world.out().println(PAYER + " pays " + SELLER + " " + PRICE + " on A. In secret, M mines from block 1 a fork"
                    + " where the same id pays " + PAYER + ".");
            mId = world.nodeIds().get();
            paymentId = id;
            return id;
        }

        /** The next block of M's fork, mined as a B13 node mines: reward first, then (in her first block) the payment to herself. */
        @Override
        public Long mineOnFork() {
            Map<String, Object> last = fork.get(fork.size() - 1);
            List<Map<String, Object>> transactions = new ArrayList<>();
            transactions.add(Blockchain.transaction(world.nodeIds().get(), "0", mId, 1L));
            if (fork.size() == 1) transactions.add(Blockchain.transaction(paymentId, PAYER, PAYER, PRICE));
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", (long) fork.size() + 1);
            block.put("timestamp", Math.max(world.clock().getAsDouble(), ((Number) last.get("timestamp")).doubleValue()));
            block.put("transactions", transactions);
            block.put("nonce", 0L);
            block.put("previous_hash", BlockProof.hash(last));
            fork.add(BlockMiner.findNonce(block, zeros));
            return (long) fork.size();
        }

        /** M's fork is longer: she serves it, A and B register M and resolve; no chain may pay 大華 now. */
        @Override
        public Outcome publish(String id) throws InterruptedException {
            world.out().println(PAYER + "'s fork is longer than the honest chain: M publishes it, and A and B resolve.");
            story.serve(fork);
            for (String villager : List.of("A", "B")) {
                resolveAgainstM(villager);
                Map<String, Object> payment = send("GET", villager, "/transactions/" + id, null);
                Object to = payment.get("transaction") instanceof Map<?, ?> transaction ? transaction.get("recipient") : null;
                if (!PAYER.equals(to)) wrong.add(villager + "'s payment " + id + " goes to " + to);
            }
            if (!wrong.isEmpty()) return wentWrong(String.join("; ", wrong));
            world.out().println("Outcome: the attack succeeded. The payment's id now pays " + PAYER + "; no chain holds "
                    + PRICE + " for " + SELLER + ", who has given away the jeans.");
            return Outcome.SUCCEEDED;
        }

        /** M fell too far behind: the honest chain keeps the payment to 大華. */
        @Override
        public Outcome giveUp(Race race, String id) throws InterruptedException {
            if (!wrong.isEmpty()) return wentWrong(String.join("; ", wrong)); // a failed request is no failed attack
            world.out().println(PAYER + " is " + (race.honestBlocks() - race.attackerBlocks())
                    + " blocks behind and gives up; her fork is never published.");
            Map<String, Object> payment = send("GET", "A", "/transactions/" + id, null);
            Object to = payment.get("transaction") instanceof Map<?, ?> transaction ? transaction.get("recipient") : null;
            if (!SELLER.equals(to) || !"confirmed".equals(payment.get("status"))) {
                return wentWrong("A's payment " + id + " is " + payment.get("status") + " to " + to);
            }
            return failed(payment);
        }
    }

    /**
     * B17's village: real coins, so a real double spend. 小美 signs a payment to 大華 from her coin
     * and sends it to A; she signs a second transaction that spends the same coin back to herself,
     * and sends it only to her own B17 node M, which nobody knows of until she publishes. The chain
     * that wins decides which of the two ever spends the coin; the other is conflicted for good.
     */
    private final class Coins implements Village {
        private final byte[] secret = Keys.fromSeed(PAYER); // her seed is public: play money
        private final String payer = Keys.address(secret);
        private String doubleSpend; // her transaction on M: the same coin, back to her
        private static final String PAYMENT = "the payment to " + SELLER;
        private static final String DOUBLE_SPEND = "her double spend";

        @Override
        public void start(World nodeWorld) {
            story.onFreePort("A", "villager A", coinNode("villager A", nodeWorld));
            story.onFreePort("B", "villager B", coinNode("villager B", nodeWorld));
            story.onFreePort("M", PAYER + "'s node M", coinNode(PAYER, nodeWorld)); // her rewards are hers
        }

        /** A B17 node whose rewards go to the key of {@code miner}'s seed, so every run mines the same blocks. */
        private WebApp coinNode(String miner, World nodeWorld) {
            String[] node = {"--port", "0", "--zeros", Integer.toString(zeros), "--seed", miner};
            return B17Coins.start(Options.parse(node, B17Coins.OPTIONS), nodeWorld);
        }

        // tag::double-spend[]
        /** Pays 大華 on A from her coin, and spends the same coin back to herself on M, in secret. */
        @Override
        public String pay() throws InterruptedException {
            Map<Outpoint, Long> spendable = new LinkedHashMap<>();
            for (Object listed : (List<?>) send("GET", "A", "/coins/" + payer, null).getOrDefault("coins", List.of())) {
                Map<?, ?> coin = (Map<?, ?>) listed;
                if (Boolean.TRUE.equals(coin.get("spendable"))) {
                    spendable.put(new Outpoint((String) coin.get("txid"), (Long) coin.get("index")), (Long) coin.get("amount"));
                }
            }
            if (spendable.isEmpty()) {
                wrong.add("A shows " + PAYER + " no spendable coin");
                return null;
            }
            Map<Outpoint, Long> spent = CoinSelection.choose(spendable, PRICE, 0);
            long held = spent.values().stream().mapToLong(Long::longValue).sum();
            Object paid = send("POST", "A", "/transactions/new",
                    CoinSelection.pay(secret, spent, Keys.address(Keys.fromSeed(SELLER)), PRICE, 0)).get("id");
            Object back = send("POST", "M", "/transactions/new", CoinSelection.pay(secret, spent, payer, held, 0)).get("id");
            if (!(paid instanceof String id) || !(back instanceof String)) {
                wrong.add("A or M gave a transaction no id");
                return null;
            }
            doubleSpend = (String) back;
            world.out().println(PAYER + " pays " + SELLER + " " + PRICE + " on A from her coin of " + held + ", with "
                    + (held - PRICE) + " back to her as change:");
            world.out().println("  " + PAYMENT + "  " + id);
            world.out().println("In secret, M mines from block 1 a fork that holds her double spend, the same coin"
                    + " all back to " + PAYER + ":");
            world.out().println("  " + DOUBLE_SPEND + "      " + doubleSpend);
            return id;
        }
        // end::double-spend[]

        @Override
        public Long mineOnFork() throws InterruptedException {
            return send("GET", "M", "/mine", null).get("index") instanceof Long index ? index : null;
        }

        /** M's fork is longer: A and B register M and resolve; the payment to 大華 is conflicted, and stays so. */
        @Override
        public Outcome publish(String id) throws InterruptedException {
            world.out().println(PAYER + "'s fork is longer than the honest chain: M publishes it, and A and B resolve.");
            for (String villager : List.of("A", "B")) resolveAgainstM(villager);
            for (String villager : List.of("A", "B")) conflicted(villager, id, PAYMENT, doubleSpend, DOUBLE_SPEND);
            Object index = send("GET", "A", "/mine", null).get("index");
            world.out().println("A mines block " + index + " on the chain it now holds, and the payment stays where it is:");
            conflicted("A", id, PAYMENT, doubleSpend, DOUBLE_SPEND); // for good: never pending again
            Object block = send("GET", "A", "/transactions/" + doubleSpend, null).get("block");
            if (!wrong.isEmpty()) return wentWrong(String.join("; ", wrong));
            world.out().println("Outcome: the attack succeeded. Her double spend holds the coin in block " + block
                    + "; the payment to " + SELLER + " is conflicted for good, and he has given away the jeans.");
            return Outcome.SUCCEEDED;
        }

        /** M fell too far behind: she gives up, and her node takes the honest chain, where her double spend is conflicted. */
        @Override
        public Outcome giveUp(Race race, String id) throws InterruptedException {
            if (!wrong.isEmpty()) return wentWrong(String.join("; ", wrong)); // a failed request is no failed attack
            world.out().println(PAYER + " is " + (race.honestBlocks() - race.attackerBlocks())
                    + " blocks behind and gives up; M registers A and resolves.");
            send("POST", "M", "/nodes/register", Map.of("nodes", List.of(story.url("A"))));
            Object message = send("GET", "M", "/nodes/resolve", null).get("message");
            world.out().println("  M: " + message);
            conflicted("M", doubleSpend, DOUBLE_SPEND, id, PAYMENT);
            Map<String, Object> payment = send("GET", "A", "/transactions/" + id, null);
            if (!wrong.isEmpty()) return wentWrong(String.join("; ", wrong));
            if (!"confirmed".equals(payment.get("status"))) return wentWrong("A's payment " + id + " is " + payment.get("status"));
            return failed(payment);
        }

        /** Asks {@code node} about transaction {@code id}, which must be conflicted by {@code winner}, and says what it answers. */
        private void conflicted(String node, String id, String what, String winner, String winnerName) throws InterruptedException {
            Map<String, Object> seen = send("GET", node, "/transactions/" + id, null);
            Object by = seen.get("conflicted_by");
            world.out().println("  " + node + ": " + what + " is " + seen.get("status")
                    + (by == null ? "" : ", by " + (winner.equals(by) ? winnerName : by)));
            if (!"conflicted".equals(seen.get("status")) || !winner.equals(by)) {
                wrong.add(node + ": " + what + " is " + seen.get("status") + ", not conflicted by " + winnerName);
            }
        }
    }

    /** A villager registers M and resolves: her longer fork must replace its chain. */
    private void resolveAgainstM(String villager) throws InterruptedException {
        send("POST", villager, "/nodes/register", Map.of("nodes", List.of(story.url("M"))));
        Object message = send("GET", villager, "/nodes/resolve", null).get("message");
        world.out().println("  " + villager + ": " + message);
        if (!"Our chain was replaced".equals(message)) wrong.add(villager + " kept its chain");
    }

    private Outcome failed(Map<String, Object> payment) {
        world.out().println("Outcome: the attack failed. A's chain holds the payment to " + SELLER + " in block "
                + payment.get("block") + ", with " + payment.get("confirmations") + " confirmations.");
        return Outcome.FAILED;
    }

    private Outcome wentWrong(String why) {
        world.out().println("NOT SO: " + why);
        return Outcome.WENT_WRONG;
    }

    /** Sends a request and answers its JSON object (empty when the answer is none); a failed request is noted as wrong. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> send(String method, String to, String path, Object body) throws InterruptedException {
        Story.Answer answer = story.exchange(method, to, path, body);
        if (answer.status() == 0 || answer.status() >= 400 || answer.json() == null) {
            wrong.add(method + " <" + to + ">" + path + ": " + (answer.status() == 0 ? answer.text()
                    : answer.json() == null ? answer.status() + ", not JSON" : answer.status()));
        }
        return (Map<String, Object>) answer.object();
    }
}

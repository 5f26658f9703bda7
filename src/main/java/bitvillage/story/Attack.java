package bitvillage.story;

import bitvillage.race.Race;
import bitvillage.stages.B13ProofOfWork.Blockchain;
import bitvillage.stages.B13ProofOfWork;
import bitvillage.stages.taught.BlockProof;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.mining.BlockMiner;
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
 * The book's supplement A, live: 小美 pays 大華 699, and her node M mines in secret a fork in which
 * the 699, under the same id, goes back to her. Villagers A and B are B13 nodes; M is a small server
 * of hers that answers {@code GET /chain} with her fork once she publishes it. Who finds each block
 * is drawn by {@link Race}'s seeded lottery, and whoever wins really mines it: A or B through
 * {@code /mine}, M on her own chain. Every node listens on a free port (standard error says which);
 * the story calls them {@code <A>}, {@code <B>} and {@code <M>}, so it reads the same on every computer.
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

    public static final List<Options.Option> OPTIONS = List.of(SHARE, CONFIRMATIONS, GIVE_UP, SEED, ZEROS);

    /** How a run ended. */
    public enum Outcome { SUCCEEDED, FAILED, WENT_WRONG }

    private final World world;
    private final Story story;
    private final int zeros;
    private final int confirmations;
    private final List<String> wrong = new ArrayList<>();

    private Attack(World world, PrintStream notices, int zeros, int confirmations) {
        this.world = world;
        this.story = new Story(world, notices, "attack", null, "Lesson"); // no --slow; its outcome is no checked step
        this.zeros = zeros;
        this.confirmations = confirmations;
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
        Attack attack = new Attack(world, notices, zeros, confirmations);
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

    private static long seed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageError("--seed takes a whole number, not '" + text + "'");
        }
    }

    private Outcome play(Race race, double share, int giveUp, long seed) throws InterruptedException {
        World nodeWorld = story.nodeWorld();
        String[] node = {"--port", "0", "--zeros", Integer.toString(zeros)};
        try (story) {
            story.onFreePort("A", "villager A", B13ProofOfWork.start(Options.parse(node, B13ProofOfWork.OPTIONS), nodeWorld));
            story.onFreePort("B", "villager B", B13ProofOfWork.start(Options.parse(node, B13ProofOfWork.OPTIONS), nodeWorld));
            story.startNodeM(nodeWorld);
            world.out().printf(Locale.ROOT, "The 51%% race, live: %s has %.0f%% of the hashing power; %s waits for %d"
                    + " confirmations;%n%s gives up %d blocks behind; the lottery's seed is %d; blocks need %d zeros.%n",
                    PAYER, share * 100, SELLER, confirmations, PAYER, giveUp, seed, zeros);
            return race(race);
        }
    }

    // tag::story[]
    /** Pays, then lets the lottery decide each block, and whoever wins it mines it; then the outcome. */
    private Outcome race(Race race) throws InterruptedException {
        send("POST", "A", "/nodes/register", Map.of("nodes", List.of(story.url("B"))));
        send("POST", "B", "/nodes/register", Map.of("nodes", List.of(story.url("A"))));
        Object paid = send("POST", "A", "/transactions/new",
                Map.of("sender", PAYER, "recipient", SELLER, "amount", PRICE)).get("id");
        if (!(paid instanceof String id)) return wentWrong("A gave the payment no id");
        world.out().println(PAYER + " pays " + SELLER + " " + PRICE + " on A. In secret, M mines from block 1 a fork"
                + " where the same id pays " + PAYER + ".");
        List<Map<String, Object>> fork = new ArrayList<>(List.of(BlockProof.genesis()));
        String mId = world.nodeIds().get(); // M's name in her own rewards
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
                fork.add(mineOnFork(fork, mId, fork.size() == 1 ? id : null));
                say("block " + fork.size() + ": " + PAYER + "'s node M finds it, on her secret fork", race);
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
        return race.gotAhead() ? publish(fork, id) : giveUp(race, id);
    }
    // end::story[]

    /** The next block of M's fork, mined as a B13 node mines: reward first, then (in her first block) the payment to herself. */
    private Map<String, Object> mineOnFork(List<Map<String, Object>> fork, String mId, String paymentId) {
        Map<String, Object> last = fork.get(fork.size() - 1);
        List<Map<String, Object>> transactions = new ArrayList<>();
        transactions.add(Blockchain.transaction(world.nodeIds().get(), "0", mId, 1L));
        if (paymentId != null) transactions.add(Blockchain.transaction(paymentId, PAYER, PAYER, PRICE));
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) fork.size() + 1);
        block.put("timestamp", Math.max(world.clock().getAsDouble(), ((Number) last.get("timestamp")).doubleValue()));
        block.put("transactions", transactions);
        block.put("nonce", 0L);
        block.put("previous_hash", BlockProof.hash(last));
        return BlockMiner.findNonce(block, zeros);
    }

    private void say(String found, Race race) {
        world.out().printf(Locale.ROOT, "[honest %2d, fork %2d] %s%n", race.honestBlocks(), race.attackerBlocks(), found);
    }

    /** M's fork is longer: she serves it, A and B register M and resolve; no chain may pay 大華 now. */
    private Outcome publish(List<Map<String, Object>> fork, String id) throws InterruptedException {
        world.out().println(PAYER + "'s fork is longer than the honest chain: M publishes it, and A and B resolve.");
        story.serve(fork);
        for (String villager : List.of("A", "B")) {
            send("POST", villager, "/nodes/register", Map.of("nodes", List.of(story.url("M"))));
            Object message = send("GET", villager, "/nodes/resolve", null).get("message");
            world.out().println("  " + villager + ": " + message);
            if (!"Our chain was replaced".equals(message)) wrong.add(villager + " kept its chain");
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
    private Outcome giveUp(Race race, String id) throws InterruptedException {
        if (!wrong.isEmpty()) return wentWrong(String.join("; ", wrong)); // a failed request is no failed attack
        world.out().println(PAYER + " is " + (race.honestBlocks() - race.attackerBlocks())
                + " blocks behind and gives up; her fork is never published.");
        Map<String, Object> payment = send("GET", "A", "/transactions/" + id, null);
        Object to = payment.get("transaction") instanceof Map<?, ?> transaction ? transaction.get("recipient") : null;
        if (!SELLER.equals(to) || !"confirmed".equals(payment.get("status"))) {
            return wentWrong("A's payment " + id + " is " + payment.get("status") + " to " + to);
        }
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

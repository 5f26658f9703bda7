package bitvillage.story;

import static bitvillage.story.Story.PAYER;
import static bitvillage.story.Story.PAYER_ADDRESS;
import static bitvillage.story.Story.PAYER_KEY;
import static bitvillage.story.Story.PRICE;
import static bitvillage.story.Story.SELLER;
import static bitvillage.story.Story.SELLER_ADDRESS;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.story.Story.Answer;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.village.Village;
import bitvillage.wallet.Pay;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stage B18's lesson under stress: a village cut in two, and healed. Five B18 villagers, A to E, in a
 * line; the link between B and C is cut the way Bitcoin Core's tests disconnect nodes, by making
 * each side forget the other ({@code POST /nodes/forget}). Both sides mine, the larger side more; a
 * payment confirms on the smaller side. Then B and C register each other again, and by announcements
 * alone (no resolve) all five come to hold the chain with the most work; the smaller side's payment,
 * whose coin the winning branch never spent, is back in its pool. The villagers listen on free ports
 * (standard error says which), called {@code <A>} ... {@code <E>}; each mines to the key of the seed
 * "villager X", so a block is shown by its height and its miner, the same on every computer.
 *
 * <p>With {@code --netns}, each villager is a process in a Linux network namespace of its own, and the cut
 * is real: nftables drops every packet between B and C, and neither is told. They stay neighbours, their
 * announcements to each other are lost, and when the link heals nothing crosses it until a villager has a
 * new block to announce: E mines one, and it carries the winning branch across.
 */
public final class Partition {
    public static final List<Options.Option> OPTIONS = List.of(Story.SLOW, Village.NETNS);

    /** The partition command: checked against the lesson. */
    public static final Story.Play PLAY = new Story.Play("partition", "Lesson",
            (story, options) -> new Partition(story, options.has(Village.NETNS.name())).play());

    static final int ZEROS = 3; // enough to be a proof, few enough to mine at once
    static final long FEE = 1;
    static final int VILLAGERS = 5;
    static final long HEAL_DEADLINE_MILLIS = 60_000; // on loopback it takes well under a second; a busy machine may be slow
    private static final List<Integer> SMALLER = List.of(0, 1); // A, B
    private static final List<Integer> LARGER = List.of(2, 3, 4); // C, D, E
    private static final List<Integer> EVERYONE = List.of(0, 1, 2, 3, 4);

    private final World world;
    private final Story story;
    private final Village village;

    private Partition(Story story, boolean inNamespaces) {
        this.world = story.world();
        this.story = story;
        List<String> villagerOptions = List.of("--zeros", "" + ZEROS);
        this.village = inNamespaces ? Village.startInNamespaces(VILLAGERS, Village.Topology.LINE, villagerOptions)
                : Village.start(VILLAGERS, Village.Topology.LINE, villagerOptions, story.nodeWorld());
        for (int i = 0; i < VILLAGERS; i++) {
            story.node(key(i), "villager " + key(i), village.url(i), "<" + key(i) + ">");
            story.notice("villager " + key(i) + " listens on " + village.url(i));
        }
    }

    private boolean play() throws InterruptedException {
        try (village; story) {
            introduce();
            story();
        }
        story.summarise("All " + story.checks() + " checks came out as the lesson says: each side of a cut goes on alone, and"
                + " once healed, the village holds the chain with the most work, by gossip alone.", "Not as the lesson says");
        return story.allAsSaid();
    }

    private void introduce() {
        PrintStream out = world.out();
        out.println("Stage B18, a partition: five villagers, A - B - C - D - E, each a neighbour of the next (registered both");
        if (village.inNamespaces()) {
            out.println("ways), " + ZEROS + " zeros, each a process in a Linux network namespace of its own, cabled to one bridge.");
            out.println("<A> ... <E> stand for their addresses (10.77.N.2 to .6, port 5000, given on standard error). Each");
        } else {
            out.println("ways), " + ZEROS + " zeros. <A> ... <E> stand for their addresses (free ports, given on standard error). Each");
        }
        out.println("mines to its own key, so a block is shown by its height and who mined it. Nobody calls /nodes/resolve:");
        out.println("blocks spread by announcements alone. Each step sends real requests, shows the answers and checks them.");
    }

    // tag::story[]
    /** The lesson in six steps: one village, the cut, a payment on the smaller side, both sides mine, the heal, the payment. */
    private void story() throws InterruptedException {
        story.step("1", "C mines block 2. C announces it to B and D, who fetch it and announce it on, to A and E.");
        send("GET", 2, "/mine", null);
        boolean spread = agree(EVERYONE, 2);
        story.expect("all five hold block 2, mined by C", tips(EVERYONE, spread, 2, 2));

        if (village.inNamespaces()) cutByNftables();
        else cutByForgetting();

        story.step("3", PAYER + " pays " + SELLER + " " + PRICE + " at A, on the smaller side, from her genesis coin; A mines block 3.");
        Map<String, Object> jeans = CoinSelection.pay(PAYER_KEY, Pay.spendable(story.exchange("GET", "A", "/coins/" + PAYER_ADDRESS, null).json()),
                SELLER_ADDRESS, PRICE, FEE);
        String jeansId = CoinTransaction.id(jeans);
        send("POST", 0, "/transactions/new", jeans);
        send("GET", 0, "/mine", null);
        boolean confirmedAcross = agree(SMALLER, 0);
        Answer atB = send("GET", 1, "/transactions/" + jeansId, null);
        story.expect("B holds the payment confirmed, in block 3, which A mined", Story.both(tips(SMALLER, confirmedAcross, 3, 0),
                Story.fields(atB, Map.of("status", "confirmed", "block", 3L))));

        story.step("4", "Both sides mine, the larger side more: B mines block 4; D, E and C mine blocks 3, 4 and 5.");
        send("GET", 1, "/mine", null);
        boolean smallerAgrees = agree(SMALLER, 1);
        boolean largerAgrees = true;
        for (int miner : List.of(3, 4, 2)) {
            send("GET", miner, "/mine", null);
            largerAgrees &= agree(LARGER, miner);
        }
        story.expect("two branches from block 2: A and B at block 4, mined by B; C, D and E at block 5, mined by C",
                Story.both(tips(SMALLER, smallerAgrees, 4, 1), tips(LARGER, largerAgrees, 5, 2)));

        if (village.inNamespaces()) healByNftables();
        else healByRegistering();

        story.step("6", "Where is " + PAYER + "'s payment now? Block 3 of A is on no villager's chain any more.");
        List<String> givenBack = new ArrayList<>();
        for (int villager : EVERYONE) {
            Answer payment = send("GET", villager, "/transactions/" + jeansId, null);
            if (SMALLER.contains(villager)) givenBack.addAll(Story.fields(payment, Map.of("status", "pending")));
            else if (payment.status() != 404) givenBack.add(key(villager) + " answered " + payment.status() + ", not 404");
        }
        story.expect("A and B gave it back to their pools, pending again: the winning branch never spent her genesis coin,"
                + " so it is still valid; C, D and E never heard of it", givenBack);

        PrintStream out = world.out();
        out.println();
        out.println("A cut village is two villages, each with its own chain; when it heals, the chain with the most work wins, and");
        out.println("what the losing branch confirmed is only pending again: a payment confirmed on the smaller side of a cut");
        out.println("was never safe. Had the winning branch spent the same coin, the payment would be conflicted, lost for good.");
    }

    /** Step 2 on loopback: B and C forget each other, as Bitcoin Core's tests disconnect nodes. */
    private void cutByForgetting() throws InterruptedException {
        story.step("2", "The link between B and C is cut: each forgets the other. {A, B} and {C, D, E} hear no more of each other.");
        Answer forgotByB = send("POST", 1, "/nodes/forget", Map.of("nodes", List.of(village.url(2))));
        Answer forgotByC = send("POST", 2, "/nodes/forget", Map.of("nodes", List.of(village.url(1))));
        List<String> cut = new ArrayList<>();
        if (!List.of("<A>").equals(forgotByB.get("total_nodes"))) cut.add("B's neighbours are " + forgotByB.get("total_nodes"));
        if (!List.of("<D>").equals(forgotByC.get("total_nodes"))) cut.add("C's neighbours are " + forgotByC.get("total_nodes"));
        story.expect("B's only neighbour is A, and C's only neighbour is D", cut);
    }

    /** Step 5 on loopback: B and C register each other again, and greet each other with their tips. */
    private void healByRegistering() throws InterruptedException {
        story.step("5", "The cut heals: B and C register each other again. Each greets the other with its tip, fetches what it lacks");
        world.out().println("from it, and takes the branch with the most work; B passes the winning blocks on to A.");
        send("POST", 1, "/nodes/register", Map.of("nodes", List.of(village.url(2))));
        send("POST", 2, "/nodes/register", Map.of("nodes", List.of(village.url(1))));
        boolean healed = agree(EVERYONE, 2);
        story.expect("all five hold C's block 5 (5 blocks of work, not 4), with no resolve called", tips(EVERYONE, healed, 5, 2));
    }
    // end::story[]

    // tag::netns[]
    /** Step 2 in namespaces: nftables drops every packet between B's cable and C's. Nobody tells B or C. */
    private void cutByNftables() throws InterruptedException {
        story.step("2", "The cable between B and C is cut: nftables on the bridge drops every packet between them, both ways.");
        world.out().println("Nobody tells B or C. {A, B} and {C, D, E} hear no more of each other.");
        village.cut(1, 2);
        world.out().println("  (nft: B <-> C dropped)");
        Answer atB = send("GET", 1, "/nodes", null);
        Answer atC = send("GET", 2, "/nodes", null);
        List<String> unaware = new ArrayList<>();
        if (!List.of("<A>", "<C>").equals(neighbours(atB))) unaware.add("B's neighbours are " + neighbours(atB));
        if (!List.of("<B>", "<D>").equals(neighbours(atC))) unaware.add("C's neighbours are " + neighbours(atC));
        story.expect("B and C still count each other as neighbours: a lost packet says nothing", unaware);
    }

    /**
     * Step 5 in namespaces: the rule comes off. B and C never knew they were cut, so they have nothing to
     * greet each other with; the next block announced carries the winning branch across.
     */
    private void healByNftables() throws InterruptedException {
        story.step("5", "The cable heals: nftables lets packets between B and C through again. Neither is told, and neither");
        world.out().println("has news to announce: the village stays split until E mines block 6. E announces it to D, D to C, and C to B,");
        world.out().println("who fetches it and its parents from C and takes the branch with the most work; B passes it on to A.");
        village.heal(1, 2);
        world.out().println("  (nft: B <-> C let through)");
        send("GET", 4, "/mine", null);
        boolean healed = agree(EVERYONE, 4);
        story.expect("all five hold E's block 6 (6 blocks of work), with no resolve called", tips(EVERYONE, healed, 6, 4));
    }
    // end::netns[]

    /** The addresses a {@code GET /nodes} answer lists, in its order. */
    private static List<Object> neighbours(Answer answer) {
        List<Object> addresses = new ArrayList<>();
        for (Object node : answer.list("nodes")) if (node instanceof Map<?, ?> entry) addresses.add(entry.get("address"));
        return addresses;
    }

    /** Waits until these villagers hold the same tip as the first of them and {@code miner} mined it: true if in time. */
    private boolean agree(List<Integer> villagers, int miner) throws InterruptedException {
        long deadline = System.currentTimeMillis() + HEAL_DEADLINE_MILLIS;
        while (System.currentTimeMillis() < deadline && village.whyStopped() == null) {
            List<Map<?, ?>> tips = new ArrayList<>();
            for (int villager : villagers) tips.add(tip(villager));
            boolean same = tips.stream().allMatch(tip -> tip != null && BlockProof.hash(cast(tip)).equals(BlockProof.hash(cast(tips.get(0)))));
            if (same && key(miner).equals(minerOf(tips.get(0)))) return true;
            Thread.sleep(50); // a poll, not a wait for the answer: we stop as soon as they agree
        }
        return false;
    }

    /** Prints each villager's tip; the differences from "each at block {@code height}, mined by {@code miner}". */
    private List<String> tips(List<Integer> villagers, boolean agreedInTime, long height, int miner) throws InterruptedException {
        List<String> differences = new ArrayList<>();
        if (village.whyStopped() != null) differences.add(village.whyStopped());
        else if (!agreedInTime) differences.add("they did not agree within " + HEAL_DEADLINE_MILLIS / 1000 + " s");
        for (int villager : villagers) {
            Map<?, ?> tip = tip(villager);
            String shown = tip == null ? "no answer" : "block " + tip.get("index") + ", mined by " + minerOf(tip);
            world.out().println("  " + key(villager) + "'s tip: " + shown);
            if (!shown.equals("block " + height + ", mined by " + key(miner))) differences.add(key(villager) + "'s tip is " + shown);
        }
        return differences;
    }

    /** The last block of the villager's chain, or null. */
    private Map<?, ?> tip(int villager) throws InterruptedException {
        List<?> chain = story.exchange("GET", key(villager), "/chain", null).list("chain");
        return chain.isEmpty() ? null : (Map<?, ?>) chain.get(chain.size() - 1);
    }

    /** Who a block's reward pays, by the villagers' keys; genesis pays nobody. */
    private static String minerOf(Map<?, ?> block) {
        List<?> transactions = (List<?>) block.get("transactions");
        Map<?, ?> reward = (Map<?, ?>) transactions.get(0);
        Object address = ((Map<?, ?>) ((List<?>) reward.get("outputs")).get(0)).get("address");
        for (int i = 0; i < VILLAGERS; i++) {
            if (Keys.address(Keys.fromSeed("villager " + key(i))).equals(address)) return key(i);
        }
        return "nobody here";
    }

    @SuppressWarnings("unchecked") // a JSON object's keys are strings
    private static Map<String, Object> cast(Map<?, ?> block) {
        return (Map<String, Object>) block;
    }

    private static String key(int villager) {
        return Village.name(villager);
    }

    /** Sends a request to a villager, prints it and the gist of the answer. */
    private Answer send(String method, int to, String path, Object body) throws InterruptedException {
        return story.told(method, key(to), path, body, Partition::gist);
    }

    private static String gist(Answer answer) {
        if (answer.get("error") != null) return ": " + answer.get("error");
        if ("New Block Forged".equals(answer.get("message"))) return ": block " + answer.get("index");
        if (answer.get("nodes") instanceof List<?>) return ": neighbours " + neighbours(answer).stream().map(Object::toString)
                .collect(Collectors.joining(", "));
        if (answer.get("total_nodes") != null) {
            return ": " + answer.get("message") + "; neighbours " + answer.list("total_nodes").stream().map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (answer.get("status") != null) {
            return ": " + answer.get("status") + (answer.get("block") == null ? "" : ", in block " + answer.get("block"));
        }
        if (answer.get("message") != null) return ": " + answer.get("message") + (answer.get("id") == null ? "" : "; id " + answer.get("id"));
        return "";
    }
}

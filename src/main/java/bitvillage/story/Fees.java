package bitvillage.story;

import static bitvillage.story.Story.oneLine;

import bitvillage.stages.B15FullPool;
import bitvillage.story.Story.Answer;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lessons of stages B14 and B15, played by themselves: the book's 補充學習 B, the miner's pool.
 * Villagers pay on node A with various fees; A's mempool shows its projected blocks; A mines, and its
 * block holds exactly the projected payments, its reward 1 plus their fees; the payment with no fee
 * waits for a later block; and B, a node with a small mempool, evicts the cheapest payment when a
 * better one comes. The projection, the payer's own id and the full mempool are B15's, so both are
 * real B15 nodes on free ports (standard error says which); the story calls them {@code <A>} and
 * {@code <B>}.
 */
public final class Fees {
    public static final List<Options.Option> OPTIONS = List.of(Story.SLOW);

    /** The fees command: checked against the lesson. */
    public static final Story.Play PLAY = new Story.Play("fees", "Lesson", (story, options) -> new Fees(story).play());

    static final int ZEROS = 3; // enough to be a proof, few enough to mine at once
    static final int BLOCK_BYTES = 500; // four small payments fill a block
    static final int SMALL_MEMPOOL = 1_000; // B's: two blocks

    private final World world;
    private final Story story;
    private final Map<String, String> who = new LinkedHashMap<>(); // payment id -> "小美 -> 大華"

    private Fees(Story story) {
        this.world = story.world();
        this.story = story;
    }

    private boolean play() throws InterruptedException {
        World nodeWorld = story.nodeWorld();
        String[] a = {"--port", "0", "--zeros", "" + ZEROS, "--block-bytes", "" + BLOCK_BYTES};
        String[] b = {"--port", "0", "--zeros", "" + ZEROS, "--block-bytes", "" + BLOCK_BYTES,
                "--mempool-bytes", "" + SMALL_MEMPOOL};
        try (story) {
            story.onFreePort("A", "villager A", B15FullPool.start(Options.parse(a, B15FullPool.OPTIONS), nodeWorld));
            story.onFreePort("B", "villager B", B15FullPool.start(Options.parse(b, B15FullPool.OPTIONS), nodeWorld));
            introduce();
            story();
        }
        story.summarise("All " + story.checks() + " checks came out as the lesson says: the miner reads the fee rate, and nobody's"
                + " payment is lost.", "Not as the lesson says");
        return story.allAsSaid();
    }

    private void introduce() {
        PrintStream out = world.out();
        out.println("Stages B14 and B15, the miner's pool: fees, fee rates, full blocks, a full mempool (the book's 補充學習 B).");
        out.println("A and B run B15 nodes: blocks of at most " + BLOCK_BYTES + " bytes of payments, " + ZEROS
                + " zeros; B's mempool holds");
        out.println("only " + SMALL_MEMPOOL + " bytes. <A> and <B> stand for their addresses (free ports, given on standard error).");
        out.println("Each step sends real requests, shows the answers and checks them against the lesson.");
    }

    // tag::story[]
    /** The lesson in five steps: pay with fees, read the projected blocks, mine twice, fill a small mempool. */
    private void story() throws InterruptedException {
        story.step("1", "Villagers pay on A, each with a fee for the miner. 村長's payment is large (a long name) and"
                + " pays the top fee; 阿嬤 pays none.");
        for (String payer : List.of("小美", "阿明", "阿花", "阿志")) pay("A", payer, "大華", 20, 6);
        String large = pay("A", "村長", "比特村冬季柴火共同採購基金", 300, 8);
        String free = pay("A", "阿嬤", "大華", 1, 0);
        String mine = "0123456789abcdef0123456789abcdef";
        sendPayment("A", mine, "小美", "阿明", 5, 2, "小美 names her payment's id herself, so that a retry is safe:");
        Answer retried = sendPayment("A", mine, "小美", "阿明", 5, 2, "Her answer was lost; she sends it again:");
        story.expect("the retry under 小美's own id is not queued twice: 200, already pending",
                retried.status() == 200 ? List.of() : List.of("status " + retried.status()));

        story.step("2", "A's mempool, in the order the miner takes it: fee rate first (fee per byte), not fee.");
        Answer pending = showPending("A");
        List<?> entries = pending.list("pending");
        List<String> problems = new ArrayList<>();
        if (entries.size() != 7) problems.add(entries.size() + " payments pending, not 7");
        for (Object item : entries) {
            Map<?, ?> entry = (Map<?, ?>) item;
            if (large.equals(entry.get("id")) && !Long.valueOf(3).equals(entry.get("projected_block"))) {
                problems.add("村長's payment is not projected for block 3");
            }
        }
        long byRate = takings(entries, true);
        long byFee = takings(entries, false);
        world.out().println("The next block, 2, filled by fee rate earns the miner " + byRate + " in fees; highest fee first,"
                + " it would earn " + byFee + ".");
        if (byRate <= byFee) problems.add("fee rate does not earn more");
        story.expect("the four small payments fill block 2; 村長's top fee waits for block 3: its bytes would hold more fees",
                problems);

        story.step("3", "A mines a block.");
        Answer mined = send("GET", "A", "/mine", null);
        story.expect("the block holds exactly the payments projected for it, and the reward is 1 plus their fees",
                minedAsProjected(mined, entries, 2));

        story.step("4", "阿嬤's payment, with no fee, waited. A mines again.");
        Answer waiting = send("GET", "A", "/transactions/" + free, null);
        Answer second = send("GET", "A", "/mine", null);
        Answer now = send("GET", "A", "/transactions/" + free, null);
        List<String> later = new ArrayList<>(minedAsProjected(second, entries, 3));
        if (!"pending".equals(waiting.get("status"))) later.add("阿嬤's payment was not pending before");
        if (!Long.valueOf(3).equals(now.get("block"))) later.add("阿嬤's payment is not in block 3");
        story.expect("block 3 holds 村長's, 阿嬤's and 小美's other payment: the wait is over, nobody was lost", later);

        story.step("5", "B's mempool holds " + SMALL_MEMPOOL + " bytes. Eight payments of fee 1 fill it; then 村民9 pays"
                + " fee 1 too, and then the fee B asks.");
        List<String> cheap = new ArrayList<>();
        for (int i = 1; i <= 8; i++) cheap.add(pay("B", "村民" + i, "大華", 10, 1));
        Answer refused = sendPayment("B", null, "村民9", "大華", 10, 1, null);
        Answer better = sendPayment("B", null, "村民9", "大華", 10, feeToPay(refused), null);
        String last = cheap.get(cheap.size() - 1);
        Answer evicted = send("GET", "B", "/transactions/" + last, null);
        List<String> full = new ArrayList<>();
        if (refused.status() != 503) full.add("the payment of fee 1 was not refused with 503");
        if (better.status() != 201) full.add("the payment of fee " + feeToPay(refused) + " was not queued");
        if (!"evicted".equals(evicted.get("status"))) full.add("村民8's payment is not evicted");
        story.expect("full: fee 1 is refused (503) with the fee to pay; that fee enters and evicts the cheapest,"
                + " the last of the fee-1 payments, whose id says so", full);
    }
    // end::story[]

    /** What the next block would earn from these payments, filled by fee rate or by fee, gaps filled either way. */
    private static long takings(List<?> entries, boolean byRate) {
        List<Map<?, ?>> order = new ArrayList<>();
        for (Object entry : entries) order.add((Map<?, ?>) entry);
        if (!byRate) order.sort((one, other) -> Long.compare((long) other.get("fee"), (long) one.get("fee"))); // stable: ties by rate
        long room = BLOCK_BYTES;
        long fees = 0;
        for (Map<?, ?> entry : order) {
            long bytes = (long) entry.get("bytes");
            if (bytes <= room) {
                room -= bytes;
                fees += (long) entry.get("fee");
            }
        }
        return fees;
    }

    /** The mined block holds the payments projected for this block (its index), and the reward is 1 plus their fees. */
    private List<String> minedAsProjected(Answer mined, List<?> entries, long block) {
        List<String> problems = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        long fees = 0;
        for (Object item : entries) {
            Map<?, ?> entry = (Map<?, ?>) item;
            if (Long.valueOf(block).equals(entry.get("projected_block"))) {
                expected.add(entry.get("id"));
                fees += (long) entry.get("fee");
            }
        }
        List<?> held = mined.list("transactions");
        if (held.isEmpty()) return List.of("no block was mined");
        List<Object> ids = new ArrayList<>();
        for (Object transaction : held.subList(1, held.size())) ids.add(((Map<?, ?>) transaction).get("id"));
        if (!ids.equals(expected)) problems.add("the block holds " + ids.size() + " payments, not the " + expected.size() + " projected");
        Object reward = ((Map<?, ?>) held.get(0)).get("amount");
        world.out().println("  the reward: " + reward + " = 1 + " + fees + " in fees");
        if (!Long.valueOf(1 + fees).equals(reward)) problems.add("the reward is " + reward + ", not " + (1 + fees));
        return problems;
    }

    private static long feeToPay(Answer refused) {
        return refused.get("fee_to_pay") instanceof Long fee ? fee : 2;
    }

    // --- requests and checks ---------------------------------------------------------------------

    private String pay(String to, String sender, String recipient, long amount, long fee) throws InterruptedException {
        Answer answer = sendPayment(to, null, sender, recipient, amount, fee, null);
        return answer.get("id") instanceof String id ? id : "(no id)";
    }

    private Answer sendPayment(String to, String id, String sender, String recipient, long amount, long fee, String note)
            throws InterruptedException {
        Map<String, Object> payment = new LinkedHashMap<>();
        if (id != null) payment.put("id", id);
        payment.put("sender", sender);
        payment.put("recipient", recipient);
        payment.put("amount", amount);
        payment.put("fee", fee);
        if (note != null) world.out().println(note);
        Answer answer = send("POST", to, "/transactions/new", payment);
        if (answer.get("id") instanceof String given) who.put(given, sender + " -> " + recipient);
        return answer;
    }

    private Answer showPending(String at) throws InterruptedException {
        Answer answer = send("GET", at, "/transactions/pending", null);
        world.out().println("  projected_block  fee  bytes  fee_rate  payment");
        for (Object item : answer.list("pending")) {
            Map<?, ?> entry = (Map<?, ?>) item;
            world.out().println(String.format("  %-15s  %3s  %5s  %-8s  %s", entry.get("projected_block"), entry.get("fee"),
                    entry.get("bytes"), entry.get("fee_rate"), who.getOrDefault(String.valueOf(entry.get("id")), "?")));
        }
        return answer;
    }

    /** Sends a request, prints it and the gist of the answer, one line each. */
    private Answer send(String method, String to, String path, Object body) throws InterruptedException {
        world.out().println(method + " <" + to + ">" + path + (body == null ? "" : " " + oneLine(body)));
        Answer answer = story.exchange(method, to, path, body);
        world.out().println("  " + answer.statusLine() + gist(answer));
        return answer;
    }

    private static String gist(Answer answer) {
        if (answer.get("error") != null) {
            return ": " + answer.get("error") + (answer.get("fee_to_pay") == null ? "" : " (fee to pay: " + answer.get("fee_to_pay") + ")");
        }
        if ("New Block Forged".equals(answer.get("message"))) {
            int held = answer.list("transactions").size();
            return ": block " + answer.get("index") + ", the reward and " + (held - 1) + (held == 2 ? " payment" : " payments");
        }
        if (answer.get("message") != null) return ": " + answer.get("message");
        if (answer.get("status") != null) {
            return ": " + answer.get("status") + (answer.get("block") != null ? ", in block " + answer.get("block")
                    : answer.get("projected_block") != null ? ", projected for block " + answer.get("projected_block") : "");
        }
        if (answer.get("pending") != null) {
            return ": " + answer.list("pending").size() + " payments, " + answer.get("bytes") + " bytes";
        }
        return "";
    }
}

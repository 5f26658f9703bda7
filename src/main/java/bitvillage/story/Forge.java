package bitvillage.story;

import static bitvillage.story.Story.PAYER;
import static bitvillage.story.Story.PRICE;
import static bitvillage.story.Story.SELLER;
import static bitvillage.story.Story.both;
import static bitvillage.story.Story.fields;
import static bitvillage.story.Story.oneLine;

import bitvillage.stages.B12Confirmations;
import bitvillage.story.Story.Answer;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage B12's lesson, played by itself: a payment with six confirmations, and 小美 taking it back
 * without mining a single nonce. Villagers A and B are B12 nodes; 小美's node M is a small server
 * that answers {@code GET /chain} with whatever chain she writes, which is all a neighbour is to
 * B10's consensus. Every node listens on a free port (standard error says which); the story calls
 * them {@code <A>}, {@code <B>} and {@code <M>}, so that it reads the same on every computer.
 */
public final class Forge {
    public static final List<Options.Option> OPTIONS = List.of(Story.SLOW);

    /** The forge command: checked against the lesson. */
    public static final Story.Play PLAY = new Story.Play("forge", "Lesson", (story, options) -> new Forge(story).play());

    static final int ZEROS = 4; // the book's difficulty: the nonces are the book's 35293, 35089, ...

    private final World world;
    private final Story story;

    private Forge(Story story) {
        this.world = story.world();
        this.story = story;
    }

    private boolean play() throws InterruptedException {
        World nodeWorld = story.nodeWorld();
        String[] freePort = {"--port", "0"};
        try (story) {
            story.onFreePort("A", "villager A", B12Confirmations.start(Options.parse(freePort, B12Confirmations.OPTIONS), nodeWorld));
            story.onFreePort("B", "villager B", B12Confirmations.start(Options.parse(freePort, B12Confirmations.OPTIONS), nodeWorld));
            story.startNodeM(nodeWorld);
            introduce();
            story();
        }
        story.summarise("All " + story.checks() + " checks came out as the lesson says: six confirmations, undone at no work.",
                "Not as the lesson says");
        return story.allAsSaid();
    }

    private void introduce() {
        PrintStream out = world.out();
        out.println("Stage B12, the forger: a payment with six confirmations, taken back without mining.");
        out.println("Villagers A and B run B12 nodes; " + PAYER + "'s node M is a small server of hers that answers");
        out.println("GET /chain with the chain she writes. <A>, <B> and <M> stand for their addresses (free ports");
        out.println("of this computer, given on standard error). Each step sends real requests, shows the answers");
        out.println("(in short where they are long) and checks them against the lesson.");
    }

    // tag::story[]
    /** The lesson in four steps: pay, confirm six times, rewrite without work, watch both villagers adopt it. */
    private void story() throws InterruptedException {
        story.step("1", "A and B know each other. " + PAYER + " pays " + SELLER + " " + PRICE + " for the jeans on A,"
                + " and A and B mine six blocks in turn.");
        send("POST", "A", "/nodes/register", Map.of("nodes", List.of(story.url("B"))));
        send("POST", "B", "/nodes/register", Map.of("nodes", List.of(story.url("A"))));
        Answer paid = send("POST", "A", "/transactions/new", Map.of("sender", PAYER, "recipient", SELLER, "amount", PRICE));
        String id = paid.get("id") instanceof String text ? text : "(no id)";
        List<String> turns = List.of("A", "B", "A", "B", "A", "B");
        for (int i = 0; i < turns.size(); i++) {
            if (i > 0) send("GET", turns.get(i), "/nodes/resolve", null); // take the other's newest block first
            send("GET", turns.get(i), "/mine", null);
        }
        send("GET", "A", "/nodes/resolve", null);
        List<Map<String, Object>> honest = chainOf("B");
        story.expect("A and B hold the same 7 blocks, and block 2 holds the payment", same(chainOf("A"), honest, 7,
                paysSeller(honest) == 2 ? List.of() : List.of("no block 2 pays " + SELLER + " " + PRICE)));
        if (honest.size() != 7) return; // the rest of the story rewrites those 7 blocks

        story.step("2", SELLER + " asks B where the payment is.");
        Answer confirmed = sendShowingAll("GET", "B", "/transactions/" + id);
        story.expect("confirmed in block 2, with 6 confirmations (block 2 and five after it): "
                + SELLER + " hands over the jeans", whereabouts(confirmed, 2, 6, SELLER));

        story.step("3a", PAYER + " copies the chain. What if she just dropped the payment?");
        List<Map<String, Object>> dropped = copyOf(honest);
        transactions(dropped.get(1)).removeIf(transaction -> id.equals(transaction.get("id")));
        double honestLastTime = lastTime(honest);
        dropped.get(6).put("timestamp", honestLastTime - 1); // a second earlier: it wins the tie
        relink(dropped);
        story.serve(dropped);
        world.out().println("M serves the chain without the payment, relinked, its last block a second earlier.");
        send("POST", "A", "/nodes/register", Map.of("nodes", List.of(story.url("M"))));
        send("GET", "A", "/nodes/resolve", null);
        Answer pendingAgain = sendShowingAll("GET", "A", "/transactions/" + id);
        story.expect("A adopted it, and the payment is pending again: A's next block would hold it, and "
                + SELLER + " would be paid after all", both(
                        fields(pendingAgain, Map.of("status", "pending")), pays(pendingAgain, SELLER)));

        // In this village an id is a label the node drew, not a hash of the payment, so she can keep it.
        story.step("3b", PAYER + " rewrites the payment instead, keeping its id (here a label, not the payment's"
                + " hash); she searches no nonce.");
        List<Map<String, Object>> forged = copyOf(honest);
        // tag::rewrite[]
        for (Map<String, Object> transaction : transactions(forged.get(1))) {
            if (id.equals(transaction.get("id"))) transaction.put("recipient", PAYER); // 699 from 小美 to 小美
        }
        forged.get(6).put("timestamp", honestLastTime - 2); // earlier than every chain A and B hold
        relink(forged); // every previous_hash again; every nonce as it was
        // end::rewrite[]
        showRewrite(honest, forged);
        story.serve(forged);
        String invalid = B12Confirmations.whyInvalid(forged, ZEROS);
        story.expect("the rewritten chain passes every check a node makes, though not one nonce was searched",
                invalid == null ? List.of() : List.of("invalid: " + invalid));

        story.step("4", "A and B resolve against M.");
        send("POST", "B", "/nodes/register", Map.of("nodes", List.of(story.url("M"))));
        Answer atA = send("GET", "A", "/nodes/resolve", null);
        Answer atB = send("GET", "B", "/nodes/resolve", null);
        Answer rewritten = sendShowingAll("GET", "B", "/transactions/" + id);
        Answer atAToo = send("GET", "A", "/transactions/" + id, null);
        List<String> differences = new ArrayList<>(fields(atA, Map.of("message", "Our chain was replaced")));
        differences.addAll(fields(atB, Map.of("message", "Our chain was replaced")));
        differences.addAll(whereabouts(rewritten, 2, 6, PAYER));
        differences.addAll(whereabouts(atAToo, 2, 6, PAYER));
        for (String villager : List.of("A", "B")) {
            if (paysSeller(chainOf(villager)) > 0) differences.add(villager + "'s chain still pays " + SELLER);
        }
        story.expect("both replaced their chain; the payment's id now shows " + PAYER + " -> " + PAYER
                + ", 6 confirmations; no chain pays " + SELLER + " " + PRICE + " and no node has it pending", differences);

        showWork(honest);
    }
    // end::story[]

    // tag::relink[]
    /** Links every block after the first to the hash of the block before it again; no nonce changes. */
    static void relink(List<Map<String, Object>> chain) {
        for (int i = 1; i < chain.size(); i++) {
            chain.get(i).put("previous_hash", B12Confirmations.Blockchain.hash(chain.get(i - 1)));
        }
    }
    // end::relink[]

    /** What 小美 changed, block by block, and that each kept nonce still fits the one before it. */
    private void showRewrite(List<Map<String, Object>> honest, List<Map<String, Object>> forged) {
        PrintStream out = world.out();
        out.println("block 2: the payment now reads " + oneLine(withoutId(transactions(forged.get(1)).get(0))));
        for (int i = 1; i < forged.size(); i++) {
            long lastNonce = (long) forged.get(i - 1).get("nonce");
            long nonce = (long) forged.get(i).get("nonce");
            String link = forged.get(i).get("previous_hash").equals(honest.get(i).get("previous_hash"))
                    ? "previous_hash as it was (block 1 is unchanged)"
                    : "previous_hash " + shortHash(honest.get(i)) + " -> " + shortHash(forged.get(i));
            out.println("block " + (i + 1) + ": " + link + ", nonce " + nonce + " kept, still fits " + lastNonce + ": "
                    + B12Confirmations.Blockchain.validNonce(lastNonce, nonce, ZEROS));
        }
        out.println("block 7: timestamp " + PyJson.dumps(honest.get(6).get("timestamp")) + " -> "
                + PyJson.dumps(forged.get(6).get("timestamp")) + ", two seconds earlier");
        out.println("M serves the rewritten chain.");
    }

    /** The work behind the honest chain against the forger's: nonces tried. */
    private void showWork(List<Map<String, Object>> honest) {
        PrintStream out = world.out();
        List<String> terms = new ArrayList<>();
        long tried = 0;
        for (Map<String, Object> block : honest.subList(1, honest.size())) {
            long nonce = (long) block.get("nonce");
            tried += nonce + 1; // findNonce tries 0, 1, ..., nonce
            terms.add(Long.toString(nonce + 1));
        }
        out.println();
        out.println("Work done, as nonces tried:");
        out.println("  A and B, mining blocks 2 to 7: " + String.join(" + ", terms) + " = " + tried);
        // Her code above calls findNonce nowhere: she keeps each nonce and computes one hash per block.
        out.println("  " + PAYER + ", rewriting blocks 2 to 7: 0 (and 6 hashes, to link them again)");
        out.println("The book's puzzle links only nonces, so the honest chain's nonces fit her chain as well, and");
        out.println("the tie goes to the earlier last block, whose time anyone may write. Six confirmations cost");
        out.println("her nothing. B13 makes each nonce cover the whole block, so a rewrite means mining again.");
        out.println("Nothing here checks who may pay in a name, or whether the payer has the coins. B16 checks");
        out.println("both, with signatures and balances (play the signatures story); Bitcoin spends earlier outputs,");
        out.println("B17's lesson: see Jimmy Song, Programming Bitcoin (ch. 3, signatures; ch. 5 and 7, transactions).");
    }

    // --- requests and checks ---------------------------------------------------------------------

    /** Sends a request, prints it and the answer in one line each. */
    private Answer send(String method, String to, String path, Object body) throws InterruptedException {
        world.out().println(method + " <" + to + ">" + path + (body == null ? "" : " " + story.named(oneLine(body))));
        Answer answer = story.exchange(method, to, path, body);
        world.out().println("  " + answer.statusLine() + in(answer));
        return answer;
    }

    /** Sends a GET and prints the whole answer. */
    private Answer sendShowingAll(String method, String to, String path) throws InterruptedException {
        world.out().println(method + " <" + to + ">" + path);
        Answer answer = story.exchange(method, to, path, null);
        world.out().println(answer.statusLine());
        world.out().println(answer.text().stripTrailing());
        return answer;
    }

    /** The gist of an answer: what a reader looks for in it. */
    private String in(Answer answer) {
        if (answer.get("error") != null) return ": " + answer.get("error");
        if (answer.get("total_nodes") instanceof List<?> nodes) return ": neighbours " + story.named(oneLine(nodes));
        if ("New Block Forged".equals(answer.get("message"))) {
            int held = ((List<?>) answer.get("transactions")).size();
            return ": block " + answer.get("index") + ", nonce " + answer.get("nonce") + ", "
                    + held + (held == 1 ? " transaction" : " transactions");
        }
        Object chain = answer.get("new_chain") != null ? answer.get("new_chain") : answer.get("chain");
        if (answer.get("neighbours") != null && chain instanceof List<?> blocks) {
            // Whose chain it is, not which neighbour was adopted: two neighbours may hold the same
            // chain, and then their addresses, which change from run to run, decide.
            boolean ms = PyJson.dumps(chain).equals(PyJson.dumps(story.servedChain()));
            return ": " + answer.get("message") + ", " + blocks.size() + " blocks" + (ms ? ", the chain M serves" : "");
        }
        if (answer.get("message") != null) return ": " + answer.get("message") + (answer.get("id") == null ? ""
                : ", id " + answer.get("id"));
        if (answer.get("status") != null) return ": " + answer.get("status");
        return "";
    }

    /** A villager's chain, read quietly (not part of the story). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> chainOf(String villager) throws InterruptedException {
        Object chain = story.exchange("GET", villager, "/chain", null).get("chain");
        return chain instanceof List<?> ? (List<Map<String, Object>>) chain : List.of();
    }

    /** The answer of GET /transactions/<id>: confirmed in this block, with this many confirmations, paying this villager. */
    private static List<String> whereabouts(Answer answer, long block, long confirmations, String recipient) {
        return both(fields(answer, Map.of("status", "confirmed", "block", block, "confirmations", confirmations)),
                pays(answer, recipient));
    }

    private static List<String> pays(Answer answer, String recipient) {
        Map<?, ?> transaction = answer.get("transaction") instanceof Map<?, ?> map ? map : Map.of();
        boolean as = PAYER.equals(transaction.get("sender")) && recipient.equals(transaction.get("recipient"))
                && Long.valueOf(PRICE).equals(transaction.get("amount"));
        return as ? List.of() : List.of("the transaction is not " + PAYER + " -> " + recipient + " " + PRICE);
    }

    private static List<String> same(List<Map<String, Object>> one, List<Map<String, Object>> other, int length,
            List<String> more) {
        List<String> differences = new ArrayList<>();
        if (one.size() != length || other.size() != length) differences.add("the chains do not have " + length + " blocks");
        else if (!PyJson.dumps(one).equals(PyJson.dumps(other))) differences.add("A's chain is not B's");
        differences.addAll(more);
        return differences;
    }

    /** The index of the block that pays the seller the price, or 0. */
    private static long paysSeller(List<Map<String, Object>> chain) {
        for (Map<String, Object> block : chain) {
            for (Map<String, Object> transaction : transactions(block)) {
                if (SELLER.equals(transaction.get("recipient")) && Long.valueOf(PRICE).equals(transaction.get("amount"))) {
                    return (long) block.get("index");
                }
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> transactions(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    /** A deep copy, as JSON: the copy shares nothing with the chain it came from. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> copyOf(List<Map<String, Object>> chain) {
        return new ArrayList<>((List<Map<String, Object>>) PyJson.loads(PyJson.dumps(chain)));
    }

    private static double lastTime(List<Map<String, Object>> chain) {
        return chain.isEmpty() ? 0 : ((Number) chain.get(chain.size() - 1).get("timestamp")).doubleValue();
    }

    private static String shortHash(Map<String, Object> block) {
        Object hash = block.get("previous_hash");
        return hash instanceof String text ? text.substring(0, 12) + "…" : String.valueOf(hash);
    }

    private static Map<String, Object> withoutId(Map<String, Object> transaction) {
        Map<String, Object> shown = new LinkedHashMap<>(transaction);
        shown.remove("id");
        return shown;
    }
}

package bitvillage.story;

import static bitvillage.story.Story.PAYER;
import static bitvillage.story.Story.PAYER_ADDRESS;
import static bitvillage.story.Story.PAYER_KEY;
import static bitvillage.story.Story.PRICE;
import static bitvillage.story.Story.SELLER;
import static bitvillage.story.Story.SELLER_ADDRESS;
import static bitvillage.story.Story.SELLER_KEY;
import static bitvillage.story.Story.answered;
import static bitvillage.story.Story.refused;

import bitvillage.stages.B16SignedPayments;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.story.Story.Answer;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage B16's lesson, played by itself: the book's B-1 promise, 「雙方都無法耍賴」, kept by signatures.
 * 小美 mines and owns her reward; she pays 大華 699, signed; 大華 cannot pay in her name, nobody can
 * change the amount on the way, a replay is the same payment, a second payment with her sequence is
 * a double spend caught in the pool, and she cannot spend more than she has. Villager A mines to
 * 小美's key, villager B to 大華's; both are real B16 nodes on free ports (standard error says
 * which), called {@code <A>} and {@code <B>}. The keys are the pages' brain wallets, so the
 * signatures, the ids and the whole story repeat.
 */
public final class Signatures {
    public static final List<Options.Option> OPTIONS = List.of(Story.SLOW);

    /** The signatures command: checked against the lesson. */
    public static final Story.Play PLAY = new Story.Play("signatures", "Lesson", (story, options) -> new Signatures(story).play());

    static final int ZEROS = 3; // enough to be a proof, few enough to mine at once
    static final long FEE = 1;

    private final World world;
    private final Story story;

    private Signatures(Story story) {
        this.world = story.world();
        this.story = story;
    }

    private boolean play() throws InterruptedException {
        World nodeWorld = story.nodeWorld();
        try (story) {
            story.onFreePort("A", "villager A", node(PAYER, nodeWorld));
            story.onFreePort("B", "villager B", node(SELLER, nodeWorld));
            introduce();
            story();
        }
        story.summarise("All " + story.checks() + " checks came out as the lesson says: only 小美's key pays from 小美's address,"
                + " once, and within what she has.", "Not as the lesson says");
        return story.allAsSaid();
    }

    private static WebApp node(String miner, World nodeWorld) {
        String[] options = {"--port", "0", "--zeros", "" + ZEROS, "--seed", miner};
        return B16SignedPayments.start(Options.parse(options, B16SignedPayments.OPTIONS), nodeWorld);
    }

    private void introduce() {
        PrintStream out = world.out();
        out.println("Stage B16, signed payments: the book's B-1, 「雙方都無法耍賴」 (neither side can renege).");
        out.println("A and B run B16 nodes, " + ZEROS + " zeros; A's rewards go to " + PAYER + "'s key, B's to " + SELLER
                + "'s. <A> and <B> stand for");
        out.println("their addresses (free ports, given on standard error). The keys are the pages' brain wallets:");
        out.println("  " + PAYER + "'s address " + PAYER_ADDRESS + ", shown as <" + PAYER + ">");
        out.println("  " + SELLER + "'s address " + SELLER_ADDRESS + ", shown as <" + SELLER + ">");
        out.println("Ids are shown by their first 12 hex digits, signatures by their first 16. Each step sends real");
        out.println("requests, shows the answers and checks them against the lesson.");
    }

    // tag::story[]
    /** The lesson in seven steps: a reward, a signed payment, a forgery, a tampering, a replay, a double spend, an overdraft. */
    private void story() throws InterruptedException {
        story.step("1", "A mines a block. Its reward is new coins to " + PAYER + "'s address, which only her key can spend.");
        Answer mined = send("GET", "A", "/mine", null);
        Map<?, ?> reward = mined.list("transactions").isEmpty() ? Map.of() : (Map<?, ?>) mined.list("transactions").get(0);
        Answer owned = send("GET", "A", "/balance/" + PAYER_ADDRESS, null);
        List<String> rewarded = new ArrayList<>(Story.fields(owned, Map.of("confirmed", 1001L, "next_sequence", 1L)));
        if (!PAYER_ADDRESS.equals(reward.get("recipient"))) rewarded.add("the reward is not " + PAYER + "'s");
        if (!Long.valueOf(2).equals(reward.get("sequence"))) rewarded.add("the reward's sequence is not its block's index, 2");
        story.expect("block 2's reward, sequence 2 (its index), is " + PAYER + "'s: the genesis block's 1000 and 1 more", rewarded);

        story.step("2", PAYER + " pays " + SELLER + " " + PRICE + " for the jeans, fee " + FEE + ": her first payment, sequence 1,"
                + " signed with her key.");
        Map<String, Object> jeans = SignedPayment.signed(PAYER_KEY, SignedPayment.unsigned(PAYER_ADDRESS, SELLER_ADDRESS, PRICE, FEE, 1));
        Answer paid = send("POST", "A", "/transactions/new", jeans);
        story.expect("201, and the id is SHA-256 of the payment without its signature, the very bytes she signed",
                answered(paid, 201, SignedPayment.id(jeans)));

        story.step("3", SELLER + " posts a payment in " + PAYER + "'s name, 300 more to him, signed with his own key.");
        Map<String, Object> forged = SignedPayment.signed(SELLER_KEY, SignedPayment.unsigned(PAYER_ADDRESS, SELLER_ADDRESS, 300, 0, 2));
        Answer forgery = send("POST", "A", "/transactions/new", forged);
        story.expect("refused (400): his signature does not verify for " + PAYER + "'s address",
                refused(forgery, 400, "signature does not verify"));

        story.step("4", "Someone on the way changes the amount of " + PAYER + "'s payment to 969, keeping her signature.");
        Map<String, Object> altered = new LinkedHashMap<>(jeans);
        altered.put("amount", 969L);
        Answer tampered = send("POST", "A", "/transactions/new", altered);
        story.expect("refused (400): a changed amount is another id, and her signature is of the first",
                refused(tampered, 400, "signature does not verify"));

        story.step("5", PAYER + "'s answer was lost; she sends the very same payment again.");
        Answer replayed = send("POST", "A", "/transactions/new", jeans);
        Answer pending = send("GET", "A", "/transactions/pending", null);
        List<String> once = new ArrayList<>(answered(replayed, 200, SignedPayment.id(jeans)));
        if (pending.list("pending").size() != 1) once.add(pending.list("pending").size() + " payments pending, not 1");
        story.expect("200, the same id: a replay is the same payment, pending once, and pays nothing twice", once);

        story.step("6", PAYER + " signs another payment with sequence 1, " + PRICE + " back to herself: a double spend.");
        Map<String, Object> again = SignedPayment.signed(PAYER_KEY, SignedPayment.unsigned(PAYER_ADDRESS, PAYER_ADDRESS, PRICE, FEE, 1));
        Answer conflict = send("POST", "A", "/transactions/new", again);
        story.expect("refused (409), naming the first payment's id: one sequence, one payment",
                refused(conflict, 409, SignedPayment.id(jeans)));

        story.step("7", PAYER + " has 1001 - " + (PRICE + FEE) + " = " + (1001 - PRICE - FEE) + " left to spend; she signs a payment"
                + " of 500, sequence 2.");
        Map<String, Object> overdraft = SignedPayment.signed(PAYER_KEY, SignedPayment.unsigned(PAYER_ADDRESS, SELLER_ADDRESS, 500, 0, 2));
        Answer tooMuch = send("POST", "A", "/transactions/new", overdraft);
        story.expect("refused (400), naming her balance: balance 301, payment needs 500",
                refused(tooMuch, 400, "balance 301, payment needs 500"));

        story.step("8", "A mines the payment. B, " + SELLER + "'s node, takes A's chain only after checking every signature in it.");
        send("GET", "A", "/mine", null);
        send("POST", "B", "/nodes/register", Map.of("nodes", List.of(story.url("A"))));
        Answer resolved = send("GET", "B", "/nodes/resolve", null);
        List<String> agreed = new ArrayList<>(Story.fields(resolved, Map.of("message", "Our chain was replaced")));
        for (String villager : List.of("A", "B")) {
            Answer his = send("GET", villager, "/balance/" + SELLER_ADDRESS, null);
            agreed.addAll(Story.fields(his, Map.of("confirmed", 1000L + PRICE)));
        }
        story.expect("B adopted A's chain, and both say " + SELLER + " holds 1000 + " + PRICE + " = " + (1000 + PRICE), agreed);

        PrintStream out = world.out();
        out.println();
        out.println("The book (B-1): 「雙方都無法耍賴」, neither side can renege. Now it holds: only " + PAYER + "'s key makes a");
        out.println("payment from her address, so " + SELLER + " cannot invent one and she cannot deny hers; and what she signed");
        out.println("is what every node reads, amount and all, once.");
        out.println("Still missing: a rewritten chain can still drop her payment (forge's lesson), which only B13's work");
        out.println("makes costly; and coins that can be traced to where they came from, which B17 brings.");
    }
    // end::story[]

    /** Sends a request, prints it and the gist of the answer, one line each. */
    private Answer send(String method, String to, String path, Object body) throws InterruptedException {
        return story.told(method, to, path, body, Signatures::gist);
    }

    private static String gist(Answer answer) {
        if (answer.get("error") != null) return ": " + answer.get("error");
        if ("New Block Forged".equals(answer.get("message")) && !answer.list("transactions").isEmpty()) {
            Map<?, ?> reward = (Map<?, ?>) answer.list("transactions").get(0);
            int payments = answer.list("transactions").size() - 1;
            return ": block " + answer.get("index") + ", the reward of " + reward.get("amount") + " to " + reward.get("recipient")
                    + " (sequence " + reward.get("sequence") + ") and " + payments + (payments == 1 ? " payment" : " payments");
        }
        if (answer.get("next_sequence") != null) {
            return ": confirmed " + answer.get("confirmed") + ", pending " + answer.get("pending") + ", next_sequence "
                    + answer.get("next_sequence");
        }
        if (answer.get("message") != null) return ": " + answer.get("message") + (answer.get("id") == null ? "" : "; id " + answer.get("id"));
        if (answer.get("pending") != null) {
            int pending = answer.list("pending").size();
            return ": " + pending + (pending == 1 ? " payment" : " payments") + " pending";
        }
        return "";
    }
}

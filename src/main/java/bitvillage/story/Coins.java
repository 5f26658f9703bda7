package bitvillage.story;

import static bitvillage.story.Story.PAYER;
import static bitvillage.story.Story.PAYER_ADDRESS;
import static bitvillage.story.Story.PAYER_KEY;
import static bitvillage.story.Story.PRICE;
import static bitvillage.story.Story.SELLER;
import static bitvillage.story.Story.SELLER_ADDRESS;
import static bitvillage.story.Story.answered;
import static bitvillage.story.Story.refused;
import static bitvillage.story.Story.shortened;

import bitvillage.stages.B17Coins;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.story.Story.Answer;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.mining.BlockMiner;
import bitvillage.wallet.Pay;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage B17's lesson, played by itself: money as coins, the way Bitcoin keeps it. 小美's mining
 * reward cannot be spent until it matures; she pays 大華 699 from a whole coin and takes the change
 * back; a second spend of that coin is refused, and so is a neighbour's block that spends one coin
 * twice; the fee is what the inputs hold minus what the outputs pay, and it is the miner's. Villager
 * A is a real B17 node mining to 小美's key; the neighbour is her node M, a tiny server answering
 * {@code GET /chain} with a chain the story builds and mines with the taught classes. Both listen
 * on free ports (standard error says which), called {@code <A>} and {@code <M>}. The keys are the
 * pages' brain wallets, so the signatures, the ids and the whole story repeat.
 */
public final class Coins {
    public static final List<Options.Option> OPTIONS = List.of(Story.SLOW);

    /** The coins command: checked against the lesson. */
    public static final Story.Play PLAY = new Story.Play("coins", "Lesson", (story, options) -> new Coins(story).play());

    static final int ZEROS = 3; // enough to be a proof, few enough to mine at once
    static final int MATURITY = 3; // B17's default; Bitcoin's is 100
    static final long FEE = 1;
    static final long GENESIS_COIN = 1000; // each of 小美 and 大華 holds one coin of 1000 from the genesis block

    private final World world;
    private final Story story;
    private final String genesisId = CoinTransaction.id(CoinTransaction.genesis());

    private Coins(Story story) {
        this.world = story.world();
        this.story = story;
    }

    private boolean play() throws InterruptedException {
        World nodeWorld = story.nodeWorld();
        try (story) {
            String[] options = {"--port", "0", "--zeros", "" + ZEROS, "--maturity", "" + MATURITY, "--seed", PAYER};
            story.onFreePort("A", "villager A", B17Coins.start(Options.parse(options, B17Coins.OPTIONS), nodeWorld));
            story.startNodeM(nodeWorld);
            introduce();
            story();
        }
        story.summarise("All " + story.checks() + " checks came out as the lesson says: coins are spent whole, once, and only"
                + " when mature; the change comes back; the fee is in − out, and the miner's.", "Not as the lesson says");
        return story.allAsSaid();
    }

    private void introduce() {
        PrintStream out = world.out();
        out.println("Stage B17, coins: the book's B-1 village, keeping money the way Bitcoin does, as unspent outputs.");
        out.println("A runs a B17 node, " + ZEROS + " zeros, maturity " + MATURITY + "; its rewards go to " + PAYER + "'s key. M is "
                + PAYER + "'s own node, which");
        out.println("serves a chain she builds. <A> and <M> stand for their addresses (free ports, given on standard error).");
        out.println("The keys are the pages' brain wallets:");
        out.println("  " + PAYER + "'s address " + PAYER_ADDRESS + ", shown as <" + PAYER + ">");
        out.println("  " + SELLER + "'s address " + SELLER_ADDRESS + ", shown as <" + SELLER + ">");
        out.println("A coin is txid:index, output number index of transaction txid. Ids are shown by their first 12 hex");
        out.println("digits, signatures by their first 16. Each step sends real requests, shows the answers and checks them.");
    }

    // tag::story[]
    /** The lesson in eight steps: a young reward, a payment with change, the change, a double spend, the fee, a bad block, maturity. */
    private void story() throws InterruptedException {
        story.step("1", "A mines block 2. Its reward, 1 new coin to " + PAYER + ", may be spent only from block 2 + " + MATURITY
                + " = " + (2 + MATURITY) + " on.");
        Answer mined = send("GET", "A", "/mine", null);
        String rewardId = mined.list("transactions").isEmpty() ? "" : (String) ((Map<?, ?>) mined.list("transactions").get(0)).get("id");
        Answer young = send("GET", "A", "/coins/" + PAYER_ADDRESS, null);
        story.expect("her genesis coin of " + GENESIS_COIN + " is spendable; the reward, 1 confirmation old, is not",
                Story.both(listed(young, genesisId, 0, GENESIS_COIN, 2, true), listed(young, rewardId, 0, 1, 1, false)));

        story.step("2", PAYER + " spends her reward at once: 1 coin to " + SELLER + ".");
        Map<String, Object> early = spend(rewardId, 0, SELLER_ADDRESS, 1);
        Answer tooEarly = send("POST", "A", "/transactions/new", early);
        story.expect("refused (400): a reward is no coin to spend until it matures, for a longer chain could take it away,"
                + " and every payment made from it", refused(tooEarly, 400, "not yet mature"));

        story.step("3", PAYER + " pays " + SELLER + " " + PRICE + " for the jeans, fee " + FEE + ". Her wallet chooses spendable coins,"
                + " largest first,");
        world.out().println("and adds an output back to her for what the coin holds beyond " + PRICE + " + " + FEE + ": the change.");
        Map<String, Object> jeans = CoinSelection.pay(PAYER_KEY, Pay.spendable(young.json()), SELLER_ADDRESS, PRICE, FEE);
        String jeansId = CoinTransaction.id(jeans);
        long change = GENESIS_COIN - PRICE - FEE;
        Answer paid = send("POST", "A", "/transactions/new", jeans);
        List<String> withChange = new ArrayList<>(answered(paid, 201, jeansId));
        if (!List.of(new Outpoint(genesisId, 0)).equals(CoinTransaction.inputs(jeans).stream().map(Outpoint::of).toList())) withChange.add("it does not spend the genesis coin alone");
        if (!List.of(CoinTransaction.output(SELLER_ADDRESS, PRICE), CoinTransaction.output(PAYER_ADDRESS, change))
                .equals(CoinTransaction.outputs(jeans))) {
            withChange.add("its outputs are not " + PRICE + " to " + SELLER + " and " + change + " back");
        }
        story.expect("201: one input, her coin of " + GENESIS_COIN + "; two outputs, " + PRICE + " to " + SELLER + " and " + change
                + " back to her", withChange);

        story.step("4", PAYER + " looks at her coins while the payment is pending.");
        Answer pending = send("GET", "A", "/coins/" + PAYER_ADDRESS, null);
        story.expect("the change is her coin " + short12(jeansId) + ":1 of " + change + ", 0 confirmations and spendable at once;"
                + " the genesis coin is spent", Story.both(listed(pending, jeansId, 1, change, 0, true),
                listed(pending, genesisId, 0, GENESIS_COIN, 2, false)));

        story.step("5", PAYER + " signs a second transaction spending the same coin of " + GENESIS_COIN + ": " + (GENESIS_COIN - FEE)
                + " back to herself.");
        Answer twice = send("POST", "A", "/transactions/new", spend(genesisId, 0, PAYER_ADDRESS, GENESIS_COIN - FEE));
        List<String> spentBy = new ArrayList<>(refused(twice, 409, UnspentCoins.ALREADY_SPENT));
        if (!jeansId.equals(twice.get("spent_by"))) spentBy.add("spent_by is " + twice.get("spent_by") + ", not " + jeansId);
        story.expect("refused (409), spent_by the jeans' transaction: the first seen keeps the coin", spentBy);

        long fee = GENESIS_COIN - PRICE - change;
        story.step("6", "A mines block 3. The fee is what the inputs hold minus what the outputs pay: " + GENESIS_COIN + " - ("
                + PRICE + " + " + change + ") = " + fee + ".");
        Answer confirmed = send("GET", "A", "/mine", null);
        List<String> feeToMiner = new ArrayList<>();
        if (!confirmed.list("transactions").stream().anyMatch(held -> held instanceof Map<?, ?> fields && jeansId.equals(fields.get("id")))) {
            feeToMiner.add("block 3 does not hold the jeans' transaction");
        }
        Object reward = confirmed.list("transactions").isEmpty() ? null : ((Map<?, ?>) confirmed.list("transactions").get(0)).get("outputs");
        if (!List.of(CoinTransaction.output(PAYER_ADDRESS, 1 + fee)).equals(reward)) feeToMiner.add("the reward pays " + reward);
        story.expect("block 3 holds the payment, and its reward is 1 + the fee = " + (1 + fee) + ", to the miner", feeToMiner);

        story.step("7", PAYER + "'s node M offers A a longer chain: A's 3 blocks and a block 4 she mined herself, in which her");
        world.out().println("change coin of " + change + " is spent twice: once to " + SELLER + ", once back to her.");
        Map<String, Object> toSeller = spend(jeansId, 1, SELLER_ADDRESS, change);
        Map<String, Object> back = spend(jeansId, 1, PAYER_ADDRESS, change);
        story.serve(withBlock(send("GET", "A", "/chain", null), List.of(toSeller, back)));
        world.out().println(shortened("  block 4 holds the reward, " + CoinTransaction.id(toSeller) + " paying <" + SELLER + "> "
                + change + " and " + CoinTransaction.id(back) + " paying <" + PAYER + "> " + change + ", both from " + jeansId + ":1"));
        send("POST", "A", "/nodes/register", Map.of("nodes", List.of(story.url("M"))));
        Answer resolved = send("GET", "A", "/nodes/resolve", null);
        List<String> kept = new ArrayList<>(Story.fields(resolved, Map.of("message", "Our chain is authoritative")));
        String why = resolved.list("neighbours").isEmpty() ? "" : "" + ((Map<?, ?>) resolved.list("neighbours").get(0)).get("reason");
        if (!why.contains("block 4") || !why.contains(UnspentCoins.ALREADY_SPENT + " " + CoinTransaction.id(toSeller))) {
            kept.add("the reason is not that block 4 spends a coin already spent by " + short12(CoinTransaction.id(toSeller)));
        }
        story.expect("A keeps its chain: each transaction is valid alone, but block 4 spends one coin twice", kept);

        story.step("8", "A mines block 4. Block 2's reward now has " + MATURITY + " confirmations: the next block, 5, may spend it.");
        send("GET", "A", "/mine", null);
        Answer mature = send("GET", "A", "/coins/" + PAYER_ADDRESS, null);
        Answer taken = send("POST", "A", "/transactions/new", early);
        story.expect("the reward is spendable, and the very transaction refused in step 2 is taken (201)",
                Story.both(listed(mature, rewardId, 0, 1, MATURITY, true), answered(taken, 201, CoinTransaction.id(early))));

        PrintStream out = world.out();
        out.println();
        out.println("Bitcoin keeps no balances either: a wallet owns coins, spends them whole and takes its change back, and the");
        out.println("fee is whatever the outputs leave. A coin is spent once: the pool keeps the transaction it saw first (Bitcoin");
        out.println("Core lets a higher fee replace it, BIP 125), and no block may spend a coin twice. A reward waits " + MATURITY
                + " blocks here,");
        out.println("100 in Bitcoin, before anything may spend it.");
    }
    // end::story[]

    /** 小美's transaction spending her coin txid:index whole: {@code amount} to {@code to}, the rest a fee. */
    private static Map<String, Object> spend(String txid, long index, String to, long amount) {
        return CoinTransaction.signed(CoinTransaction.transaction(List.of(CoinTransaction.input(txid, index)),
                List.of(CoinTransaction.output(to, amount))), PAYER_KEY);
    }

    /** The chain of a {@code GET /chain} answer and one block more, of 小美's: her reward and these transactions, mined. */
    private List<Map<String, Object>> withBlock(Answer served, List<Map<String, Object>> transactions) {
        List<Map<String, Object>> chain = new ArrayList<>();
        for (Object block : served.list("chain")) {
            @SuppressWarnings("unchecked") // a JSON object's keys are strings
            Map<String, Object> fields = (Map<String, Object>) block;
            chain.add(fields);
        }
        Map<String, Object> last = chain.get(chain.size() - 1);
        long index = chain.size() + 1L;
        List<Map<String, Object>> held = new ArrayList<>(List.of(CoinTransaction.withId(CoinTransaction.reward(PAYER_ADDRESS, 1, index))));
        transactions.forEach(transaction -> held.add(CoinTransaction.withId(transaction)));
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", index);
        block.put("timestamp", Math.max(world.clock().getAsDouble(), ((Number) last.get("timestamp")).doubleValue()));
        block.put("transactions", held);
        block.put("nonce", 0L);
        block.put("previous_hash", BlockProof.hash(last));
        chain.add(BlockMiner.findNonce(block, ZEROS));
        return chain;
    }

    /** Differences from a {@code GET /coins} answer listing the coin txid:index with this amount, confirmations and spendable. */
    private static List<String> listed(Answer coins, String txid, long index, long amount, long confirmations, boolean spendable) {
        Map<String, Object> expected = Map.of("txid", txid, "index", index, "amount", amount, "confirmations", confirmations,
                "spendable", spendable);
        return coins.list("coins").contains(expected) ? List.of()
                : List.of(shortened("no coin " + txid + ":" + index + " of " + amount + ", " + confirmations + " confirmations, "
                        + (spendable ? "spendable" : "not spendable")));
    }

    private static String plural(Object count, String noun) {
        return count + " " + noun + (Long.valueOf(1).equals(count) ? "" : "s");
    }

    private static String short12(String id) {
        return id.substring(0, 12) + "…";
    }

    /** Sends a request, prints it and the gist of the answer. */
    private Answer send(String method, String to, String path, Object body) throws InterruptedException {
        return story.told(method, to, path, body, Coins::gist);
    }

    private static String gist(Answer answer) {
        if (answer.get("error") != null) {
            return ": " + answer.get("error") + (answer.get("spent_by") == null ? "" : "; spent_by " + answer.get("spent_by"));
        }
        if ("New Block Forged".equals(answer.get("message")) && !answer.list("transactions").isEmpty()) {
            Map<?, ?> reward = (Map<?, ?>) answer.list("transactions").get(0);
            Map<?, ?> coin = (Map<?, ?>) ((List<?>) reward.get("outputs")).get(0);
            int payments = answer.list("transactions").size() - 1;
            return ": block " + answer.get("index") + ", the reward " + reward.get("id") + " of " + coin.get("amount") + " to "
                    + coin.get("address") + " and " + payments + (payments == 1 ? " payment" : " payments");
        }
        if (answer.get("coins") != null) {
            StringBuilder coins = new StringBuilder(": balance " + answer.get("balance"));
            for (Object each : answer.list("coins")) {
                Map<?, ?> coin = (Map<?, ?>) each;
                coins.append("\n    ").append(coin.get("txid")).append(':').append(coin.get("index")).append("  ")
                        .append(plural(coin.get("amount"), "coin")).append(", ").append(plural(coin.get("confirmations"), "confirmation"))
                        .append(", ")
                        .append(Boolean.TRUE.equals(coin.get("spendable")) ? "spendable" : "not spendable");
            }
            return coins.toString();
        }
        if (answer.get("neighbours") != null) {
            StringBuilder outcomes = new StringBuilder(": " + answer.get("message"));
            for (Object each : answer.list("neighbours")) {
                Map<?, ?> neighbour = (Map<?, ?>) each;
                outcomes.append("\n    ").append(neighbour.get("node")).append(' ').append(neighbour.get("outcome"))
                        .append(neighbour.get("reason") == null ? "" : ": " + neighbour.get("reason"));
            }
            return outcomes.toString();
        }
        if (answer.get("chain") != null) return ": " + answer.list("chain").size() + " blocks";
        if (answer.get("message") != null) return ": " + answer.get("message") + (answer.get("id") == null ? "" : "; id " + answer.get("id"));
        return "";
    }
}

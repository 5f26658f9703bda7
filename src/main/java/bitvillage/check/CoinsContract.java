package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.keys.Keys;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.util.python.PyJson;
import bitvillage.wallet.Pay;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract of B17: the node keeps coins, not balances. {@code GET /coins/<address>} lists an
 * address's coins; a transaction spending some of them with the change back, signed by their owner,
 * is taken (201) under its id, and its change is listed at once; one signed with another key, one
 * paying more than its coins hold, or one of another shape is refused (400); the same transaction
 * again is a safe retry (200); another spending the same coin answers 409 with {@code spent_by}, the
 * first; a mined block's reward comes first, spends nothing and carries the block's index as its
 * height; and the payment counts as confirmed for its recipient. Maturity is the node's to set
 * ({@code --maturity} 1 lets the next block spend a reward), and check holds no miner's key: it is
 * not checked here.
 *
 * <p>It does not grow from B16's contract: B16's payments are no coins, which B17 refuses. It spends
 * a few coins of the ones B17's genesis block gives the pages' brain wallet 小美, whichever her
 * wallet chooses, so it can run again and again on one node.
 */
class CoinsContract extends Contract {
    static final String COINS = "GET /coins/<address> answers address, balance and coins, each with txid, index, amount, confirmations "
            + "and spendable, and 400 for what is no address";
    static final String PAID = "a transaction spending the payer's spendable coins, the change back, signed by their owner, answers 201 "
            + "with its id, SHA-256 of the transaction without its signatures";
    static final String CHANGE = "GET /coins lists the change with 0 confirmations, spendable, and the coin spent as not spendable";
    static final String FORGED = "a transaction signed with another key than the coin owner's answers 400";
    static final String OVERSPENT = "a transaction paying more than its coins hold (a fee below 0) answers 400";
    static final String MISSHAPEN = "a transaction with a field more, or an input without a signature, answers 400";
    static final String REPLAY = "the same transaction sent again answers 200 with its id";
    static final String SPENT = "another transaction spending the same coin answers 409, with spent_by the first's id";
    static final String MINED = "a mined block holds the transaction under its id, after its reward: no inputs, the block's index as height, "
            + "its own id, paying 1 + the fees at least";
    static final String CONFIRMED = "GET /coins lists the recipient's coin with 1 confirmation, and GET /balance/<address> answers "
            + "address, confirmed, pending and spendable";

    static final long AMOUNT = 3;
    static final long FEE = 1;

    private final byte[] payerKey = Keys.fromSeed("小美");
    private final byte[] sellerKey = Keys.fromSeed("大華");
    private final String payer = Keys.address(payerKey);
    private final String seller = Keys.address(sellerKey);
    private Map<Outpoint, Long> spendable; // 小美's, before the payment
    private Map<String, Object> paid; // the transaction the node took
    private String paidId;

    CoinsContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    void checks() {
        check(COINS, () -> {
            spendable = Pay.spendable(coins(payer));
            need(spendable != null, "the coins are not a list of {txid, index, amount, confirmations, spendable}");
            refused("GET", "/coins/小美", null);
            return "小美 holds " + plural(spendable.size(), "spendable coin");
        });
        check(PAID, () -> {
            needCoins();
            paid = CoinSelection.pay(payerKey, spendable, seller, AMOUNT, FEE);
            paidId = CoinTransaction.id(paid);
            Exchange answer = expect("POST", "/transactions/new", PyJson.dumps(paid), 201);
            Object id = object(answer, "the answer").get("id");
            need(paidId.equals(id), "its id is " + PyJson.dumps(id) + ", not " + paidId
                    + ", the SHA-256 of json.dumps(transaction without its signatures, sort_keys=True)");
            return "id " + paidId + ", " + plural(CoinTransaction.inputs(paid).size(), "input");
        });
        check(CHANGE, () -> {
            needPaid();
            List<Object> listed = list(coins(payer), "coins", "the answer's");
            if (CoinTransaction.outputs(paid).size() > 1) {
                long change = (long) CoinTransaction.outputs(paid).get(1).get("amount");
                need(listed.contains(Map.of("txid", paidId, "index", 1L, "amount", change, "confirmations", 0L, "spendable", true)),
                        "it does not list " + paidId + ":1 of " + change + " with 0 confirmations, spendable");
            }
            for (Map<String, Object> input : CoinTransaction.inputs(paid)) {
                need(listed.stream().noneMatch(coin -> coin instanceof Map<?, ?> fields && input.get("txid").equals(fields.get("txid"))
                        && input.get("index").equals(fields.get("index")) && Boolean.TRUE.equals(fields.get("spendable"))),
                        "the coin spent, " + Outpoint.of(input) + ", is still spendable");
            }
            return null;
        });
        check(FORGED, () -> {
            needCoins();
            return status("POST", "/transactions/new", PyJson.dumps(CoinSelection.pay(sellerKey, spendable, seller, AMOUNT + 1, FEE)), 400);
        });
        check(OVERSPENT, () -> {
            needPaid();
            Map<String, Object> more = CoinTransaction.signed(CoinTransaction.transaction(List.of(CoinTransaction.input(paidId, 0)),
                    List.of(CoinTransaction.output(payer, AMOUNT + 1))), sellerKey); // 大華 spends the coin he was paid, and 1 more
            return status("POST", "/transactions/new", PyJson.dumps(more), 400);
        });
        check(MISSHAPEN, () -> {
            needPaid();
            Map<String, Object> more = new LinkedHashMap<>(paid);
            more.put("memo", "jeans");
            status("POST", "/transactions/new", PyJson.dumps(more), 400);
            Map<String, Object> unsigned = CoinTransaction.transaction(List.of(CoinTransaction.input(paidId, 0)),
                    List.of(CoinTransaction.output(payer, AMOUNT)));
            return status("POST", "/transactions/new", PyJson.dumps(unsigned), 400);
        });
        check(REPLAY, () -> {
            needPaid();
            Object id = object(expect("POST", "/transactions/new", PyJson.dumps(paid), 200), "the answer").get("id");
            need(paidId.equals(id), "its id is " + PyJson.dumps(id));
            return null;
        });
        check(SPENT, () -> {
            needPaid();
            Map<String, Object> first = CoinTransaction.inputs(paid).get(0);
            long held = spendable.get(Outpoint.of(first));
            Map<String, Object> again = CoinTransaction.signed(CoinTransaction.transaction(
                    List.of(CoinTransaction.input((String) first.get("txid"), (long) first.get("index"))),
                    List.of(CoinTransaction.output(payer, held - FEE))), payerKey);
            Object spentBy = object(expect("POST", "/transactions/new", PyJson.dumps(again), 409), "the answer").get("spent_by");
            need(paidId.equals(spentBy), "spent_by is " + PyJson.dumps(spentBy) + ", not " + paidId);
            return null;
        });
        check(MINED, () -> {
            needPaid();
            Map<String, Object> block = mine();
            List<Object> transactions = list(block, "transactions", "the block's");
            need(!transactions.isEmpty() && transactions.get(0) instanceof Map<?, ?>, "the block holds no reward");
            @SuppressWarnings("unchecked") // a JSON object's keys are strings
            Map<String, Object> reward = new LinkedHashMap<>((Map<String, Object>) transactions.get(0));
            Object id = reward.remove("id");
            String misshapen = CoinTransaction.whyRewardMisshapen(reward);
            need(misshapen == null, "its first transaction is no reward: " + misshapen);
            need(same(reward.get("height"), block.get("index")), "the reward's height is " + PyJson.dumps(reward.get("height"))
                    + ", not the block's index " + block.get("index"));
            need(CoinTransaction.id(reward).equals(id), "the reward's id is " + PyJson.dumps(id) + ", not " + CoinTransaction.id(reward));
            long pays = CoinTransaction.outputs(reward).stream().mapToLong(output -> (long) output.get("amount")).sum();
            need(pays >= 1 + FEE, "the reward pays " + pays + ", less than 1 + this transaction's fee, " + (1 + FEE));
            need(transactions.stream().anyMatch(held -> same(held, CoinTransaction.withId(paid))),
                    "the block does not hold " + PyJson.dumps(CoinTransaction.withId(paid)));
            return "block " + block.get("index") + ", a reward of " + pays;
        });
        check(CONFIRMED, () -> {
            needPaid();
            List<Object> his = list(coins(seller), "coins", "the answer's");
            need(his.contains(Map.of("txid", paidId, "index", 0L, "amount", AMOUNT, "confirmations", 1L, "spendable", true)),
                    "GET /coins/<大華> does not list " + paidId + ":0 of " + AMOUNT + " with 1 confirmation, spendable");
            Map<String, Object> balance = object(expect("GET", "/balance/" + seller, null, 200), "the answer");
            need(seller.equals(balance.get("address")), "its address is " + PyJson.dumps(balance.get("address")));
            for (String key : List.of("confirmed", "pending", "spendable")) whole(balance, key, "the answer's");
            return null;
        });
        unknownPath();
    }

    /** GET /coins/<address>: the address it names, a whole balance and a list of coins. */
    private Map<String, Object> coins(String address) {
        Map<String, Object> answer = object(expect("GET", "/coins/" + address, null, 200), "the answer");
        need(address.equals(answer.get("address")), "its address is " + PyJson.dumps(answer.get("address")));
        whole(answer, "balance", "the answer's");
        list(answer, "coins", "the answer's");
        return answer;
    }

    private void needCoins() {
        if (spendable == null) throw new Skipped("needs: " + COINS);
    }

    private void needPaid() {
        if (paid == null) throw new Skipped("needs: " + PAID);
    }
}

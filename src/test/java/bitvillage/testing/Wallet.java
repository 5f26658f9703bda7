package bitvillage.testing;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A villager's wallet on the stages whose payments are signed, as a test pays with it: on B16 an
 * account, which numbers its payments 1, 2, 3, ...; on B17 coins, which it spends largest first
 * ({@link CoinSelection}), its change coming back as a coin it may spend next. 小美's and 大華's
 * wallets start with the genesis block's 1000 coins each. A wallet counts each payment it signs as
 * made; {@link #sync} asks a node instead, after a refusal or an eviction.
 */
public final class Wallet {
    /** The keys of the seeds the genesis block pays: public, as the pages say. */
    public static final byte[] MEI = Keys.fromSeed("小美");
    public static final byte[] HUA = Keys.fromSeed("大華");
    /** B17's genesis transaction: its output 0 is 小美's coin, 1 大華's. */
    public static final String GENESIS = CoinTransaction.id(CoinTransaction.genesis());

    public final byte[] key;
    public final String address;
    private final boolean coinStage; // B17 on: coins; B16: an account
    private long sequence = 1; // B16: the next payment's
    private final Map<Outpoint, Long> coins = new LinkedHashMap<>(); // B17: what it may spend, oldest first

    public Wallet(String stage, byte[] key) {
        if (!signs(stage)) throw new IllegalArgumentException(stage + "'s payments are not signed");
        this.key = key;
        this.address = Keys.address(key);
        this.coinStage = !stage.equals("B16");
        if (address.equals(Keys.address(MEI))) coins.put(new Outpoint(GENESIS, 0), 1000L);
        if (address.equals(Keys.address(HUA))) coins.put(new Outpoint(GENESIS, 1), 1000L);
    }

    public Wallet(String stage, String seed) {
        this(stage, Keys.fromSeed(seed));
    }

    /** From B16 on a payment is signed by its sender's key; B18 and B19 take B17's transactions. */
    public static boolean signs(String stage) {
        return stage.equals("B16") || stage.equals("B17") || stage.equals("B18") || stage.equals("B19");
    }

    /** A payment's id, as the node answers it: B16's or B17's. */
    public static String id(Map<String, Object> payment) {
        return payment.containsKey("inputs") ? CoinTransaction.id(payment) : SignedPayment.id(payment);
    }

    /** Is this a block's reward: from sender "0" (B7 to B16), or spending no coin (B17)? */
    public static boolean isReward(Map<?, ?> transaction) {
        return "0".equals(transaction.get("sender")) || List.of().equals(transaction.get("inputs"));
    }

    /** A signed payment of {@code amount} to {@code to} with {@code fee}: the wallet counts it made. */
    public Map<String, Object> pay(String to, long amount, long fee) {
        if (!coinStage) return SignedPayment.signed(key, SignedPayment.unsigned(address, to, amount, fee, sequence++));
        return spent(CoinSelection.pay(key, coins, to, amount, fee));
    }

    /** B17: one transaction paying each address its amount, from the wallet's coins largest first, the change back. */
    public Map<String, Object> pay(Map<String, Long> to, long fee) {
        long amount = to.values().stream().mapToLong(Long::longValue).sum();
        List<Map<String, Object>> inputs = new ArrayList<>();
        long held = 0;
        for (Map.Entry<Outpoint, Long> coin : CoinSelection.choose(coins, amount, fee).entrySet()) {
            inputs.add(CoinTransaction.input(coin.getKey().txid(), coin.getKey().index()));
            held += coin.getValue();
        }
        List<Map<String, Object>> outputs = new ArrayList<>();
        to.forEach((address, each) -> outputs.add(CoinTransaction.output(address, each)));
        if (held > amount + fee) outputs.add(CoinTransaction.output(address, held - amount - fee));
        return spent(CoinTransaction.signed(CoinTransaction.transaction(inputs, outputs), key));
    }

    /** The coins the transaction spends are gone; those it pays this wallet are its own. */
    private Map<String, Object> spent(Map<String, Object> transaction) {
        CoinTransaction.inputs(transaction).forEach(input -> coins.remove(Outpoint.of(input)));
        List<Map<String, Object>> outputs = CoinTransaction.outputs(transaction);
        for (int i = 0; i < outputs.size(); i++) {
            if (address.equals(outputs.get(i).get("address"))) coins.put(new Outpoint(CoinTransaction.id(transaction), i), (Long) outputs.get(i).get("amount"));
        }
        return transaction;
    }

    /** What the wallet may spend, as {@code node} sees it: B16 the next sequence; B17 its spendable coins, pending change too. */
    public void sync(WebNode node) throws Exception {
        if (!coinStage) {
            sequence = (Long) Http.json(node.get("/balance/" + address), 200).get("next_sequence");
            return;
        }
        coins.clear();
        for (Object item : (List<?>) Http.json(node.get("/coins/" + address), 200).get("coins")) {
            Map<?, ?> coin = (Map<?, ?>) item;
            if ((Boolean) coin.get("spendable")) coins.put(new Outpoint((String) coin.get("txid"), (Long) coin.get("index")), (Long) coin.get("amount"));
        }
    }

    /** B17: what its coins hold together, as the wallet counts them. */
    public long holds() {
        return coins.values().stream().mapToLong(Long::longValue).sum();
    }
}

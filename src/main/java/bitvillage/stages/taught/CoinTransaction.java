package bitvillage.stages.taught;

import bitvillage.keys.Bip340;
import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * B17's transaction, as Bitcoin keeps money: no balances, only coins. A transaction spends whole
 * coins (its inputs, each naming an output of an earlier transaction) and makes new ones (its
 * outputs, each an address and an amount). What the inputs hold and the outputs do not is the fee.
 */
public final class CoinTransaction {
    private CoinTransaction() {}

    /** The most coins one output may hold, and all the outputs of a transaction together: 10^15. */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
    /** A payment's fields, exactly; a reward (and the genesis transaction) has a "height" too, a block's copy an "id". */
    public static final Set<String> FIELDS = Set.of("inputs", "outputs");
    public static final Set<String> REWARD_FIELDS = Set.of("inputs", "outputs", "height");
    public static final Set<String> INPUT_FIELDS = Set.of("txid", "index", "signature");
    public static final Set<String> OUTPUT_FIELDS = Set.of("address", "amount");
    /** The height of the genesis block, whose one transaction opens the village. */
    public static final long GENESIS_HEIGHT = 1;

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX_128 = Pattern.compile("[0-9a-f]{128}");
    private static final byte[] NO_AUX_RAND = new byte[32]; // as B16: the nonce comes from the key and the message alone

    // tag::coin-transaction[]
    /** An input: it spends output number {@code index} of the transaction {@code txid}. Signed later. */
    public static Map<String, Object> input(String txid, long index) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("txid", txid);
        input.put("index", index);
        return input;
    }

    /** An output: a new coin of {@code amount} that only the key of {@code address} can spend. */
    public static Map<String, Object> output(String address, long amount) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("address", address);
        output.put("amount", amount);
        return output;
    }

    public static Map<String, Object> transaction(List<Map<String, Object>> inputs, List<Map<String, Object>> outputs) {
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("inputs", inputs);
        transaction.put("outputs", outputs);
        return transaction;
    }
    // end::coin-transaction[]

    // tag::reward[]
    /**
     * The first transaction of each block: new coins for the miner, spending none. Its height makes
     * its id unique (as BIP 34 does): two rewards of 1 coin to one miner would otherwise be the same
     * transaction, and the second would make coins with the first's id.
     */
    public static Map<String, Object> reward(String miner, long amount, long height) {
        Map<String, Object> reward = transaction(List.of(), List.of(output(miner, amount)));
        reward.put("height", height);
        return reward;
    }

    /** The genesis block's transaction: 1,000 coins each to 小美 and 大華 (their seeds are public: play money). */
    public static Map<String, Object> genesis() {
        Map<String, Object> genesis = transaction(List.of(), List.of(
                output(Keys.address(Keys.fromSeed("小美")), 1000), output(Keys.address(Keys.fromSeed("大華")), 1000)));
        genesis.put("height", GENESIS_HEIGHT);
        return genesis;
    }
    // end::reward[]

    // tag::coin-id[]
    /**
     * The id: SHA-256 of the transaction without its signatures, as Python's json.dumps(tx,
     * sort_keys=True) writes it. Signatures are left out because they sign the id: they cannot be
     * part of what they sign. (Bitcoin left them in until SegWit, and anyone could change an id.)
     */
    public static String id(Map<String, Object> transaction) {
        Map<String, Object> unsigned = new LinkedHashMap<>(transaction);
        unsigned.remove("id");
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Map<String, Object> input : inputs(transaction)) {
            Map<String, Object> copy = new LinkedHashMap<>(input);
            copy.remove("signature");
            inputs.add(copy);
        }
        unsigned.put("inputs", inputs);
        return Sha256.hex(PyJson.dumps(unsigned));
    }

    /** Every input signed by {@code secretKey}: BIP-340 over the 32 bytes of the id. */
    public static Map<String, Object> signed(Map<String, Object> transaction, byte[] secretKey) {
        byte[] id = HexFormat.of().parseHex(id(transaction));
        String signature = HexFormat.of().formatHex(Bip340.sign(secretKey, id, NO_AUX_RAND));
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Map<String, Object> input : inputs(transaction)) {
            Map<String, Object> copy = new LinkedHashMap<>(input);
            copy.put("signature", signature);
            inputs.add(copy);
        }
        Map<String, Object> signed = new LinkedHashMap<>(transaction);
        signed.put("inputs", inputs);
        return signed;
    }

    /** Does this input's signature of the id verify for {@code owner}, the address of the coin it spends? */
    public static boolean signatureHolds(Map<String, Object> input, String owner, String id, VerifiedSignatures cache) {
        HexFormat hex = HexFormat.of(); // an address is the owner's x-only public key
        return cache.verify(hex.parseHex(owner), hex.parseHex(id), hex.parseHex((String) input.get("signature")));
    }
    // end::coin-id[]

    /** A transaction as a block stores it: with its id. */
    public static Map<String, Object> withId(Map<String, Object> transaction) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("id", id(transaction));
        stored.putAll(transaction);
        return stored;
    }

    /** Does this transaction make new coins, spending none, as a reward does? */
    public static boolean spendsNoCoin(Map<String, Object> transaction) {
        return transaction.get("inputs") instanceof List<?> inputs && inputs.isEmpty();
    }

    /** Null when a transaction as a block holds it is well formed and its {@code id} its own; else why not. */
    public static String whyNotHeld(Map<String, Object> held) {
        Map<String, Object> fields = new LinkedHashMap<>(held);
        Object id = fields.remove("id");
        String misshapen = whyMisshapen(fields);
        if (misshapen != null) return misshapen;
        return id(fields).equals(id) ? null : "its 'id' is not the hash of the transaction";
    }

    /** Is this, as a block holds it, the reward of the block at {@code height}, its id its own, paying at most {@code most} coins? */
    public static boolean isReward(Map<String, Object> held, long most, long height) {
        Map<String, Object> fields = new LinkedHashMap<>(held);
        Object id = fields.remove("id");
        return whyRewardMisshapen(fields) == null && fields.get("height").equals(height) && id(fields).equals(id)
                && outputs(fields).stream().mapToLong(output -> (long) output.get("amount")).sum() <= most;
    }

    // tag::coin-shape[]
    /** Null when {@code values} has a payment's shape, or the rule it breaks. */
    public static String whyMisshapen(Map<String, Object> values) {
        if (!values.keySet().equals(FIELDS)) {
            return "a transaction has exactly the fields 'inputs' and 'outputs', not " + new TreeSet<>(values.keySet());
        }
        if (!(values.get("inputs") instanceof List<?> inputs) || inputs.isEmpty()) return "'inputs' must be a list of at least one input";
        for (int i = 0; i < inputs.size(); i++) {
            String input = "input " + i;
            if (!(inputs.get(i) instanceof Map<?, ?> fields) || !fields.keySet().equals(INPUT_FIELDS)) {
                return input + " must have exactly the fields 'txid', 'index' and 'signature'";
            }
            if (!isHex(fields.get("txid"), HEX_64)) return input + ": 'txid' must be 64 lower-case hex digits";
            if (!(fields.get("index") instanceof Long index) || index < 0) return input + ": 'index' must be a whole number from 0";
            if (!isHex(fields.get("signature"), HEX_128)) return input + ": 'signature' must be 128 lower-case hex digits";
        }
        return whyOutputsMisshapen(values.get("outputs"));
    }

    /** Null when {@code values} has the shape of a reward or of the genesis transaction, or the rule it breaks. */
    public static String whyRewardMisshapen(Map<String, Object> values) {
        if (!values.keySet().equals(REWARD_FIELDS)) {
            return "a reward has exactly the fields 'inputs', 'outputs' and 'height', not " + new TreeSet<>(values.keySet());
        }
        if (!(values.get("inputs") instanceof List<?> inputs) || !inputs.isEmpty()) {
            return "a reward's 'inputs' must be the empty list: it spends no coin";
        }
        if (!(values.get("height") instanceof Long height) || height < GENESIS_HEIGHT) {
            return "a reward's 'height' must be a whole number from 1";
        }
        return whyOutputsMisshapen(values.get("outputs"));
    }

    /**
     * Whole coins from 1 to 10^15 each, and at most 10^15 together, summed as they are read: two
     * amounts up to 10^15 cannot overflow a long, so no sum ever wraps around. Bitcoin learned why
     * on 15 August 2010: in block 74638 two outputs of 92 billion bitcoins each added up, in a
     * 64-bit sum, to a negative number, which passed the rule "outputs at most inputs" and made
     * 184 billion bitcoins from nothing. Since then each amount and every sum must lie in 0..MAX_MONEY.
     */
    private static String whyOutputsMisshapen(Object value) {
        if (!(value instanceof List<?> outputs) || outputs.isEmpty()) return "'outputs' must be a list of at least one output";
        long total = 0;
        for (int i = 0; i < outputs.size(); i++) {
            String output = "output " + i;
            if (!(outputs.get(i) instanceof Map<?, ?> fields) || !fields.keySet().equals(OUTPUT_FIELDS)) {
                return output + " must have exactly the fields 'address' and 'amount'";
            }
            if (!isHex(fields.get("address"), HEX_64)) return output + ": 'address' must be 64 lower-case hex digits";
            if (!(fields.get("amount") instanceof Long amount) || amount < 1 || amount > MAX_AMOUNT) {
                return output + ": 'amount' must be a whole number of coins from 1 to " + MAX_AMOUNT;
            }
            total += amount;
            if (total > MAX_AMOUNT) return "the outputs add up to more than " + MAX_AMOUNT + " coins";
        }
        return null;
    }

    private static boolean isHex(Object value, Pattern digits) {
        return value instanceof String text && digits.matcher(text).matches();
    }
    // end::coin-shape[]

    /** The inputs of a well-shaped transaction. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> inputs(Map<String, Object> transaction) {
        return (List<Map<String, Object>>) transaction.get("inputs");
    }

    /** The outputs of a well-shaped transaction. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> outputs(Map<String, Object> transaction) {
        return (List<Map<String, Object>>) transaction.get("outputs");
    }
}

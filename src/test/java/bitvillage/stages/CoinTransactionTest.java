package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** B17's transaction: its id, its signatures, its shape rule by rule, the reward and the genesis transaction. */
class CoinTransactionTest {
    static final byte[] MEI = Keys.fromSeed("小美");
    static final byte[] HUA = Keys.fromSeed("大華");
    static final String MEI_ADDRESS = Keys.address(MEI);
    static final String HUA_ADDRESS = Keys.address(HUA);
    static final String GENESIS_ID = CoinTransaction.id(CoinTransaction.genesis());

    /** 小美 pays 大華 699 from her genesis coin, 300 back as change, a fee of 1, signed. */
    static Map<String, Object> payment() {
        return CoinTransaction.signed(CoinTransaction.transaction(List.of(CoinTransaction.input(GENESIS_ID, 0)),
                List.of(CoinTransaction.output(HUA_ADDRESS, 699), CoinTransaction.output(MEI_ADDRESS, 300))), MEI);
    }

    /** A deep copy, read back from JSON as a node reads a request: numbers are Longs, lists and maps mutable. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asRead(Map<String, Object> transaction) {
        return (Map<String, Object>) PyJson.loads(PyJson.dumps(transaction));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> item(Map<String, Object> transaction, String list, int index) {
        return ((List<Map<String, Object>>) transaction.get(list)).get(index);
    }

    @Test
    void theIdIgnoresSignaturesAndTheIdField() {
        Map<String, Object> unsigned = CoinTransaction.transaction(List.of(CoinTransaction.input(GENESIS_ID, 0)),
                List.of(CoinTransaction.output(HUA_ADDRESS, 1000)));
        String id = CoinTransaction.id(unsigned);
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        Map<String, Object> byMei = CoinTransaction.signed(unsigned, MEI);
        Map<String, Object> byHua = CoinTransaction.signed(unsigned, HUA);
        assertNotEquals(item(byMei, "inputs", 0).get("signature"), item(byHua, "inputs", 0).get("signature"));
        assertEquals(id, CoinTransaction.id(byMei));
        assertEquals(id, CoinTransaction.id(byHua));
        Map<String, Object> stored = CoinTransaction.withId(byMei);
        assertEquals(id, stored.get("id"));
        assertEquals(id, CoinTransaction.id(stored));
        // The id is SHA-256 of json.dumps(tx, sort_keys=True) without the signatures, as Python writes it.
        assertEquals(Sha256.hex("{\"inputs\": [{\"index\": 0, \"txid\": \"" + GENESIS_ID
                + "\"}], \"outputs\": [{\"address\": \"" + HUA_ADDRESS + "\", \"amount\": 1000}]}"), id);
    }

    @Test
    void aChangedAmountChangesTheIdAndBreaksTheSignature() {
        VerifiedSignatures cache = new VerifiedSignatures(100);
        Map<String, Object> payment = asRead(payment());
        String id = CoinTransaction.id(payment);
        assertTrue(CoinTransaction.signatureHolds(item(payment, "inputs", 0), MEI_ADDRESS, id, cache));
        assertFalse(CoinTransaction.signatureHolds(item(payment, "inputs", 0), HUA_ADDRESS, id, cache), "signed by 小美, not 大華");
        item(payment, "outputs", 1).put("amount", 301L);
        String changed = CoinTransaction.id(payment);
        assertNotEquals(id, changed);
        assertFalse(CoinTransaction.signatureHolds(item(payment, "inputs", 0), MEI_ADDRESS, changed, cache));
    }

    @Test
    void aWellShapedPaymentRewardAndGenesis() {
        assertNull(CoinTransaction.whyMisshapen(asRead(payment())));
        assertNull(CoinTransaction.whyRewardMisshapen(asRead(CoinTransaction.reward(MEI_ADDRESS, 3, 7))));
        assertNull(CoinTransaction.whyRewardMisshapen(asRead(CoinTransaction.genesis())));
        assertNotNull(CoinTransaction.whyMisshapen(asRead(CoinTransaction.reward(MEI_ADDRESS, 3, 7))), "no reward at the door");
        assertNotNull(CoinTransaction.whyRewardMisshapen(asRead(payment())), "a payment is no reward");
    }

    /** Each rule of the shape, broken alone: the reason names it. */
    @Test
    void eachShapeRuleRefusesWhatBreaksIt() {
        refused("exactly the fields 'inputs' and 'outputs'", tx -> tx.put("fee", 1L));
        refused("exactly the fields 'inputs' and 'outputs'", tx -> tx.remove("outputs"));
        refused("exactly the fields 'inputs' and 'outputs'", tx -> tx.put("id", CoinTransaction.id(tx)));
        refused("'inputs' must be a list of at least one input", tx -> tx.put("inputs", List.of()));
        refused("'inputs' must be a list of at least one input", tx -> tx.put("inputs", "all of them"));
        refused("'outputs' must be a list of at least one output", tx -> tx.put("outputs", List.of()));
        refused("input 0 must have exactly the fields", tx -> item(tx, "inputs", 0).remove("signature"));
        refused("input 0 must have exactly the fields", tx -> item(tx, "inputs", 0).put("amount", 1000L));
        refused("input 0: 'txid' must be 64 lower-case hex digits", tx -> item(tx, "inputs", 0).put("txid", GENESIS_ID.toUpperCase()));
        refused("input 0: 'txid' must be 64 lower-case hex digits", tx -> item(tx, "inputs", 0).put("txid", GENESIS_ID + "0"));
        refused("input 0: 'index' must be a whole number from 0", tx -> item(tx, "inputs", 0).put("index", -1L));
        refused("input 0: 'index' must be a whole number from 0", tx -> item(tx, "inputs", 0).put("index", 0.0));
        refused("input 0: 'index' must be a whole number from 0", tx -> item(tx, "inputs", 0).put("index", "0"));
        refused("input 0: 'signature' must be 128 lower-case hex digits", tx -> item(tx, "inputs", 0).put("signature", "ab"));
        refused("output 1 must have exactly the fields 'address' and 'amount'", tx -> item(tx, "outputs", 1).put("fee", 1L));
        refused("output 0: 'address' must be 64 lower-case hex digits", tx -> item(tx, "outputs", 0).put("address", "大華"));
        refused("output 1: 'amount' must be a whole number of coins from 1", tx -> item(tx, "outputs", 1).put("amount", 0L));
        refused("output 1: 'amount' must be a whole number of coins from 1", tx -> item(tx, "outputs", 1).put("amount", -300L));
        refused("output 1: 'amount' must be a whole number of coins from 1", tx -> item(tx, "outputs", 1).put("amount", 300.5));
        refused("output 1: 'amount' must be a whole number of coins from 1", tx -> item(tx, "outputs", 1).put("amount", 300.0));
        refused("output 1: 'amount' must be a whole number of coins from 1",
                tx -> item(tx, "outputs", 1).put("amount", CoinTransaction.MAX_AMOUNT + 1));
        refused("output 1: 'amount' must be a whole number of coins from 1",
                tx -> item(tx, "outputs", 1).put("amount", BigInteger.TEN.pow(30)));
        refused("the outputs add up to more than 1000000000000000 coins", tx -> {
            item(tx, "outputs", 0).put("amount", CoinTransaction.MAX_AMOUNT);
            item(tx, "outputs", 1).put("amount", 1L);
        });
    }

    /**
     * August 2010, block 74638: two outputs of 92,233,720,368.54277039 bitcoins (in satoshis, just
     * below 2^63 each) summed to a negative number in 64 bits. Here each is refused on its own, and
     * no sum of amounts that pass can wrap around.
     */
    @Test
    void theValueOverflowOf2010CannotHappen() {
        long satoshis = 9_223_372_036_854_277_039L;
        assertTrue(satoshis + satoshis < 0, "the overflow Bitcoin's check missed");
        refused("output 0: 'amount' must be a whole number of coins from 1", tx -> {
            item(tx, "outputs", 0).put("amount", satoshis);
            item(tx, "outputs", 1).put("amount", satoshis);
        });
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) many.add(CoinTransaction.output(HUA_ADDRESS, CoinTransaction.MAX_AMOUNT));
        refused("the outputs add up to more than", tx -> tx.put("outputs", many));
    }

    private static void refused(String reason, Consumer<Map<String, Object>> breakIt) {
        Map<String, Object> payment = asRead(payment());
        breakIt.accept(payment);
        String why = CoinTransaction.whyMisshapen(payment);
        assertTrue(why != null && why.contains(reason), "expected '" + reason + "…', got " + why);
    }

    @Test
    void aRewardsShapeRules() {
        Map<String, Object> reward = asRead(CoinTransaction.reward(MEI_ADDRESS, 1, 2));
        reward.put("inputs", List.of(CoinTransaction.input(GENESIS_ID, 0)));
        assertEquals("a reward's 'inputs' must be the empty list: it spends no coin", CoinTransaction.whyRewardMisshapen(reward));
        reward = asRead(CoinTransaction.reward(MEI_ADDRESS, 1, 2));
        reward.put("height", 0L);
        assertEquals("a reward's 'height' must be a whole number from 1", CoinTransaction.whyRewardMisshapen(reward));
        reward = asRead(CoinTransaction.reward(MEI_ADDRESS, 1, 2));
        reward.remove("height");
        assertTrue(CoinTransaction.whyRewardMisshapen(reward).startsWith("a reward has exactly the fields"));
        reward = asRead(CoinTransaction.reward(MEI_ADDRESS, 1, 2));
        reward.put("outputs", List.of());
        assertEquals("'outputs' must be a list of at least one output", CoinTransaction.whyRewardMisshapen(reward));
    }

    @Test
    void theHeightMakesEachRewardsIdUnique() {
        String atTwo = CoinTransaction.id(CoinTransaction.reward(MEI_ADDRESS, 1, 2));
        assertEquals(atTwo, CoinTransaction.id(CoinTransaction.reward(MEI_ADDRESS, 1, 2)));
        assertNotEquals(atTwo, CoinTransaction.id(CoinTransaction.reward(MEI_ADDRESS, 1, 3)));
        assertNotEquals(atTwo, CoinTransaction.id(CoinTransaction.reward(HUA_ADDRESS, 1, 2)));
    }

    @Test
    void theGenesisTransactionGives1000Each() {
        assertEquals(Map.of("inputs", List.of(), "height", 1L, "outputs", List.of(
                Map.of("address", MEI_ADDRESS, "amount", 1000L), Map.of("address", HUA_ADDRESS, "amount", 1000L))),
                CoinTransaction.genesis());
        assertEquals(GENESIS_ID, CoinTransaction.id(asRead(CoinTransaction.genesis())));
    }
}

package bitvillage.explorer;

import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.CoinTransaction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explorer's own check of the B17 transactions a page draws. Each input must be signed by the
 * owner of the coin it spends, and the owner is read from the transaction that made that coin, sent
 * by the page from the chain it draws: the explorer computes that transaction's id itself, so a
 * villager can no more name another owner than forge a hash. What a villager claims counts for nothing.
 */
final class CoinVerdicts {
    /** Transactions judged in one ask, as for B16's payments. */
    static final int MAX_PER_ASK = 64;
    /** The spent transactions sent along, all told: a block of B17's 10,000 bytes spends about 70 coins. */
    static final int MAX_SPENT_PER_ASK = 256;
    static final String VERIFIED = "verified";
    static final String NOT_VERIFIED = "not verified";
    static final String OWNER_NOT_FOUND = "owner not found";
    static final String NEW_COINS = "new coins";
    static final String NOT_A_COIN_TRANSACTION = "not a coin transaction";
    /** As a node does: a page that draws a block again costs no second verification. */
    private static final int REMEMBERED = 10_000;

    private final VerifiedSignatures verified = new VerifiedSignatures(REMEMBERED);

    /** How many spent transactions an ask sends along, for its bound (what is no list counts for none). */
    static int spentCount(List<?> asks) {
        int count = 0;
        for (Object ask : asks) {
            if (ask instanceof Map<?, ?> fields && fields.get("spent") instanceof List<?> spent) count += spent.size();
        }
        return count;
    }

    /**
     * One verdict per {@code {"transaction": TX, "spent": [TX_OR_NULL, ...]}}, in order: {"verdict",
     * "why", and for a payment "inputs": a verdict per input}. {@code spent[i]} is the transaction,
     * as the chain holds it, that made the coin input i spends, or null when the page found none.
     */
    List<Map<String, Object>> judge(List<?> asks) {
        return asks.stream().map(this::judge).toList();
    }

    private Map<String, Object> judge(Object ask) {
        if (!(ask instanceof Map<?, ?> fields) || !(fields.get("transaction") instanceof Map<?, ?> transaction)) {
            return verdict(NOT_A_COIN_TRANSACTION, "it is no JSON object");
        }
        Map<String, Object> held = strings(transaction);
        Map<String, Object> unsigned = new LinkedHashMap<>(held);
        Object claimedId = unsigned.remove("id"); // a block's copy carries its id, which is checked below
        if (CoinTransaction.whyRewardMisshapen(unsigned) == null) {
            if (!CoinTransaction.id(unsigned).equals(claimedId)) return verdict(NOT_VERIFIED, "its 'id' is not the hash of the transaction");
            return verdict(NEW_COINS, "a reward spends no coin: no one signs it");
        }
        String misshapen = CoinTransaction.whyMisshapen(unsigned);
        if (misshapen != null) return verdict(NOT_A_COIN_TRANSACTION, misshapen);
        String id = CoinTransaction.id(unsigned);
        if (!id.equals(claimedId)) return verdict(NOT_VERIFIED, "its 'id' is not the hash of the transaction");

        List<?> spent = fields.get("spent") instanceof List<?> list ? list : List.of();
        List<Map<String, Object>> inputs = new ArrayList<>();
        String failed = null;
        String unknown = null;
        for (int i = 0; i < CoinTransaction.inputs(unsigned).size(); i++) {
            Map<String, Object> input = CoinTransaction.inputs(unsigned).get(i);
            Map<String, Object> one = judgeInput(input, i < spent.size() ? spent.get(i) : null, id);
            inputs.add(one);
            String why = "input " + i + ": " + one.get("why");
            if (one.get("verdict").equals(NOT_VERIFIED) && failed == null) failed = why;
            if (one.get("verdict").equals(OWNER_NOT_FOUND) && unknown == null) unknown = why;
        }
        Map<String, Object> answer = failed != null ? verdict(NOT_VERIFIED, failed)
                : unknown != null ? verdict(OWNER_NOT_FOUND, unknown)
                : verdict(VERIFIED, "every input signed by the owner of the coin it spends, over the id " + id);
        answer.put("inputs", inputs);
        return answer;
    }

    /** The verdict on one input, whose coin {@code maker} made (null: the page found no such transaction). */
    private Map<String, Object> judgeInput(Map<String, Object> input, Object maker, String id) {
        if (!(maker instanceof Map<?, ?> makerFields)) return verdict(OWNER_NOT_FOUND, "the coin it spends is in no block drawn here");
        Map<String, Object> made = strings(makerFields);
        made.remove("id"); // the chain's word for it: the hash below is ours
        boolean shaped = CoinTransaction.whyMisshapen(made) == null || CoinTransaction.whyRewardMisshapen(made) == null;
        if (!shaped || !CoinTransaction.id(made).equals(input.get("txid"))) {
            return verdict(OWNER_NOT_FOUND, "no transaction drawn here hashes to " + input.get("txid"));
        }
        List<Map<String, Object>> outputs = CoinTransaction.outputs(made);
        long index = (long) input.get("index");
        if (index >= outputs.size()) return verdict(NOT_VERIFIED, "the transaction it names has no output " + index);
        String owner = (String) outputs.get((int) index).get("address");
        if (!CoinTransaction.signatureHolds(input, owner, id, verified)) {
            return verdict(NOT_VERIFIED, "signature does not verify for the owner of the coin it spends");
        }
        return verdict(VERIFIED, "signed by " + owner);
    }

    private static Map<String, Object> strings(Map<?, ?> fields) {
        Map<String, Object> copy = new LinkedHashMap<>();
        fields.forEach((name, value) -> copy.put(String.valueOf(name), value));
        return copy;
    }

    private static Map<String, Object> verdict(String verdict, String why) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("verdict", verdict);
        answer.put("why", why);
        return answer;
    }
}

package bitvillage.explorer;

import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.SignedPayment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explorer's own check of the payments a page draws (issue 19): each is judged by B16's rules
 * from its fields alone, so whatever a villager claims about a payment counts for nothing.
 */
final class SignatureVerdicts {
    /** A block of B16 holds about 23 signed payments; a page asks for one block's at a time, in batches of this. */
    static final int MAX_PER_ASK = 64;
    static final String VERIFIED = "verified";
    static final String NOT_VERIFIED = "not verified";
    static final String NOT_A_SIGNED_PAYMENT = "not a signed payment";
    /** As a node does (Bitcoin Core's signature cache): a page that draws a block again costs no second verification. */
    private static final int REMEMBERED = 10_000;

    private final VerifiedSignatures verified = new VerifiedSignatures(REMEMBERED);

    /** One verdict per transaction, in order: {"verdict": ..., "why": ...}. */
    List<Map<String, Object>> judge(List<?> transactions) {
        return transactions.stream().map(this::judge).toList();
    }

    private Map<String, Object> judge(Object transaction) {
        if (!(transaction instanceof Map<?, ?> fields)) return verdict(NOT_A_SIGNED_PAYMENT, "it is no JSON object");
        Map<String, Object> held = new LinkedHashMap<>();
        fields.forEach((name, value) -> held.put(String.valueOf(name), value));
        Map<String, Object> payment = new LinkedHashMap<>(held);
        payment.remove("id"); // a block's copy of a payment carries its id, which the rule below checks
        String misshapen = SignedPayment.whyMisshapen(payment);
        if (misshapen != null) return verdict(NOT_A_SIGNED_PAYMENT, misshapen);
        // The very rule a node of B16 holds a neighbour's block to.
        String notSigned = SignedPayment.whyNotSigned(held, verified);
        if (notSigned != null) return verdict(NOT_VERIFIED, notSigned);
        return verdict(VERIFIED, "signed by the sender's key, over the id " + SignedPayment.id(payment));
    }

    private static Map<String, Object> verdict(String verdict, String why) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("verdict", verdict);
        answer.put("why", why);
        return answer;
    }
}

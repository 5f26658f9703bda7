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
        Map<String, Object> payment = new LinkedHashMap<>();
        fields.forEach((name, value) -> payment.put(String.valueOf(name), value));
        // A block stores each payment with its id; the signature covers the id computed from the fields, never the one written.
        Object writtenId = payment.remove("id");
        String misshapen = SignedPayment.whyMisshapen(payment);
        if (misshapen != null) return verdict(NOT_A_SIGNED_PAYMENT, misshapen);
        String id = SignedPayment.id(payment);
        if (writtenId != null && !id.equals(writtenId)) {
            return verdict(NOT_VERIFIED, "its id field is not its id: SHA-256 of its fields is " + id);
        }
        if (!SignedPayment.signatureHolds(payment, verified)) {
            return verdict(NOT_VERIFIED, "the signature does not verify for the sender " + payment.get("sender"));
        }
        return verdict(VERIFIED, "signed by the sender's key, over the id " + id);
    }

    private static Map<String, Object> verdict(String verdict, String why) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("verdict", verdict);
        answer.put("why", why);
        return answer;
    }
}

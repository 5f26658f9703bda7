package bitvillage.stages.taught;

import bitvillage.keys.Bip340;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What B16's page taught about a signed payment, for B16 and every stage after it: its fields, its
 * id (which the signature covers, and the signature is not part of), the sender's BIP-340 signature
 * over that id, and the mining reward, which no one signs.
 */
public final class SignedPayment {
    private SignedPayment() {}

    /** The most coins one amount or fee may be: 10^15, so that amount + fee can never overflow a long. */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
    /** The fields of a payment at the door, exactly; a block's copy has its {@code id} too. */
    public static final Set<String> FIELDS = Set.of("sender", "recipient", "amount", "fee", "sequence", "signature");

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}"); // 32 bytes: an x-only public key, a SHA-256
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{128}");
    private static final HexFormat HEX = HexFormat.of();

    // tag::id[]
    /** A payment before it is signed: who pays whom, how much, the fee, and the sender's count of payments. */
    public static Map<String, Object> unsigned(String sender, String recipient, long amount, long fee, long sequence) {
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("sender", sender);
        payment.put("recipient", recipient);
        payment.put("amount", amount);
        payment.put("fee", fee);
        payment.put("sequence", sequence);
        return payment;
    }

    /**
     * The id: SHA-256 of the payment without its signature (and without a block's copy of the id),
     * as json.dumps(sort_keys=True) writes it. A retry signed anew has the same id; a changed amount has another.
     */
    public static String id(Map<String, Object> payment) {
        Map<String, Object> signedPart = new LinkedHashMap<>(payment);
        signedPart.remove("signature");
        signedPart.remove("id");
        return Sha256.hex(PyJson.dumps(signedPart));
    }
    // end::id[]

    // tag::signature[]
    /** The payment with the sender's BIP-340 signature over the 32 bytes of its id (aux_rand: 32 zero bytes). */
    public static Map<String, Object> signed(byte[] secretKey, Map<String, Object> unsigned) {
        Map<String, Object> payment = new LinkedHashMap<>(unsigned);
        byte[] signature = Bip340.sign(secretKey, HEX.parseHex(id(unsigned)), new byte[Bip340.KEY_BYTES]);
        payment.put("signature", HEX.formatHex(signature));
        return payment;
    }

    /** Did the sender sign this very payment? The sender's address is its public key; a signature that held once is remembered. */
    public static boolean signatureHolds(Map<String, Object> payment, VerifiedSignatures verified) {
        return verified.verify(HEX.parseHex((String) payment.get("sender")), HEX.parseHex(id(payment)),
                HEX.parseHex((String) payment.get("signature")));
    }
    // end::signature[]

    /** Is this an address: 64 lower-case hex digits, an x-only public key? */
    public static boolean isAddress(Object value) {
        return value instanceof String text && HEX_64.matcher(text).matches();
    }

    /** Is this a payment's id: 64 lower-case hex digits, a SHA-256? */
    public static boolean isId(Object value) {
        return value instanceof String text && HEX_64.matcher(text).matches();
    }

    /** Null when a payment as a block holds it is well formed, its {@code id} its own and its signature its sender's; else why not. */
    public static String whyNotSigned(Map<String, Object> held, VerifiedSignatures verified) {
        Map<String, Object> fields = new LinkedHashMap<>(held);
        Object id = fields.remove("id");
        String misshapen = whyMisshapen(fields);
        if (misshapen != null) return misshapen;
        if (!id(fields).equals(id)) return "its 'id' is not the hash of the payment";
        return signatureHolds(fields, verified) ? null : "signature does not verify for the sender";
    }

    /** Is this exactly the reward of block {@code index}, of at most {@code most} coins, to an address? */
    public static boolean isReward(Map<String, Object> reward, long most, long index) {
        return reward.get("amount") instanceof Long amount && amount >= 0 && amount <= most && isAddress(reward.get("recipient"))
                && PyJson.dumps(reward).equals(PyJson.dumps(reward((String) reward.get("recipient"), amount, index)));
    }

    // tag::shape[]
    /** Null when the payment has exactly its fields, each of its shape; else the rule it breaks. */
    public static String whyMisshapen(Map<String, Object> values) {
        if (!values.keySet().equals(FIELDS)) {
            return "a payment has exactly the fields sender, recipient, amount, fee, sequence and signature";
        }
        for (String name : new String[] {"sender", "recipient"}) {
            if (!isAddress(values.get(name))) {
                return "'" + name + "' must be an address: 64 lower-case hex digits (an x-only public key)";
            }
        }
        if (!(values.get("amount") instanceof Long amount) || amount < 1 || amount > MAX_AMOUNT) {
            return "'amount' must be a whole number of coins from 1 to " + MAX_AMOUNT;
        }
        if (!(values.get("fee") instanceof Long fee) || fee < 0 || fee > MAX_AMOUNT) {
            return "'fee' must be a whole number of coins from 0 to " + MAX_AMOUNT;
        }
        if (!(values.get("sequence") instanceof Long sequence) || sequence < 1) {
            return "'sequence' must be a whole number from 1: the sender's first payment is 1, the next 2, ...";
        }
        if (!(values.get("signature") instanceof String text) || !SIGNATURE.matcher(text).matches()) {
            return "'signature' must be 128 lower-case hex digits (a BIP-340 signature)";
        }
        return null;
    }
    // end::shape[]

    // tag::reward[]
    /**
     * The mining reward of block {@code index}: new coins from sender "0", unsigned. Its sequence is
     * the block's index, so no two rewards share an id (as BIP 34 puts the height in Bitcoin's).
     */
    public static Map<String, Object> reward(String miner, long amount, long index) {
        return withId(unsigned("0", miner, amount, 0, index));
    }

    /** The payment as a block stores it: its id first, then its fields. */
    public static Map<String, Object> withId(Map<String, Object> payment) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("id", id(payment));
        stored.putAll(payment);
        return stored;
    }
    // end::reward[]
}

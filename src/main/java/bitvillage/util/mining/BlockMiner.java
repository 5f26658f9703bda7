package bitvillage.util.mining;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The proof over the whole block (stage B13 on), searched fast: the smallest nonce, counting up from
 * 0, that makes the block's own hash, SHA-256 of {@code json.dumps(block, sort_keys=True)}, start
 * with {@code zeros} hex zeros. It answers exactly the block that the plain loop of B13's page
 * answers ({@code BlockProof.findNonce}), only sooner; the nodes from B13 on mine with it, and the
 * page "How fast is our village?" explains it.
 *
 * <p>The plain loop writes the whole block as JSON on every try, and for a block of 100 transactions
 * that costs more than its hash. But json.dumps with sort_keys writes the keys as index, nonce,
 * previous_hash, timestamp, transactions, so the block's text is a prefix up to the nonce, the
 * nonce's digits, and a suffix after them: only the digits change from try to try. So the prefix
 * and the suffix are written once, and each try hashes prefix, digits and suffix.
 */
public final class BlockMiner {
    private BlockMiner() {}

    // tag::find-nonce[]
    /** A copy of the block with the smallest nonce that gives it its proof; the bytes hashed are PyJson.dumps(copy)'s. */
    public static Map<String, Object> findNonce(Map<String, Object> block, int zeros) {
        Map<String, Object> rest = new LinkedHashMap<>(block);
        rest.remove("index");
        rest.remove("nonce");
        if (!rest.keySet().stream().allMatch(key -> key.compareTo("nonce") > 0)) {
            throw new IllegalArgumentException("json.dumps would write a key of the block before its nonce: " + block.keySet());
        }
        byte[] prefix = ("{\"index\": " + PyJson.dumps(block.get("index")) + ", \"nonce\": ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] suffix = (", " + PyJson.dumps(rest).substring(1)).getBytes(StandardCharsets.UTF_8); // drops rest's '{'
        MessageDigest sha256 = Sha256.newDigest();
        for (long nonce = 0; ; nonce++) {
            sha256.update(prefix);
            sha256.update(Long.toString(nonce).getBytes(StandardCharsets.US_ASCII));
            sha256.update(suffix);
            if (startsWithZeros(sha256.digest(), zeros)) {
                Map<String, Object> mined = new LinkedHashMap<>(block);
                mined.put("nonce", nonce);
                return mined;
            }
        }
    }

    /** Does the digest start with {@code zeros} hex zeros? Two hex digits a byte, the high one first. */
    static boolean startsWithZeros(byte[] digest, int zeros) {
        for (int i = 0; i < zeros / 2; i++) {
            if (digest[i] != 0) return false;
        }
        return zeros % 2 == 0 || (digest[zeros / 2] & 0xf0) == 0;
    }
    // end::find-nonce[]
}

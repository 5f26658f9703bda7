package bitvillage.keys;

import static bitvillage.keys.Secp256k1.G;
import static bitvillage.keys.Secp256k1.N;
import static bitvillage.keys.Secp256k1.P;

import bitvillage.keys.Secp256k1.Point;
import bitvillage.util.python.Sha256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * Schnorr signatures as Bitcoin makes them since 2021 (BIP-340, with its 2022 revision for
 * messages of any length). A secret key is a number d from 1 to n − 1; its public key is the x of
 * d·G, 32 bytes; a signature is 64 bytes, the x of a point R and a number s.
 *
 * <p>Byte strings in, byte strings out, as BIP-340 writes them: numbers are 32 bytes, big-endian.
 * A wrong length is a caller's mistake ({@link IllegalArgumentException}); a signature that does
 * not hold is an answer, {@code false}.
 */
public final class Bip340 {
    private Bip340() {}

    public static final int KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    // tag::tagged-hash[]
    /**
     * SHA-256 of the parts, after SHA-256 of the tag written twice. Each step of BIP-340 hashes
     * with a tag of its own, so a hash made for one purpose (a nonce, say) can never be passed off
     * as one made for another (a challenge), nor as a hash some other protocol made.
     */
    public static byte[] taggedHash(String tag, byte[]... parts) {
        byte[] tagHash = Sha256.newDigest().digest(tag.getBytes(StandardCharsets.UTF_8));
        MessageDigest digest = Sha256.newDigest();
        digest.update(tagHash);
        digest.update(tagHash);
        for (byte[] part : parts) digest.update(part);
        return digest.digest();
    }
    // end::tagged-hash[]

    /** Is this 32 bytes holding a number from 1 to n − 1, a secret key? */
    public static boolean isValidSecret(byte[] secretKey) {
        if (secretKey.length != KEY_BYTES) return false;
        BigInteger d = number(secretKey);
        return d.signum() > 0 && d.compareTo(N) < 0;
    }

    // tag::public-key[]
    /** The x of d·G. Its y is left out: of the two points with that x, the key means the one with even y. */
    public static byte[] publicKey(byte[] secretKey) {
        return bytes(Secp256k1.multiplyG(secret(secretKey)).x());
    }
    // end::public-key[]

    // tag::sign[]
    /**
     * Signs a message of any length. {@code auxRand} is 32 bytes of fresh randomness; the
     * signature would be sound with zeros too, but randomness makes it harder for someone watching
     * the computation (its timing, its power) to learn the key.
     */
    public static byte[] sign(byte[] secretKey, byte[] message, byte[] auxRand) {
        requireLength(auxRand, KEY_BYTES, "aux_rand");
        BigInteger secret = secret(secretKey);
        Point publicPoint = Secp256k1.multiplyG(secret);
        // The public key means the point with even y; if d·G has odd y, then (n − d)·G is that point.
        BigInteger d = publicPoint.hasEvenY() ? secret : N.subtract(secret);
        byte[] publicKey = bytes(publicPoint.x());

        // The nonce k must be secret and never used for two messages: two signatures with one k give
        // away d. So k is a hash of the key (masked with a hash of aux_rand), the public key and the message.
        byte[] masked = xor(bytes(d), taggedHash("BIP0340/aux", auxRand));
        BigInteger nonce = number(taggedHash("BIP0340/nonce", masked, publicKey, message)).mod(N);
        if (nonce.signum() == 0) throw new IllegalStateException("the nonce hashed to 0 (a chance of 1 in 2^256)");
        Point noncePoint = Secp256k1.multiplyG(nonce);
        BigInteger k = noncePoint.hasEvenY() ? nonce : N.subtract(nonce);
        byte[] r = bytes(noncePoint.x());

        BigInteger e = challenge(r, publicKey, message);
        return concat(r, bytes(k.add(e.multiply(d)).mod(N))); // s = k + e·d
    }
    // end::sign[]

    // tag::verify[]
    /**
     * Does the signature hold for this public key and message? s = k + e·d means s·G = R + e·P,
     * so R = s·G − e·P must come out as a point with even y and the signature's x. Anyone can
     * check that with P alone; making s needs d.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        return whyInvalid(publicKey, message, signature).isEmpty();
    }

    /** The same check, answering why the signature does not hold (in BIP-340's words, sG - eP), or nothing when it holds. */
    public static Optional<String> whyInvalid(byte[] publicKey, byte[] message, byte[] signature) {
        requireLength(publicKey, KEY_BYTES, "a public key");
        requireLength(signature, SIGNATURE_BYTES, "a signature");
        BigInteger x = number(publicKey);
        if (x.compareTo(P) >= 0) return Optional.of("the public key is not below p");
        Optional<Point> publicPoint = Secp256k1.liftX(x);
        if (publicPoint.isEmpty()) return Optional.of("no point of the curve has the public key as its x");
        byte[] rBytes = Arrays.copyOfRange(signature, 0, KEY_BYTES);
        BigInteger r = number(rBytes);
        BigInteger s = number(Arrays.copyOfRange(signature, KEY_BYTES, SIGNATURE_BYTES));
        // Below p and n, or one signature could be written a second way (as r + p, or s + n) and look new.
        if (r.compareTo(P) >= 0) return Optional.of("r is not below p");
        if (s.compareTo(N) >= 0) return Optional.of("s is not below n");
        BigInteger e = challenge(rBytes, publicKey, message);
        // −e·P is (n − e)·P, since n·P is infinity.
        Point noncePoint = Secp256k1.sumOfMultiples(s, G, N.subtract(e), publicPoint.get());
        if (noncePoint.isInfinity()) return Optional.of("sG - eP is the point at infinity");
        if (!noncePoint.x().equals(r)) return Optional.of("sG - eP has another x than the signature's r");
        if (!noncePoint.hasEvenY()) return Optional.of("sG - eP has the signature's x but an odd y");
        return Optional.empty();
    }
    // end::verify[]

    /**
     * e, the challenge: it binds the signature to R, the key and the message, and the signer cannot
     * choose it, because it comes from R, which the signer has already committed to.
     */
    private static BigInteger challenge(byte[] r, byte[] publicKey, byte[] message) {
        return number(taggedHash("BIP0340/challenge", r, publicKey, message)).mod(N);
    }

    private static BigInteger secret(byte[] secretKey) {
        requireLength(secretKey, KEY_BYTES, "a secret key");
        if (!isValidSecret(secretKey)) {
            throw new IllegalArgumentException("a secret key is a number from 1 to n - 1, and this one is not");
        }
        return number(secretKey);
    }

    private static void requireLength(byte[] bytes, int length, String what) {
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + " is " + length + " bytes, not " + bytes.length);
        }
    }

    /** The bytes as a number, big-endian and never negative. */
    private static BigInteger number(byte[] bytes) {
        return new BigInteger(1, bytes);
    }

    /** The number (below 2^256) as 32 bytes, big-endian: BigInteger's own bytes may be 1 more or fewer. */
    private static byte[] bytes(BigInteger number) {
        byte[] minimal = number.toByteArray();
        byte[] padded = new byte[KEY_BYTES];
        int length = Math.min(minimal.length, KEY_BYTES);
        System.arraycopy(minimal, minimal.length - length, padded, KEY_BYTES - length, length);
        return padded;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) result[i] = (byte) (a[i] ^ b[i]);
        return result;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}

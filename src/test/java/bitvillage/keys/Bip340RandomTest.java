package bitvillage.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A thousand signatures by random keys over random messages verify, and each stops verifying when
 * one bit of its message, its key or itself is flipped. The randomness is seeded, so a failure
 * comes back on the next run.
 */
class Bip340RandomTest {
    static final long SEED = 340;
    static final int SIGNATURES = 1_000;

    /** A random secret key: 32 random bytes, drawn again in the rare case they are 0 or at least n. */
    static byte[] randomSecret(Random random) {
        byte[] secret = new byte[Bip340.KEY_BYTES];
        do {
            random.nextBytes(secret);
        } while (!Bip340.isValidSecret(secret));
        return secret;
    }

    static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A copy with one bit flipped, chosen at random. */
    static byte[] flipOneBit(byte[] bytes, Random random) {
        byte[] flipped = bytes.clone();
        int bit = random.nextInt(bytes.length * 8);
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }

    @Test
    @DisplayName("1,000 random signatures verify, and fail with one bit of message, key or signature flipped (seed 340)")
    void randomSignaturesVerifyAndFailWhenOneBitIsFlipped() {
        Random random = new Random(SEED);
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < SIGNATURES; i++) {
            byte[] secret = randomSecret(random);
            byte[] publicKey = Bip340.publicKey(secret);
            byte[] message = randomBytes(random, random.nextInt(101)); // 0 to 100 bytes, as the vectors' messages
            byte[] signature = Bip340.sign(secret, message, randomBytes(random, 32));
            String which = "signature " + i + " (seed " + SEED + "): key " + hex.formatHex(publicKey) + ", message '"
                    + hex.formatHex(message) + "', signature " + hex.formatHex(signature);
            assertTrue(Bip340.verify(publicKey, message, signature), which);
            // One of the three is changed each time, in turn: a thousand verifications, not three thousand.
            switch (i % 3) {
                case 0 -> {
                    if (message.length == 0) message = new byte[1]; // an empty message has no bit: add a byte
                    else message = flipOneBit(message, random);
                    assertFalse(Bip340.verify(publicKey, message, signature), "message changed: " + which);
                }
                case 1 -> assertFalse(Bip340.verify(flipOneBit(publicKey, random), message, signature), "key changed: " + which);
                default -> assertFalse(Bip340.verify(publicKey, message, flipOneBit(signature, random)),
                        "signature changed: " + which);
            }
        }
    }

    @Test
    void signingIsDeterministicGivenAuxRandAndAuxRandChangesTheSignature() {
        Random random = new Random(SEED);
        byte[] secret = randomSecret(random);
        byte[] message = randomBytes(random, 32);
        byte[] aux = randomBytes(random, 32);
        byte[] signature = Bip340.sign(secret, message, aux);
        assertArrayEquals(signature, Bip340.sign(secret, message, aux));
        byte[] other = Bip340.sign(secret, message, flipOneBit(aux, random));
        assertNotEquals(HexFormat.of().formatHex(signature), HexFormat.of().formatHex(other));
        assertTrue(Bip340.verify(Bip340.publicKey(secret), message, other));
    }

    @Test
    void aSignatureByAnotherKeyDoesNotVerify() {
        Random random = new Random(SEED);
        byte[] message = randomBytes(random, 32);
        byte[] signature = Bip340.sign(randomSecret(random), message, new byte[32]);
        assertFalse(Bip340.verify(Bip340.publicKey(randomSecret(random)), message, signature));
    }

    @Test
    void secretKeysRunFromOneToNMinusOne() {
        BigInteger n = Secp256k1.N;
        assertFalse(Bip340.isValidSecret(new byte[32]), "0");
        assertTrue(Bip340.isValidSecret(bytes32(BigInteger.ONE)), "1");
        assertTrue(Bip340.isValidSecret(bytes32(n.subtract(BigInteger.ONE))), "n - 1");
        assertFalse(Bip340.isValidSecret(bytes32(n)), "n");
        assertFalse(Bip340.isValidSecret(bytes32(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))), "2^256 - 1");
        assertFalse(Bip340.isValidSecret(new byte[31]), "31 bytes");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Bip340.sign(bytes32(n), new byte[0], new byte[32]));
        assertEquals("a secret key is a number from 1 to n - 1, and this one is not", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bip340.publicKey(new byte[32]));
    }

    @Test
    void wrongLengthsAreACallersMistakeNotAnAnswer() {
        byte[] key = new byte[32];
        assertEquals("a public key is 32 bytes, not 33", assertThrows(IllegalArgumentException.class,
                () -> Bip340.verify(new byte[33], new byte[0], new byte[64])).getMessage());
        assertEquals("a signature is 64 bytes, not 63", assertThrows(IllegalArgumentException.class,
                () -> Bip340.verify(key, new byte[0], new byte[63])).getMessage());
        assertEquals("aux_rand is 32 bytes, not 0", assertThrows(IllegalArgumentException.class,
                () -> Bip340.sign(bytes32(BigInteger.ONE), new byte[0], new byte[0])).getMessage());
    }

    static byte[] bytes32(BigInteger number) {
        return HexFormat.of().parseHex(String.format("%064x", number));
    }
}

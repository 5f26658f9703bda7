package bitvillage.keys;

import bitvillage.util.python.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A villager's keys: a secret key made fresh or from a seed text, and the address others pay to. */
public final class Keys {
    private Keys() {}

    // tag::brain-wallet[]
    /**
     * A "brain wallet": the secret key is SHA-256 of the seed's UTF-8 bytes, so the same seed
     * gives the same key on every machine. That is why the pages use one, and why nobody should
     * keep money under one: whoever guesses the seed holds the key, and people guess words, names
     * and sentences by the billion.
     *
     * @throws IllegalArgumentException in the unheard-of case that the hash is 0 or at least n
     */
    public static byte[] fromSeed(String seed) {
        byte[] secret = Sha256.newDigest().digest(seed.getBytes(StandardCharsets.UTF_8));
        if (!Bip340.isValidSecret(secret)) {
            throw new IllegalArgumentException(
                    "SHA-256 of this seed is 0 or at least n, so it is no secret key: choose another seed");
        }
        return secret;
    }
    // end::brain-wallet[]

    /** A secret key nobody can guess: 32 bytes from SecureRandom, drawn again in the rare case they are 0 or at least n. */
    public static byte[] fresh() {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[Bip340.KEY_BYTES];
        do {
            random.nextBytes(secret);
        } while (!Bip340.isValidSecret(secret));
        return secret;
    }

    /** The address of a secret key: its x-only public key, 64 lower-case hex digits. */
    public static String address(byte[] secretKey) {
        return HexFormat.of().formatHex(Bip340.publicKey(secretKey));
    }
}

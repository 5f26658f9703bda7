package bitvillage.keys;

import bitvillage.util.python.Sha256;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signatures a node has already verified, as Bitcoin Core keeps them: a payment is checked
 * when it arrives, and again in every block and every neighbour's chain that holds it; the second
 * time, remembering is far cheaper than a verification. Only signatures that held are remembered,
 * and at most {@code capacity} of them: past that, the oldest is forgotten. Safe to share
 * between threads.
 */
public final class VerifiedSignatures {
    /**
     * One signature that held: hex of the public key, of SHA-256 of the message (a message may be
     * long, its hash is 32 bytes) and of the signature.
     */
    private record Verified(String publicKey, String messageHash, String signature) {
        static Verified of(byte[] publicKey, byte[] message, byte[] signature) {
            HexFormat hex = HexFormat.of();
            return new Verified(hex.formatHex(publicKey), Sha256.hex(message), hex.formatHex(signature));
        }
    }

    private final Map<Verified, Boolean> remembered;

    public VerifiedSignatures(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("a cache holds at least 1 signature, not " + capacity);
        // In insertion order, so the eldest entry is the one remembered longest ago.
        this.remembered = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Verified, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@link Bip340#verify}, unless this very signature of this message by this key held before. */
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Verified triple = Verified.of(publicKey, message, signature);
        synchronized (remembered) {
            if (remembered.containsKey(triple)) return true;
        }
        // Verified outside the lock, so that threads verifying different signatures do not wait for each other.
        if (!Bip340.verify(publicKey, message, signature)) return false;
        synchronized (remembered) {
            remembered.put(triple, Boolean.TRUE);
        }
        return true;
    }

    /** Is this signature of this message by this key remembered as verified? */
    public boolean contains(byte[] publicKey, byte[] message, byte[] signature) {
        Verified triple = Verified.of(publicKey, message, signature);
        synchronized (remembered) {
            return remembered.containsKey(triple);
        }
    }

    /** How many signatures are remembered, at most the capacity. */
    public int size() {
        synchronized (remembered) {
            return remembered.size();
        }
    }
}

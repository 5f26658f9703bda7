package bitvillage.exercises;

/** Exercise keys.2: verify a BIP-340 signature. */
public final class KeysVerify {
    private KeysVerify() {}

    /**
     * Does {@code signature} (64 bytes: r, then s) hold for {@code publicKey} (32 bytes, an x-only
     * key) and {@code message} (any length)? BIP-340's steps, with what bitvillage.keys offers:
     * <ol>
     *   <li>P is the point with the key as its x and an even y ({@code Secp256k1.liftX}); none: false.</li>
     *   <li>r and s are the signature's halves as numbers; r must be below {@code Secp256k1.P}, s below {@code Secp256k1.N}.</li>
     *   <li>e is {@code Bip340.taggedHash("BIP0340/challenge", r's 32 bytes, publicKey, message)} as a number, modulo N.</li>
     *   <li>R = s·G − e·P, that is s·G + (N − e)·P ({@code Secp256k1.sumOfMultiples}, or {@code multiply} and {@code plus}).</li>
     *   <li>The signature holds when R is not infinity, its y is even, and its x is r.</li>
     * </ol>
     * Do not call Bip340.verify: that is the answer.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        throw new UnsupportedOperationException("exercise keys.2: write KeysVerify.verify");
    }
}

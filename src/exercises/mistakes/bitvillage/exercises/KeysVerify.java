package bitvillage.exercises;

import static bitvillage.keys.Secp256k1.G;
import static bitvillage.keys.Secp256k1.N;
import static bitvillage.keys.Secp256k1.P;

import bitvillage.keys.Bip340;
import bitvillage.keys.Secp256k1.Point;
import bitvillage.keys.Secp256k1;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/** Compares R's x with r and stops there: R with an odd y is another point with the same x, and passes. */
public final class KeysVerify {
    private KeysVerify() {}

    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        Optional<Point> publicPoint = Secp256k1.liftX(new BigInteger(1, publicKey));
        if (publicPoint.isEmpty()) return false;
        byte[] rBytes = Arrays.copyOfRange(signature, 0, 32);
        BigInteger r = new BigInteger(1, rBytes);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.compareTo(P) >= 0 || s.compareTo(N) >= 0) return false;
        BigInteger e = new BigInteger(1, Bip340.taggedHash("BIP0340/challenge", rBytes, publicKey, message)).mod(N);
        Point nonce = Secp256k1.sumOfMultiples(s, G, N.subtract(e), publicPoint.get());
        return !nonce.isInfinity() && nonce.x().equals(r);
    }
}

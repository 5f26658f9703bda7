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

/** Answer keys.2, step by step (Bip340.verify, region verify, is the same with a reason for each refusal). */
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
        return !nonce.isInfinity() && nonce.hasEvenY() && nonce.x().equals(r);
    }
}

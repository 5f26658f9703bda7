package bitvillage.exercises;

import bitvillage.keys.Secp256k1.Point;

/** Exercise keys.1: double a point of secp256k1 by the tangent rule. */
public final class KeysDouble {
    private KeysDouble() {}

    /**
     * point + point, for a point (x, y) of y² = x³ + 7 other than infinity, all modulo
     * bitvillage.keys.Secp256k1.P: the tangent's slope is 3x² / 2y, then x' = slope² − 2x and
     * y' = slope·(x − x') − y. Dividing modulo P is multiplying by an inverse (BigInteger.modInverse),
     * and BigInteger.mod, unlike %, never answers a negative number.
     */
    public static Point twice(Point point) {
        throw new UnsupportedOperationException("exercise keys.1: write KeysDouble.twice");
    }
}

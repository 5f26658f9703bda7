package bitvillage.exercises;

import static bitvillage.keys.Secp256k1.P;

import bitvillage.keys.Secp256k1.Point;
import java.math.BigInteger;

/** Divides the slope as whole numbers do (3x² / 2y, rounded down), not modulo P: the tangent of the real plane, not the curve's. */
public final class KeysDouble {
    private KeysDouble() {}

    public static Point twice(Point point) {
        BigInteger x = point.x();
        BigInteger y = point.y();
        BigInteger slope = x.pow(2).multiply(BigInteger.valueOf(3)).divide(y.shiftLeft(1)).mod(P);
        BigInteger twiceX = slope.pow(2).subtract(x.shiftLeft(1)).mod(P);
        BigInteger twiceY = slope.multiply(x.subtract(twiceX)).subtract(y).mod(P);
        return new Point(twiceX, twiceY);
    }
}

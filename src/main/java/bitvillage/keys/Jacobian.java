package bitvillage.keys;

import static bitvillage.keys.Secp256k1.P;

import bitvillage.keys.Secp256k1.Point;
import java.math.BigInteger;

/**
 * A point written as (X, Y, Z), meaning the affine point (X / Z², Y / Z³); Z = 0 is infinity.
 *
 * <p>Why: adding in affine coordinates divides once per step, and dividing modulo P means a
 * modular inverse, which costs ten or more multiplications. Carrying the denominator along in Z
 * turns every division into a few multiplications; a multiple of 256 doublings and about 128
 * additions then divides once, at the very end ({@link #toAffine}).
 *
 * @param x X, from 0 to P − 1
 * @param y Y, from 0 to P − 1
 * @param z Z, from 0 to P − 1; 0 for infinity
 */
record Jacobian(BigInteger x, BigInteger y, BigInteger z) {
    static final Jacobian INFINITY = new Jacobian(BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);

    boolean isInfinity() {
        return z.signum() == 0;
    }

    static Jacobian of(Point point) {
        return point.isInfinity() ? INFINITY : new Jacobian(point.x(), point.y(), BigInteger.ONE);
    }

    /** Back to (x, y): the one modular inverse. */
    Point toAffine() {
        if (isInfinity()) return Point.INFINITY;
        BigInteger zInverse = z.modInverse(P);
        BigInteger zInverseSquared = mod(zInverse.multiply(zInverse));
        return new Point(mod(x.multiply(zInverseSquared)), mod(y.multiply(zInverseSquared).multiply(zInverse)));
    }

    // tag::jacobian-double[]
    /** The tangent rule of {@link Point#twice}, with the slope's denominator 2Y moved into Z. */
    Jacobian twice() {
        if (isInfinity() || y.signum() == 0) return INFINITY;
        BigInteger ySquared = mod(y.multiply(y));
        BigInteger s = mod(x.multiply(ySquared).shiftLeft(2)); // 4·X·Y²
        BigInteger m = mod(x.multiply(x).multiply(BigInteger.valueOf(3))); // 3·X², the slope's numerator
        BigInteger twiceX = mod(m.multiply(m).subtract(s.shiftLeft(1)));
        BigInteger twiceY = mod(m.multiply(s.subtract(twiceX)).subtract(ySquared.multiply(ySquared).shiftLeft(3)));
        BigInteger twiceZ = mod(y.multiply(z).shiftLeft(1));
        return new Jacobian(twiceX, twiceY, twiceZ);
    }
    // end::jacobian-double[]

    // tag::jacobian-add[]
    /**
     * This point plus an affine one. Bringing the affine point to this one's Z (its x times Z²,
     * its y times Z³) makes the two comparable; the chord rule then needs no division.
     */
    Jacobian plus(Point other) {
        if (other.isInfinity()) return this;
        if (isInfinity()) return of(other);
        BigInteger zSquared = mod(z.multiply(z));
        BigInteger otherX = mod(other.x().multiply(zSquared));
        BigInteger otherY = mod(other.y().multiply(zSquared).multiply(z));
        BigInteger h = mod(otherX.subtract(x)); // the difference in x, the slope's denominator
        BigInteger r = mod(otherY.subtract(y)); // the difference in y, its numerator
        if (h.signum() == 0) return r.signum() == 0 ? twice() : INFINITY; // the same point, or its mirror
        BigInteger hSquared = mod(h.multiply(h));
        BigInteger hCubed = mod(hSquared.multiply(h));
        BigInteger v = mod(x.multiply(hSquared));
        BigInteger sumX = mod(r.multiply(r).subtract(hCubed).subtract(v.shiftLeft(1)));
        BigInteger sumY = mod(r.multiply(v.subtract(sumX)).subtract(y.multiply(hCubed)));
        return new Jacobian(sumX, sumY, mod(z.multiply(h)));
    }
    // end::jacobian-add[]

    private static BigInteger mod(BigInteger value) {
        return value.mod(P);
    }
}

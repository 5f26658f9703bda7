package bitvillage.keys;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Bitcoin's curve, secp256k1: the points (x, y) with y² = x³ + 7, where x and y are whole numbers
 * modulo the prime {@link #P}. Points can be added, and adding a point to itself k times (k·G) is
 * easy, while finding k from k·G is not: that one-way street is what a secret key rests on.
 *
 * <p>Everything here is written on {@link BigInteger} (JDK 17 has no secp256k1), for reading, not
 * for speed or for hiding secrets from a stopwatch: its timing depends on the secret key, so it is
 * for a classroom village, not for guarding real money.
 */
public final class Secp256k1 {
    private Secp256k1() {}

    // tag::curve[]
    /** The field's prime, 2^256 − 2^32 − 977: every coordinate is a whole number from 0 to P − 1. */
    public static final BigInteger P = new BigInteger(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);

    /** The b of y² = x³ + b (the curve's a is 0). */
    public static final BigInteger B = BigInteger.valueOf(7);

    /** How many points G's multiples run through before they return to infinity: n·G = infinity. */
    public static final BigInteger N = new BigInteger(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    /** The generator, the point every public key is a multiple of. */
    public static final Point G = new Point(
            new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
            new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16));
    // end::curve[]

    /** 2^i·G for i from 0 to 255, doubled once and for all: see {@link #multiplyG}. */
    private static final Point[] G_DOUBLED = doublings(G, 256);

    /**
     * A point in affine coordinates, (x, y), or the point at infinity: the "zero" of point
     * addition (P + infinity = P), which has no coordinates and is written with nulls.
     */
    public record Point(BigInteger x, BigInteger y) {
        public static final Point INFINITY = new Point(null, null);

        public boolean isInfinity() {
            return x == null;
        }

        /** Does the point satisfy y² = x³ + 7 (mod P)? Infinity counts as on the curve. */
        public boolean isOnCurve() {
            return isInfinity() || y.pow(2).subtract(x.pow(3).add(B)).mod(P).signum() == 0;
        }

        /** The mirror image below the x axis: P + (−P) = infinity. */
        public Point negate() {
            return isInfinity() ? this : new Point(x, P.subtract(y).mod(P));
        }

        // tag::point-add[]
        /**
         * The line through this point and {@code other} meets the curve in a third point; the sum
         * is that point's mirror image. Dividing means multiplying by a modular inverse, which is
         * the slow part (see {@link Jacobian}).
         */
        public Point plus(Point other) {
            if (isInfinity()) return other;
            if (other.isInfinity()) return this;
            if (x.equals(other.x)) {
                // The same x: either the same point (the line is the tangent) or its mirror (a vertical line).
                return y.equals(other.y) ? twice() : INFINITY;
            }
            BigInteger slope = other.y.subtract(y).multiply(other.x.subtract(x).modInverse(P)).mod(P);
            BigInteger sumX = slope.pow(2).subtract(x).subtract(other.x).mod(P);
            BigInteger sumY = slope.multiply(x.subtract(sumX)).subtract(y).mod(P);
            return new Point(sumX, sumY);
        }
        // end::point-add[]

        // tag::point-double[]
        /** P + P: the line is the tangent at P, whose slope is 3x² / 2y. */
        public Point twice() {
            if (isInfinity() || y.signum() == 0) return INFINITY; // a vertical tangent (no such point on secp256k1)
            BigInteger slope = BigInteger.valueOf(3).multiply(x.pow(2)).multiply(y.shiftLeft(1).modInverse(P)).mod(P);
            BigInteger twiceX = slope.pow(2).subtract(x.shiftLeft(1)).mod(P);
            BigInteger twiceY = slope.multiply(x.subtract(twiceX)).subtract(y).mod(P);
            return new Point(twiceX, twiceY);
        }
        // end::point-double[]

        /** k·P for k ≥ 0, by double-and-add in Jacobian coordinates. */
        public Point times(BigInteger k) {
            return multiply(k, this);
        }

        /** BIP-340 keeps only x, and always means the point whose y is even. */
        public boolean hasEvenY() {
            return !y.testBit(0);
        }
    }

    // tag::multiply[]
    /**
     * k·point, reading k's bits from the highest: for each bit, double what we have, and add the
     * point when the bit is 1. About 256 doublings and 128 additions instead of k additions. The
     * sum is kept in Jacobian coordinates, so no step divides: there is one division, at the end.
     */
    public static Point multiply(BigInteger k, Point point) {
        if (k.signum() < 0) throw new IllegalArgumentException("a multiple needs k >= 0, not " + k);
        Jacobian sum = Jacobian.INFINITY;
        for (int bit = k.bitLength() - 1; bit >= 0; bit--) {
            sum = sum.twice();
            if (k.testBit(bit)) sum = sum.plus(point);
        }
        return sum.toAffine();
    }
    // end::multiply[]

    // tag::multiply-g[]
    /**
     * k·G, for k from 0 to 2^256 − 1: the multiple every key and every signature needs. G never
     * changes, so its doublings are done once, when the class loads; k·G is then the sum of the
     * 2^i·G for k's 1 bits, about 128 additions and no doubling, twice as fast as {@link #multiply}.
     */
    public static Point multiplyG(BigInteger k) {
        if (k.signum() < 0 || k.bitLength() > G_DOUBLED.length) {
            throw new IllegalArgumentException("multiplyG needs 0 <= k < 2^256, not " + k);
        }
        Jacobian sum = Jacobian.INFINITY;
        for (int bit = 0; bit < k.bitLength(); bit++) {
            if (k.testBit(bit)) sum = sum.plus(G_DOUBLED[bit]);
        }
        return sum.toAffine();
    }
    // end::multiply-g[]

    private static Point[] doublings(Point point, int count) {
        Point[] doubled = new Point[count];
        doubled[0] = point;
        for (int i = 1; i < count; i++) doubled[i] = doubled[i - 1].twice();
        return doubled;
    }

    // tag::shamir[]
    /**
     * a·A + b·B in one loop (Shamir's trick): both scalars' bits are read together, so the 256
     * doublings are shared, and each step adds A, B or A + B (worked out once, beforehand).
     * Verifying a signature needs exactly such a sum, s·G − e·P.
     */
    public static Point sumOfMultiples(BigInteger a, Point pointA, BigInteger b, Point pointB) {
        if (a.signum() < 0 || b.signum() < 0) throw new IllegalArgumentException("multiples need a, b >= 0");
        Point both = pointA.plus(pointB);
        Jacobian sum = Jacobian.INFINITY;
        for (int bit = Math.max(a.bitLength(), b.bitLength()) - 1; bit >= 0; bit--) {
            sum = sum.twice();
            boolean inA = a.testBit(bit);
            boolean inB = b.testBit(bit);
            if (inA && inB) sum = sum.plus(both);
            else if (inA) sum = sum.plus(pointA);
            else if (inB) sum = sum.plus(pointB);
        }
        return sum.toAffine();
    }
    // end::shamir[]

    // tag::lift-x[]
    /**
     * The point with this x and an even y, if there is one. y² = x³ + 7 has a root only for about
     * half of all x; since P ≡ 3 (mod 4), a root of c is c^((P + 1) / 4), and squaring it back
     * tells whether c had one. Of the two roots y and P − y, exactly one is even.
     */
    public static Optional<Point> liftX(BigInteger x) {
        if (x.signum() < 0 || x.compareTo(P) >= 0) return Optional.empty();
        BigInteger ySquared = x.pow(3).add(B).mod(P);
        BigInteger y = ySquared.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        if (!y.pow(2).mod(P).equals(ySquared)) return Optional.empty();
        return Optional.of(new Point(x, y.testBit(0) ? P.subtract(y) : y));
    }
    // end::lift-x[]
}

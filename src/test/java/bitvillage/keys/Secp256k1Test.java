package bitvillage.keys;

import static bitvillage.keys.Secp256k1.G;
import static bitvillage.keys.Secp256k1.N;
import static bitvillage.keys.Secp256k1.P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Secp256k1.Point;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The curve's arithmetic: affine addition and doubling, and the Jacobian multiples built on them agree. */
class Secp256k1Test {
    static final long SEED = 256;

    /** k·point by double-and-add on affine points alone: slow, but nothing shared with the Jacobian code. */
    private static Point affineMultiple(BigInteger k, Point point) {
        Point sum = Point.INFINITY;
        for (int bit = k.bitLength() - 1; bit >= 0; bit--) {
            sum = sum.twice();
            if (k.testBit(bit)) sum = sum.plus(point);
        }
        return sum;
    }

    @Test
    void gIsOnTheCurveAndTwoGIsGPlusG() {
        assertTrue(G.isOnCurve());
        assertEquals(G.plus(G), G.twice());
        assertEquals(G.twice(), G.times(BigInteger.TWO));
        assertTrue(G.twice().isOnCurve());
        assertEquals(G.twice().plus(G), G.times(BigInteger.valueOf(3)));
        assertEquals(G.plus(G.twice()), G.twice().plus(G), "addition commutes");
    }

    @Test
    void nGIsInfinityAndNMinusOneGIsMinusG() {
        assertTrue(G.times(N).isInfinity());
        assertEquals(G.negate(), G.times(N.subtract(BigInteger.ONE)));
        assertTrue(G.plus(G.negate()).isInfinity());
        assertTrue(G.times(BigInteger.ZERO).isInfinity());
        assertEquals(G, G.times(N.add(BigInteger.ONE)));
    }

    @Test
    void infinityIsTheZeroOfAddition() {
        assertEquals(G, G.plus(Point.INFINITY));
        assertEquals(G, Point.INFINITY.plus(G));
        assertTrue(Point.INFINITY.twice().isInfinity());
        assertTrue(Point.INFINITY.times(BigInteger.TEN).isInfinity());
        assertTrue(Point.INFINITY.isOnCurve());
    }

    @Test
    void jacobianMultiplesAgreeWithAffineAdditionForTheFirstMultiples() {
        Point sum = Point.INFINITY;
        for (int k = 1; k <= 40; k++) {
            sum = sum.plus(G);
            assertEquals(sum, G.times(BigInteger.valueOf(k)), k + "·G");
            assertTrue(sum.isOnCurve(), k + "·G is on the curve");
        }
    }

    @Test
    void jacobianMultiplesAgreeWithAffineOnesForRandomScalars() {
        Random random = new Random(SEED);
        Point point = G.times(BigInteger.valueOf(1234567));
        for (int i = 0; i < 20; i++) {
            BigInteger k = new BigInteger(256, random);
            assertEquals(affineMultiple(k, point), point.times(k), "k = " + k.toString(16) + ", seed " + SEED);
        }
    }

    @Test
    void multiplyGFromItsTableAgreesWithDoubleAndAdd() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20; i++) {
            BigInteger k = new BigInteger(256, random);
            assertEquals(G.times(k), Secp256k1.multiplyG(k), "k = " + k.toString(16) + ", seed " + SEED);
        }
        BigInteger largest = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        assertEquals(G.times(largest), Secp256k1.multiplyG(largest));
        assertEquals(G.negate(), Secp256k1.multiplyG(N.subtract(BigInteger.ONE)));
        assertTrue(Secp256k1.multiplyG(N).isInfinity());
        assertTrue(Secp256k1.multiplyG(BigInteger.ZERO).isInfinity());
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.multiplyG(largest.add(BigInteger.ONE)));
        assertThrows(IllegalArgumentException.class, () -> Secp256k1.multiplyG(BigInteger.ONE.negate()));
    }

    @Test
    void shamirsSumEqualsTheTwoMultiplesAdded() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20; i++) {
            BigInteger a = new BigInteger(256, random);
            BigInteger b = new BigInteger(256, random);
            Point other = G.times(new BigInteger(256, random));
            assertEquals(G.times(a).plus(other.times(b)), Secp256k1.sumOfMultiples(a, G, b, other),
                    "a = " + a.toString(16) + ", seed " + SEED);
        }
        // The corner cases: a point and its mirror (A + B is infinity), a point twice, and a sum that vanishes.
        assertEquals(G.times(BigInteger.TWO), Secp256k1.sumOfMultiples(BigInteger.valueOf(3), G, BigInteger.ONE, G.negate()));
        assertEquals(G.times(BigInteger.valueOf(5)), Secp256k1.sumOfMultiples(BigInteger.TWO, G, BigInteger.valueOf(3), G));
        assertTrue(Secp256k1.sumOfMultiples(BigInteger.ONE, G, N.subtract(BigInteger.ONE), G).isInfinity());
    }

    @Test
    void aNegativeMultipleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> G.times(BigInteger.ONE.negate()));
    }

    @Test
    void liftXFindsThePointWithEvenY() {
        assertEquals(Optional.of(G), Secp256k1.liftX(G.x()), "G's y is even");
        Point odd = G.times(BigInteger.valueOf(3));
        Point even = odd.hasEvenY() ? odd : odd.negate();
        assertEquals(Optional.of(even), Secp256k1.liftX(odd.x()));
        assertTrue(even.hasEvenY());
    }

    @Test
    void liftXRefusesWhatIsNoXOfTheCurve() {
        assertEquals(Optional.empty(), Secp256k1.liftX(P), "x = p is no field element");
        assertEquals(Optional.empty(), Secp256k1.liftX(BigInteger.ONE.negate()));
        // x = 5: 5³ + 7 = 132 has no square root modulo p, so no point of the curve has this x.
        assertEquals(Optional.empty(), Secp256k1.liftX(BigInteger.valueOf(5)));
        assertFalse(new Point(BigInteger.valueOf(5), BigInteger.ONE).isOnCurve());
    }
}

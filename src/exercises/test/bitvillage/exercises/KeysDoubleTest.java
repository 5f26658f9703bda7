package bitvillage.exercises;

import static bitvillage.keys.Secp256k1.G;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.keys.Secp256k1.Point;
import bitvillage.keys.Secp256k1;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("keys.1")
class KeysDoubleTest {

    /** 2·G, as every secp256k1 library has it (and as G + G by the chord rule's tangent case gives). */
    @Test
    void gDoubledIsTheWellKnown2G() {
        Point twoG = KeysDouble.twice(G);
        assertEquals(new BigInteger("c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5", 16), twoG.x(), "x of 2G");
        assertEquals(new BigInteger("1ae168fea63dc339a3c58419466ceaeef7f632653266d0e1236431a950cfe52a", 16), twoG.y(), "y of 2G");
        assertTrue(twoG.isOnCurve(), "2G is on the curve");
        assertEquals(G.times(BigInteger.valueOf(4)), KeysDouble.twice(twoG), "4G is 2G doubled");
    }

    /** 小美's public point (her secret key times G, with the y it really has) doubled, and 2^10·G by ten doublings. */
    @Test
    void xiaomeisPointDoubledAndTenDoublingsOfG() {
        Point xiaomei = Secp256k1.multiplyG(new BigInteger(1, Keys.fromSeed("小美")));
        assertEquals("3773d43668b5c5cff334af9487b947cc0ec61f27d3f7f2c7b172fb68c0cfa261", String.format("%064x", xiaomei.x()),
                "her address is the point's x");
        assertEquals(xiaomei.twice(), KeysDouble.twice(xiaomei));
        Point doubled = G;
        for (int i = 0; i < 10; i++) doubled = KeysDouble.twice(doubled);
        assertEquals(G.times(BigInteger.valueOf(1024)), doubled, "2^10·G");
    }

    @Test
    void randomMultiplesOfGDoubledStayOnTheCurveAsTheCurvesOwnTwiceSays() {
        Random random = new Random(340);
        for (int i = 0; i < 50; i++) {
            Point point = Secp256k1.multiplyG(new BigInteger(256, random));
            Point doubled = KeysDouble.twice(point);
            assertEquals(point.twice(), doubled, "the point " + point.x().toString(16) + " doubled, seed 340");
            assertTrue(doubled.x().signum() >= 0 && doubled.y().signum() >= 0, "coordinates from 0 to P - 1");
        }
    }
}

// Keys and signatures by hand (chapters/keys.md): a point doubled, 小美's key and address, her signature, a forgery refused.
// Run: jshell --class-path target/bitvillage.jar jshell/09-keys.jsh

import java.math.BigInteger;
import java.util.HexFormat;
import bitvillage.keys.Bip340;
import bitvillage.keys.Keys;
import bitvillage.keys.Secp256k1;
import bitvillage.keys.Secp256k1.Point;
import bitvillage.util.python.Sha256;

// Java 17 reads a script in the system's encoding; anywhere that is not UTF-8, 小美 arrives garbled and her key is another.
if (!"小美".equals("\u5c0f\u7f8e")) {
    System.out.println("This script was not read as UTF-8. Run it as: jshell -J-Dfile.encoding=UTF-8 -R-Dfile.encoding=UTF-8 --class-path target/bitvillage.jar SCRIPT");
}

BigInteger p = Secp256k1.P;
Point g = Secp256k1.G;
String hex64(BigInteger n) { return String.format("%064x", n); }

// The curve is y² = x³ + 7, modulo p. Is G on it?
System.out.println("G is on the curve: " + g.y().pow(2).subtract(g.x().pow(3).add(BigInteger.valueOf(7))).mod(p).equals(BigInteger.ZERO));

// G doubled by hand: the tangent at G has the slope 3x² / 2y, and dividing modulo p multiplies by an inverse.
BigInteger slope = BigInteger.valueOf(3).multiply(g.x().pow(2)).multiply(g.y().shiftLeft(1).modInverse(p)).mod(p);
BigInteger x2 = slope.pow(2).subtract(g.x().shiftLeft(1)).mod(p);
BigInteger y2 = slope.multiply(g.x().subtract(x2)).subtract(g.y()).mod(p);
System.out.println("2G by hand: x = " + hex64(x2));
System.out.println("           y = " + hex64(y2));
System.out.println("The same as G.twice(): " + new Point(x2, y2).equals(g.twice()) + "; as G + G: " + new Point(x2, y2).equals(g.plus(g)));

// 小美's brain wallet: her secret key is SHA-256 of the word 小美. Unsafe for money (anyone can hash 小美), reproducible for a page.
byte[] xiaomei = Keys.fromSeed("小美");
String address = Keys.address(xiaomei);
System.out.println("小美's secret key: " + HexFormat.of().formatHex(xiaomei));
System.out.println("小美's address:    " + address);
Point herPoint = Secp256k1.multiplyG(new BigInteger(1, xiaomei));
System.out.println("Her address is the x of her secret times G: " + hex64(herPoint.x()).equals(address));

// She signs the digest of the book's slip, as the page does with `digest` and `keys sign`.
byte[] slip = HexFormat.of().parseHex(Sha256.hex("把 699 元從小美的戶頭轉到大華的戶頭"));
byte[] signature = Bip340.sign(xiaomei, slip, new byte[32]);
System.out.println("Her signature: " + HexFormat.of().formatHex(signature));
System.out.println("It holds for her address: " + Bip340.verify(HexFormat.of().parseHex(address), slip, signature));

// 大華 signs the same slip with his own key and puts it in her name: it does not hold for her address.
byte[] daHua = Keys.fromSeed("大華");
byte[] forged = Bip340.sign(daHua, slip, new byte[32]);
System.out.println("大華's signature in her name holds: " + Bip340.verify(HexFormat.of().parseHex(address), slip, forged)
        + " (" + Bip340.whyInvalid(HexFormat.of().parseHex(address), slip, forged).orElse("") + ")");

// Or he changes 699 to 6990 and keeps her signature: the digest changes, so the signature no longer fits it.
byte[] changed = HexFormat.of().parseHex(Sha256.hex("把 6990 元從小美的戶頭轉到大華的戶頭"));
System.out.println("Her signature on the changed slip holds: " + Bip340.verify(HexFormat.of().parseHex(address), changed, signature));
/exit

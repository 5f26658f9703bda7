package bitvillage.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.python.Sha256;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Brain-wallet keys, fresh keys, and addresses. */
class KeysTest {
    @Test
    void aSeedsKeyIsSha256OfItsUtf8Bytes() {
        assertEquals(Sha256.hex("小美"), HexFormat.of().formatHex(Keys.fromSeed("小美")));
        assertArrayEquals(Keys.fromSeed("大華"), Keys.fromSeed("大華"), "the same seed, the same key");
        assertNotEquals(Keys.address(Keys.fromSeed("小美")), Keys.address(Keys.fromSeed("大華")));
    }

    @Test
    void anAddressIsTheXOnlyPublicKeyIn64LowerCaseHexDigits() {
        byte[] secret = Keys.fromSeed("小美");
        String address = Keys.address(secret);
        assertTrue(address.matches("[0-9a-f]{64}"), address);
        assertEquals(HexFormat.of().formatHex(Bip340.publicKey(secret)), address);
        // The secret key 1 has G itself as its public key.
        assertEquals("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
                Keys.address(HexFormat.of().parseHex("00".repeat(31) + "01")));
    }

    @Test
    void freshKeysAreValidAndDiffer() {
        byte[] one = Keys.fresh();
        byte[] other = Keys.fresh();
        assertTrue(Bip340.isValidSecret(one));
        assertNotEquals(HexFormat.of().formatHex(one), HexFormat.of().formatHex(other));
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Bip340;
import bitvillage.keys.Keys;
import bitvillage.util.python.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("keys.2")
class KeysVerifyTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The 19 official vectors: public key, message, signature, and whether it must verify (each with its comment). */
    @Test
    void theNineteenVectorsOfBip340() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/bip340/bip340-test-vectors.csv"), StandardCharsets.UTF_8);
        assertEquals(20, lines.size(), "a header and 19 vectors");
        for (String line : lines.subList(1, lines.size())) {
            String[] field = line.split(",", -1);
            boolean expected = field[6].equals("TRUE");
            assertEquals(expected, KeysVerify.verify(HEX.parseHex(field[2]), HEX.parseHex(field[4]), HEX.parseHex(field[5])),
                    "vector " + field[0] + (expected ? " verifies" : " fails") + (field[7].isEmpty() ? "" : ": " + field[7]));
        }
    }

    /** The keys page's scene: 小美 signs the digest of the book's slip; 大華 cannot sign it in her name, nor change it. */
    @Test
    void xiaomeisSlipHoldsAndTheForgeriesDoNot() {
        byte[] xiaomei = Keys.fromSeed("小美");
        byte[] daHua = Keys.fromSeed("大華");
        byte[] address = Bip340.publicKey(xiaomei);
        byte[] slip = HEX.parseHex(Sha256.hex("把 699 元從小美的戶頭轉到大華的戶頭"));
        byte[] signature = Bip340.sign(xiaomei, slip, new byte[32]);
        assertTrue(KeysVerify.verify(address, slip, signature), "her signature of her slip");
        assertFalse(KeysVerify.verify(address, slip, Bip340.sign(daHua, slip, new byte[32])), "大華 signing in her name");
        assertFalse(KeysVerify.verify(address, HEX.parseHex(Sha256.hex("把 6990 元從小美的戶頭轉到大華的戶頭")), signature),
                "her signature on a changed slip");
        assertFalse(KeysVerify.verify(Bip340.publicKey(daHua), slip, signature), "her signature is not his");
    }

    /** One bit flipped anywhere in the message or the signature, and the signature no longer holds. */
    @Test
    void everyFlippedBitBreaksTheSignature() {
        byte[] secret = Keys.fromSeed("村長");
        byte[] message = "the village's ledger".getBytes(StandardCharsets.UTF_8);
        byte[] signature = Bip340.sign(secret, message, new byte[32]);
        byte[] address = Bip340.publicKey(secret);
        assertTrue(KeysVerify.verify(address, message, signature));
        for (int bit = 0; bit < signature.length * 8; bit += 7) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(KeysVerify.verify(address, message, flipped), "signature bit " + bit + " flipped");
        }
        for (int bit = 0; bit < message.length * 8; bit += 5) {
            byte[] flipped = message.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(KeysVerify.verify(address, flipped, signature), "message bit " + bit + " flipped");
        }
    }
}

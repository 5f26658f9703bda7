package bitvillage.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 19 official test vectors of BIP-340 (src/test/resources/bip340/, with their licence): for
 * each, the public key of the secret, the signature made with the given aux_rand, and whether the
 * signature verifies.
 */
class Bip340VectorsTest {
    static final Path VECTORS = Path.of("src/test/resources/bip340/bip340-test-vectors.csv");

    /** One line of the file; the secret and aux_rand are null where the vector tests verification only. */
    record Vector(int index, byte[] secretKey, byte[] publicKey, byte[] auxRand, byte[] message, byte[] signature,
                  boolean valid, String comment) {
        @Override
        public String toString() {
            return "vector " + index + (valid ? " verifies" : " fails") + (comment.isEmpty() ? "" : ": " + comment);
        }
    }

    static List<Vector> vectors() throws IOException {
        List<String> lines = Files.readAllLines(VECTORS, StandardCharsets.UTF_8);
        return lines.subList(1, lines.size()).stream().map(Bip340VectorsTest::parse).toList();
    }

    private static Vector parse(String line) {
        String[] fields = line.split(",", -1); // -1 keeps the empty message and comment
        return new Vector(Integer.parseInt(fields[0]), hexOrNull(fields[1]), hex(fields[2]), hexOrNull(fields[3]),
                hex(fields[4]), hex(fields[5]), fields[6].equals("TRUE"), fields[7]);
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    private static byte[] hexOrNull(String text) {
        return text.isEmpty() ? null : hex(text);
    }

    @Test
    void theFileHoldsAllNineteenVectorsWithTenFailures() throws IOException {
        List<Vector> vectors = vectors();
        assertEquals(19, vectors.size());
        assertEquals(List.of(5, 6, 7, 8, 9, 10, 11, 12, 13, 14),
                vectors.stream().filter(vector -> !vector.valid()).map(Vector::index).toList());
        assertEquals(List.of(0, 1, 17, 100), vectors.subList(15, 19).stream().map(vector -> vector.message().length).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesAsTheVectorSays(Vector vector) {
        assertEquals(vector.valid(), Bip340.verify(vector.publicKey(), vector.message(), vector.signature()));
    }

    /** The vectors that give a secret key (0 to 3 and 15 to 18); the others test verification alone. */
    static List<Vector> signingVectors() throws IOException {
        return vectors().stream().filter(vector -> vector.secretKey() != null).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signingVectors")
    void makesTheVectorsPublicKeyAndSignature(Vector vector) {
        assertArrayEquals(vector.publicKey(), Bip340.publicKey(vector.secretKey()), "public key");
        assertArrayEquals(vector.signature(), Bip340.sign(vector.secretKey(), vector.message(), vector.auxRand()),
                "signature");
    }

    /** Why each of the ten failures fails, as whyInvalid says it: the reason its comment in the file gives. */
    @Test
    void eachFailureFailsForTheReasonItsCommentGives() throws IOException {
        Map<Integer, String> reasons = Map.of(
                5, "no point of the curve has the public key as its x", // public key not on the curve
                6, "sG - eP has the signature's x but an odd y", // has_even_y(R) is false
                7, "sG - eP has another x than the signature's r", // negated message
                8, "sG - eP has another x than the signature's r", // negated s value
                9, "sG - eP is the point at infinity",
                10, "sG - eP is the point at infinity",
                11, "sG - eP has another x than the signature's r", // sig[0:32] is not an X coordinate on the curve
                12, "r is not below p", // sig[0:32] is equal to field size
                13, "s is not below n", // sig[32:64] is equal to curve order
                14, "the public key is not below p"); // exceeds the field size
        for (Vector vector : vectors()) {
            Optional<String> expected = Optional.ofNullable(reasons.get(vector.index()));
            assertEquals(expected, Bip340.whyInvalid(vector.publicKey(), vector.message(), vector.signature()), vector.toString());
        }
    }
}

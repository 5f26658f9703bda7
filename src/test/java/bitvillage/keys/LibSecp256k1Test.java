package bitvillage.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Our BIP-340 against an independent one: libsecp256k1, the library Bitcoin Core signs and verifies
 * with, driven by a small Python script (src/test/resources/bip340/libsecp256k1.py, through ctypes).
 * Signing is deterministic given aux_rand, so the two must make the very same signatures, and each
 * must accept the other's. Needs python3 and Debian's libsecp256k1-1; without them the test fails
 * and says so, rather than passing unchecked.
 */
class LibSecp256k1Test {
    static final Path SCRIPT = Path.of("src/test/resources/bip340/libsecp256k1.py");
    static final long SEED = 2021; // the year Taproot, and BIP-340 with it, activated
    static final int CASES = 50;
    static final HexFormat HEX = HexFormat.of();

    /** One random case: a key, a message of 0 to 100 bytes, aux_rand, and what our code makes of them. */
    record Case(byte[] secret, byte[] message, byte[] aux, byte[] publicKey, byte[] signature) {
        static Case random(Random random) {
            byte[] secret = Bip340RandomTest.randomSecret(random);
            byte[] message = Bip340RandomTest.randomBytes(random, random.nextInt(101));
            byte[] aux = Bip340RandomTest.randomBytes(random, 32);
            return new Case(secret, message, aux, Bip340.publicKey(secret), Bip340.sign(secret, message, aux));
        }

        String described(int i) {
            return "case " + i + " (seed " + SEED + "): secret " + HEX.formatHex(secret) + ", message '"
                    + HEX.formatHex(message) + "', aux " + HEX.formatHex(aux);
        }
    }

    /** Sends the requests to the script, one a line, and answers its answers, one a line. */
    static List<String> libsecp256k1(List<String> requests) throws Exception {
        Path input = Files.createTempFile("libsecp256k1-requests", ".txt");
        try {
            Files.write(input, requests, StandardCharsets.UTF_8);
            Process process;
            try {
                process = new ProcessBuilder("python3", SCRIPT.toString()).redirectInput(input.toFile()).start();
            } catch (IOException e) {
                return fail("this test needs python3 on the PATH (Debian: apt-get install -y python3): " + e.getMessage());
            }
            String answers = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the libsecp256k1 script did not finish in 60 s");
            }
            assertEquals(0, process.exitValue(), "the libsecp256k1 script failed: " + errors.strip());
            return answers.lines().toList();
        } finally {
            Files.delete(input);
        }
    }

    private static String request(String kind, byte[]... fields) {
        StringBuilder line = new StringBuilder(kind);
        for (byte[] field : fields) line.append(',').append(HEX.formatHex(field));
        return line.toString();
    }

    @Test
    @DisplayName("50 random cases: libsecp256k1 makes our signatures, accepts ours, and we accept its (seed 2021)")
    void agreesWithLibsecp256k1() throws Exception {
        Random random = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Case made = Case.random(random);
            cases.add(made);
            requests.add(request("sign", made.secret(), made.message(), made.aux()));
            requests.add(request("verify", made.publicKey(), made.message(), made.signature()));
        }
        List<String> answers = libsecp256k1(requests);
        assertEquals(2 * CASES, answers.size(), answers.toString());
        for (int i = 0; i < CASES; i++) {
            Case made = cases.get(i);
            String[] theirs = answers.get(2 * i).split(",");
            assertEquals(HEX.formatHex(made.publicKey()), theirs[0], "public key, " + made.described(i));
            assertEquals(HEX.formatHex(made.signature()), theirs[1], "signature, " + made.described(i));
            assertEquals("true", answers.get(2 * i + 1), "libsecp256k1 verifies ours, " + made.described(i));
            assertTrue(Bip340.verify(HEX.parseHex(theirs[0]), made.message(), HEX.parseHex(theirs[1])),
                    "we verify libsecp256k1's, " + made.described(i));
        }
    }

    @Test
    @DisplayName("libsecp256k1 judges the 19 BIP-340 vectors as we do, so the script does not simply say yes")
    void agreesOnEveryVector() throws Exception {
        List<Bip340VectorsTest.Vector> vectors = Bip340VectorsTest.vectors();
        List<String> requests = vectors.stream()
                .map(vector -> request("verify", vector.publicKey(), vector.message(), vector.signature())).toList();
        List<String> answers = libsecp256k1(requests);
        assertEquals(vectors.size(), answers.size(), answers.toString());
        for (int i = 0; i < vectors.size(); i++) {
            Bip340VectorsTest.Vector vector = vectors.get(i);
            assertEquals(Boolean.toString(vector.valid()), answers.get(i), vector.toString());
            assertEquals(vector.valid(), Bip340.verify(vector.publicKey(), vector.message(), vector.signature()),
                    vector.toString());
        }
    }
}

package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Bip340;
import bitvillage.keys.Keys;
import bitvillage.keys.Secp256k1;
import bitvillage.stages.Stages;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.python.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar target/bitvillage.jar keys}: its contract (issue 19) through the launcher in this JVM,
 * and its exit statuses and the locale's trap as a reader meets them, in a child JVM.
 */
class KeysCommandTest {
    /** 小美's brain wallet, as the keys page shows it; libsecp256k1 gives the same address for this secret. */
    static final String XIAOMEI_SECRET = "9c9897901418be1da1748964dd4eaa059aedf8e90ae8b2941ecd4b38f6caa71c";
    static final String XIAOMEI_ADDRESS = "3773d43668b5c5cff334af9487b947cc0ec61f27d3f7f2c7b172fb68c0cfa261";
    static final String XIAOMEI_JSON = "{\"secret\": \"" + XIAOMEI_SECRET + "\", \"address\": \"" + XIAOMEI_ADDRESS + "\"}\n";
    /** The digest of the book's slip, 把 699 元從小美的戶頭轉到大華的戶頭, and 小美's signature of it (aux_rand zeros). */
    static final String SLIP = "7639722ce4a9a60d2481cd90e22aeaf1f6fdf05cbc1b38fa34c062068ef11f26";
    static final String SLIP_SIGNED = "f2f4b2b57ce6d70cf0213f2db2c9c6dc41e8ebb618ecc5942e709d2908b97945"
            + "06cddd0206d4fd22f80e3a8279aa5994395ca623daff16c02c4be060c315b4e6";
    /** n, the number of multiples of G, as 64 hex digits: no secret, and no s. */
    static final String N = Secp256k1.N.toString(16);
    static final String LOCALE_HINT = "set a UTF-8 locale (e.g. LANG=C.UTF-8)";

    /** What {@code keys ARGS} prints in the repeatable world, or the launcher's last line too when it ends with a status. */
    record Outcome(int status, String out, String failure) {}

    static Outcome keys(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "keys";
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            try {
                BitVillage.launch(all, World.fixed(out));
                return new Outcome(0, bytes.toString(StandardCharsets.UTF_8), "");
            } catch (StageFailed e) {
                return new Outcome(e.status(), bytes.toString(StandardCharsets.UTF_8), e.getMessage());
            }
        }
    }

    private static String usageError(String... args) {
        return assertThrows(UsageError.class, () -> keys(args), String.join(" ", args)).getMessage();
    }

    @Test
    void aSeedsSecretIsSha256OfItsUtf8BytesAndItsAddressTheXOnlyPublicKey() throws Exception {
        assertEquals(new Outcome(0, XIAOMEI_JSON, ""), keys("new", "--seed", "小美"));
        assertEquals(Sha256.hex("小美"), XIAOMEI_SECRET);
        assertEquals(Keys.address(Keys.fromSeed("小美")), XIAOMEI_ADDRESS);
        assertEquals(keys("new", "--seed", "小美"), keys("new", "--seed=小美"), "the same seed, the same key");
    }

    @Test
    void withoutASeedEachKeyIsFreshAndItsAddressIsItsSecretsPublicKey() throws Exception {
        Pattern json = Pattern.compile("\\{\"secret\": \"([0-9a-f]{64})\", \"address\": \"([0-9a-f]{64})\"}\n");
        String first = keys("new").out();
        Matcher key = json.matcher(first);
        assertTrue(key.matches(), first);
        assertEquals(Keys.address(HexFormat.of().parseHex(key.group(1))), key.group(2));
        assertNotEquals(first, keys("new").out(), "SecureRandom does not repeat itself");
    }

    @Test
    void xiaomeiSignsTheSlipAndTheSignatureHoldsForHerAddressOnly() throws Exception {
        assertEquals(new Outcome(0, SLIP_SIGNED + "\n", ""), keys("sign", "--secret", XIAOMEI_SECRET, "--message", SLIP));
        assertEquals(keys("sign", "--secret", XIAOMEI_SECRET, "--message", SLIP),
                keys("sign", "--secret", XIAOMEI_SECRET, "--message", SLIP, "--aux", "00".repeat(32)),
                "aux_rand is 32 zero bytes unless given");
        assertNotEquals(SLIP_SIGNED + "\n",
                keys("sign", "--secret", XIAOMEI_SECRET, "--message", SLIP, "--aux", "01".repeat(32)).out(),
                "another aux_rand, another signature");
        assertEquals(new Outcome(0, "valid\n", ""),
                keys("verify", "--address", XIAOMEI_ADDRESS, "--message", SLIP, "--signature", SLIP_SIGNED));
        String daHua = Keys.address(Keys.fromSeed("大華"));
        assertEquals(new Outcome(1, "invalid\n", "the signature does not hold: sG - eP has another x than the signature's r"),
                keys("verify", "--address", daHua, "--message", SLIP, "--signature", SLIP_SIGNED));
        assertEquals("invalid\n", keys("verify", "--address", XIAOMEI_ADDRESS, "--message", SLIP.toUpperCase(Locale.ROOT)
                .replace('7', '8'), "--signature", SLIP_SIGNED).out(), "another message");
        assertEquals("valid\n", keys("verify", "--address", XIAOMEI_ADDRESS.toUpperCase(Locale.ROOT), "--message",
                SLIP.toUpperCase(Locale.ROOT), "--signature", SLIP_SIGNED.toUpperCase(Locale.ROOT)).out(),
                "hex digits in either case");
    }

    /** One line of the official BIP-340 vectors, as hex text (an empty secret: the vector tests verification only). */
    record Vector(String index, String secret, String publicKey, String aux, String message, String signature,
                  boolean valid, String comment) {
        @Override
        public String toString() {
            return "vector " + index + (valid ? " verifies" : " fails") + (comment.isEmpty() ? "" : ": " + comment);
        }
    }

    static List<Vector> vectors() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/bip340/bip340-test-vectors.csv"), StandardCharsets.UTF_8);
        return lines.subList(1, lines.size()).stream().map(line -> line.split(",", -1))
                .map(f -> new Vector(f[0], f[1], f[2], f[3], f[4], f[5], f[6].equals("TRUE"), f[7])).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void theCommandSignsAndVerifiesAsTheVectorSays(Vector vector) throws Exception {
        if (!vector.secret().isEmpty()) {
            String signed = keys("sign", "--secret", vector.secret(), "--message", vector.message(), "--aux", vector.aux()).out();
            assertEquals(vector.signature().toLowerCase(Locale.ROOT) + "\n", signed);
        }
        Outcome verified = keys("verify", "--address", vector.publicKey(), "--message", vector.message(),
                "--signature", vector.signature());
        assertEquals(vector.valid() ? 0 : 1, verified.status(), verified.failure());
        assertEquals(vector.valid() ? "valid\n" : "invalid\n", verified.out());
    }

    @Test
    void theEmptyMessageIsTwoQuotes() throws Exception {
        Vector empty = vectors().get(15);
        assertEquals("", empty.message());
        assertEquals(empty.signature().toLowerCase(Locale.ROOT) + "\n",
                keys("sign", "--secret", empty.secret(), "--message", "").out());
    }

    @Test
    void whatIsNoInputIsAUsageErrorThatSaysWhy() {
        assertEquals("--address takes hex digits, two for each byte, not 'xyz'",
                usageError("verify", "--address", "xyz", "--message", SLIP, "--signature", SLIP_SIGNED));
        assertEquals("--message takes hex digits, two for each byte, not 'abc'",
                usageError("sign", "--secret", XIAOMEI_SECRET, "--message", "abc"));
        assertEquals("--signature takes 128 hex digits (64 bytes), not 64",
                usageError("verify", "--address", XIAOMEI_ADDRESS, "--message", SLIP, "--signature", SLIP));
        assertEquals("--aux takes 64 hex digits (32 bytes), not 2",
                usageError("sign", "--secret", XIAOMEI_SECRET, "--message", SLIP, "--aux", "00"));
        assertEquals("--secret must be a number from 1 to n - 1 (n is the number of multiples of G), and this one is 0",
                usageError("sign", "--secret", "00".repeat(32), "--message", SLIP));
        assertTrue(usageError("sign", "--secret", N, "--message", SLIP).endsWith("and this one is n or more"));
        assertEquals("give --signature HEX", usageError("verify", "--address", XIAOMEI_ADDRESS, "--message", SLIP));
        assertEquals("keys new takes no --secret", usageError("new", "--secret", XIAOMEI_SECRET));
        assertEquals("keys does new, sign or verify, not 'old'", usageError("old"));
        assertEquals("say what to do, once: keys new, keys sign or keys verify", usageError());
        assertTrue(usageError("new", "--seed", "小美\uFFFD").endsWith(LOCALE_HINT), "a word garbled on the way");
    }

    /** The secret n − 1 is the last one; n itself is none (see above). */
    @Test
    void theLastSecretIsNMinusOne() throws Exception {
        String last = Secp256k1.N.subtract(BigInteger.ONE).toString(16);
        assertTrue(Bip340.isValidSecret(HexFormat.of().parseHex(last)));
        assertTrue(keys("sign", "--secret", last, "--message", "").out().matches("[0-9a-f]{128}\n"));
    }

    /** As a reader runs it: valid exits 0, invalid 1 with the reason on the last line, and no input 2 with the usage. */
    @Test
    void exitStatusesAreZeroForValidOneForInvalidTwoForWhatIsNoInput() throws Exception {
        LauncherTest.Result valid = LauncherTest.java("keys", "verify", "--address", XIAOMEI_ADDRESS, "--message", SLIP,
                "--signature", SLIP_SIGNED);
        assertEquals(new LauncherTest.Result(0, "valid\n", ""), valid);

        LauncherTest.Result invalid = LauncherTest.java("keys", "verify", "--address", XIAOMEI_ADDRESS, "--message", SLIP,
                "--signature", SLIP_SIGNED.substring(0, 64) + N);
        assertEquals(new LauncherTest.Result(1, "invalid\n", "bitvillage: the signature does not hold: s is not below n\n"),
                invalid);

        LauncherTest.Result notHex = LauncherTest.java("keys", "verify", "--address", "小美", "--message", SLIP,
                "--signature", SLIP_SIGNED);
        assertEquals(2, notHex.status(), notHex.err());
        assertEquals("", notHex.out());
        assertTrue(notHex.err().startsWith("bitvillage: --address takes hex digits, two for each byte, not '"), notHex.err());
        assertTrue(notHex.err().contains("usage: java -jar target/bitvillage.jar keys new|sign|verify [options]"), notHex.err());

        LauncherTest.Result signed = LauncherTest.java("keys", "sign", "--secret", XIAOMEI_SECRET, "--message", SLIP);
        assertEquals(new LauncherTest.Result(0, SLIP_SIGNED + "\n", ""), signed);
    }

    /**
     * Java decodes its command line by the locale. Under LANG=C the six UTF-8 bytes of 小美 arrive as six
     * U+FFFD, which would be a brain wallet every garbled seed of six bytes shares: the command refuses
     * it (exit 2) and says what to do. Under C.UTF-8 the same bytes are 小美. Linux only: macOS decodes
     * arguments as UTF-8 whatever the locale, and Windows passes them as UTF-16.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aSeedTheLocaleGarbledExits2AndSaysToSetAUtf8Locale() throws Exception {
        LauncherTest.Result garbled = LauncherTest.javaInLocale("C", "keys", "new", "--seed", "小美");
        assertEquals(2, garbled.status(), garbled.out() + garbled.err());
        assertEquals("", garbled.out());
        assertTrue(garbled.err().startsWith("bitvillage: --seed arrived holding U+FFFD"), garbled.err());
        assertTrue(garbled.err().contains(LOCALE_HINT), garbled.err());

        LauncherTest.Result decoded = LauncherTest.javaInLocale("C.UTF-8", "keys", "new", "--seed", "小美");
        assertEquals(new LauncherTest.Result(0, XIAOMEI_JSON, ""), decoded);
        assertFalse(XIAOMEI_JSON.contains("\uFFFD"));
    }

    /** keys is a lesson with a page, listed with the stages, but no node: no tool starts it, and diff has nothing to compare. */
    @Test
    void keysIsListedButIsNoStageToStartOrToDiff() throws Exception {
        assertEquals("keys.md", Stages.findOrNull("keys").page());
        assertEquals(-1, Stages.findOrNull("keys").number());
        assertTrue(Stages.newest().number() >= 0, "the newest stage is a numbered one, not " + Stages.newest().id());
        assertTrue(StageOutputTest.run().contains("\n  keys         keys and signatures: secp256k1, BIP-340    -      "
                + "java -jar target/bitvillage.jar keys\n"));
        for (String[] diff : List.of(new String[] {"diff", "keys"}, new String[] {"diff", "B2", "keys"})) {
            String message = assertThrows(UsageError.class, () -> StageOutputTest.run(diff)).getMessage();
            assertEquals("keys is not a stage with a class of its own to diff", message);
        }
    }
}

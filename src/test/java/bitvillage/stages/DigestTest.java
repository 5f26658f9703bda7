package bitvillage.stages;

import bitvillage.BitVillage;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code digest}: the book's digests of B-2-0, and what it says when it cannot do what is asked. */
class DigestTest {

    private static String digest(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "digest";
        System.arraycopy(args, 0, all, 1, args.length);
        BitVillage.launch(all, World.fixed(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theBooksDigestsAndTheirLengths() throws Exception {
        String sha256 = digest("apple", "This is an apple");
        assertTrue(sha256.contains("3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b  apple\n"), sha256);
        assertTrue(sha256.contains("69bb57b00a3ca55cb353e3337ef511c77e49cbb232384939eb5d71b6c631bd82  This is an apple\n"), sha256);
        assertTrue(sha256.startsWith("SHA-256 gives 32 bytes = 64 hex digits"), sha256);
        assertTrue(digest("--with", "SHA-1", "apple").startsWith("SHA-1 gives 20 bytes = 40 hex digits"));
    }

    @Test
    void theReceiverCatchesTheChangedMessage() throws Exception {
        String sent = "f0408a42335cdbab42ce6b86fac5cbdba8157a04e950c9f90ab8b35a8f4f38bd"; // 明天早上六點集合
        assertTrue(digest("明天早上六點集合").contains(sent));
        assertTrue(digest("--check", sent, "明天早上六點集合").contains("matches the digest sent with it"));
        assertTrue(digest("--check", sent.toUpperCase(), "明天早上十點集合").contains("the message was changed on the way"));
    }

    @Test
    void noRipemd160InTheJdkAndNoMessageAreUsageErrors() {
        Options.UsageError ripemd = assertThrows(Options.UsageError.class, () -> digest("--with", "RIPEMD160", "apple"));
        assertTrue(ripemd.getMessage().contains("the JDK ships no RIPEMD-160; SHA-1 also gives 20 bytes"), ripemd.getMessage());
        assertThrows(Options.UsageError.class, () -> digest());
    }

    @Test
    void aCheckThatIsNoDigestIsAUsageError() {
        Options.UsageError odd = assertThrows(Options.UsageError.class, () -> digest("--check", "zz", "apple"));
        assertTrue(odd.getMessage().contains("--check takes a digest of SHA-256: 64 hex digits, not 'zz'"), odd.getMessage());
        assertThrows(Options.UsageError.class, () -> digest("--with", "SHA-1", "--check", "3a7bd3e2", "apple"));
    }
}

package bitvillage.stages;

import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Book section B-2-0, a message's fingerprint: {@code digest apple Apple} prints the digest of each
 * message, as the book's {@code hashlib.sha256(msg.encode('utf-8')).hexdigest()} does, and how much two
 * digests have in common; {@code --check HEX} plays the receiver who hashes what arrived and compares
 * it with the digest that came with it.
 */
public final class Digest {
    private Digest() {}

    private static final Options.Option WITH = Options.Option.text("--with", "ALGORITHM",
            "a digest the JDK has: SHA-1, MD5, SHA-512, ...", "SHA-256");

    public static final List<Options.Option> OPTIONS = List.of(
            new Options.Option("TEXT", "TEXT ...", "the messages to fingerprint (their UTF-8 bytes, as the book's .encode('utf-8'))"),
            WITH,
            new Options.Option("--check", "HEX", "the digest sent with the message: does what arrived still match it?"));

    public static void run(Options options, World world) {
        List<String> messages = options.all("TEXT");
        if (messages.isEmpty()) throw new UsageError("give one or more messages to fingerprint, e.g. digest apple");
        MessageDigest algorithm = algorithm(options.text(WITH));
        int bytes = algorithm.getDigestLength();
        String sent = options.text("--check", null);
        if (sent != null && !sent.matches("[0-9a-fA-F]{" + bytes * 2 + "}")) { // checked before anything is printed
            throw new UsageError("--check takes a digest of " + algorithm.getAlgorithm() + ": " + bytes * 2
                    + " hex digits, not '" + sent + "'");
        }
        world.out().println(algorithm.getAlgorithm() + " gives " + bytes + " bytes = " + bytes * 2
                + " hex digits, whatever the message's length:");
        List<String> digests = messages.stream().map(message -> hex(algorithm, message)).toList();
        for (int i = 0; i < messages.size(); i++) {
            world.out().println("  " + digests.get(i) + "  " + messages.get(i));
        }
        for (int i = 1; i < messages.size(); i++) {
            // Two unrelated digests share a hex digit in a given place once in 16 times.
            world.out().println("'" + messages.get(i) + "' and '" + messages.get(0) + "' share " + sameDigits(digests.get(i),
                    digests.get(0)) + " of " + bytes * 2 + " digits, place by place (chance alone: about " + bytes * 2 / 16 + ")");
        }
        if (sent == null) return;
        for (int i = 0; i < messages.size(); i++) {
            boolean same = digests.get(i).equals(sent.toLowerCase(Locale.ROOT));
            world.out().println("'" + messages.get(i) + "' " + (same
                    ? "matches the digest sent with it: the message is as it was sent"
                    : "does not match the digest sent with it: the message was changed on the way"));
        }
    }

    private static MessageDigest algorithm(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            String hint = name.toUpperCase(Locale.ROOT).startsWith("RIPEMD")
                    ? " (the JDK ships no RIPEMD-160; SHA-1 also gives 20 bytes)" : "";
            throw new UsageError("this JDK has no digest named " + name + hint);
        }
    }

    private static String hex(MessageDigest algorithm, String message) {
        return HexFormat.of().formatHex(algorithm.digest(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static int sameDigits(String a, String b) {
        int same = 0;
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) == b.charAt(i)) same++;
        }
        return same;
    }
}

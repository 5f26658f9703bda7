// Book section B-2-0: which hash functions are there, and how long is a digest?
// Run: jshell --class-path target/bitvillage.jar jshell/01-digests.jsh

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import bitvillage.util.python.Sha256;

// Python's hashlib.algorithms_available: what this JDK's security providers offer.
TreeSet<String> available = new TreeSet<>(Security.getAlgorithms("MessageDigest"));
System.out.println("Digest algorithms in this JDK: " + available);

// Different algorithms give digests of different lengths, whatever the message.
System.out.println("How long each one's digest is:");
for (String algorithm : available) {
    int bits = MessageDigest.getInstance(algorithm).getDigestLength() * 8;
    System.out.printf("  %-12s %3d bits = %3d hex digits%n", algorithm, bits, bits / 4);
}

// Python's hashlib.algorithms_guaranteed: Java 17's MessageDigest documentation promises only these two
// on every Java platform (older versions also promised MD5); the rest depend on the JDK's providers.
List<String> guaranteed = List.of("SHA-1", "SHA-256");
System.out.println("Every Java 17 platform has " + guaranteed + ": " + available.containsAll(guaranteed));

// The book compares SHA-256 with RIPEMD-160, which the JDK does not ship.
System.out.println("RIPEMD160 among them? " + available.contains("RIPEMD160"));
System.out.println("No RIPEMD-160 here: SHA-1, also a 160-bit digest, stands in for it.");

/** A digest with any algorithm the JDK has, as hex, like hashlib.new(name, msg).hexdigest(). */
String hexDigest(String algorithm, String text) throws NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance(algorithm);
    return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
}

// Sha256.hex is the one our blockchain uses: the text's UTF-8 bytes, as the book's .encode('utf-8').
String sha256 = Sha256.hex("apple");
String sha1 = hexDigest("SHA-1", "apple");
System.out.println("SHA-256 of 'apple': " + sha256);
System.out.println("  " + sha256.length() + " hex digits = " + sha256.length() / 2 + " bytes = " + sha256.length() * 4 + " bits");
System.out.println("SHA-1 of 'apple':   " + sha1);
System.out.println("  " + sha1.length() + " hex digits = " + sha1.length() / 2 + " bytes = " + sha1.length() * 4 + " bits");
System.out.println("The book's RIPEMD-160 of 'apple', for comparison: dfa40098c95721adb3e6b2cf23568b7f6d968694 (also 40 hex digits)");
// The book's first printing of the SHA-256 value drops an 'f' after "eea436"; its later listings agree with ours.
System.out.println("Sha256.hex is plain SHA-256: " + sha256.equals(hexDigest("SHA-256", "apple")));

/exit

// Book section B-2-0: why a digest works as a message's fingerprint.
// Run: jshell --class-path target/bitvillage.jar jshell/02-fingerprints.jsh

import java.util.LinkedHashMap;
import java.util.Map;
import bitvillage.util.python.Sha256;

// Java 17 reads a script in the system's encoding; anywhere that is not UTF-8, the Chinese text here arrives garbled.
if (!"小美".equals("\u5c0f\u7f8e")) {
    System.out.println("This script was not read as UTF-8. Run it as: jshell -J-Dfile.encoding=UTF-8 -R-Dfile.encoding=UTF-8 --class-path target/bitvillage.jar SCRIPT");
}

/** How many of the 64 hex digits two digests share, position by position. */
int sameDigits(String a, String b) {
    int same = 0;
    for (int i = 0; i < a.length(); i++) {
        if (a.charAt(i) == b.charAt(i)) same++;
    }
    return same;
}

// Uniqueness: the same message always gives the same digest.
String h1 = Sha256.hex("apple");
String h2 = Sha256.hex("apple");
System.out.println("h1 of 'apple': " + h1);
System.out.println("h2 of 'apple': " + h2);
System.out.println("h1 equals h2: " + h1.equals(h2));

// Different messages give different digests.
System.out.println("'dog': " + Sha256.hex("dog"));
System.out.println("'cat': " + Sha256.hex("cat"));

// Variability: one capital letter changes the whole digest, with no pattern to follow.
String lower = Sha256.hex("apple");
String upper = Sha256.hex("Apple");
System.out.println("'apple': " + lower);
System.out.println("'Apple': " + upper);
System.out.println("Digits in the same place: " + sameDigits(lower, upper) + " of 64 (about 4 is what chance gives)");

// Fixed length: a short and a longer message give digests of the same length.
String shortOne = Sha256.hex("apple");
String longOne = Sha256.hex("This is an apple");
System.out.println("'apple':            " + shortOne + " (" + shortOne.length() + " hex digits)");
System.out.println("'This is an apple': " + longOne + " (" + longOne.length() + " hex digits)");

// Integrity: the sender sends the message with its digest; someone changes the message on the way;
// the receiver hashes what arrived and compares.
String sent = "明天早上六點集合";
Map<String, String> data = new LinkedHashMap<>();
data.put("message", sent);
data.put("hash", Sha256.hex(sent));
System.out.println("Sent:     " + data);

data.put("message", "明天早上十點集合"); // the tamperer turns six o'clock into ten
String received = data.get("message");
String verifyHash = Sha256.hex(received);
System.out.println("Received: " + data);
System.out.println("Digest of what arrived: " + verifyHash);
if (verifyHash.equals(data.get("hash"))) {
    System.out.println("Message is genuine: " + received);
} else {
    System.out.println("Message was tampered with: " + received);
}

/exit

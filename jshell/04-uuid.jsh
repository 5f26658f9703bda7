// Book section B-2-1: every villager (node) names itself with a UUID.
// Run: jshell --class-path target/bitvillage.jar jshell/04-uuid.jsh

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import bitvillage.util.cli.World;

// Java 17 reads a script in the system's encoding; anywhere that is not UTF-8, the Chinese text here arrives garbled.
if (!"小美".equals("\u5c0f\u7f8e")) {
    System.out.println("This script was not read as UTF-8. Run it as: jshell -J-Dfile.encoding=UTF-8 -R-Dfile.encoding=UTF-8 --class-path target/bitvillage.jar SCRIPT");
}

// Python's uuid4(): 122 random bits. Yours will differ from the book's, and from every run's.
UUID uid = UUID.randomUUID();
System.out.println("uuid4: " + uid);
System.out.println("version " + uid.version() + " (random), variant " + uid.variant() + " (the standard layout)");

// The book's node id drops the dashes: str(uuid4()).replace('-', '').
String nodeId = uid.toString().replace("-", "");
System.out.println("As a node id: " + nodeId + " (" + nodeId.length() + " hex digits)");

// Our stages make their node ids the same way.
System.out.println("World.uuid4Hex(): " + World.uuid4Hex());

// Python also has uuid1 (MAC address and time), uuid3 (MD5 of a name) and uuid5 (SHA-1 of a name).
// The JDK makes random ones and name-based MD5 ones; a name always gives the same UUID.
UUID fromName = UUID.nameUUIDFromBytes("小美".getBytes(StandardCharsets.UTF_8));
System.out.println("From the name 小美: " + fromName + " (version " + fromName.version() + ")");
System.out.println("Same name again:   " + UUID.nameUUIDFromBytes("小美".getBytes(StandardCharsets.UTF_8)));

/exit

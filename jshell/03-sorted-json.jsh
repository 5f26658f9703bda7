// Book section B-2-1: a block is a dict; to hash it, the book writes it as JSON with sorted keys.
// Run: jshell --class-path target/bitvillage.jar jshell/03-sorted-json.jsh

import java.util.LinkedHashMap;
import java.util.Map;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;

// The book's dict is {2: 'dog', 1: 'cat'}. JSON keys are always text, so Python writes 2 as "2";
// our maps hold the keys as text from the start. A LinkedHashMap keeps 2 first, as the book typed it.
Map<String, Object> block = new LinkedHashMap<>();
block.put("2", "dog");
block.put("1", "cat");
System.out.println("The map, in the order it was filled: " + block);

// PyJson.dumps is Python's json.dumps(block, sort_keys=True), byte for byte.
String blockString = PyJson.dumps(block);
System.out.println("PyJson.dumps(block): " + blockString);
System.out.println("SHA-256 of it:       " + Sha256.hex(blockString));

// Why sort? The same content filled in the other order must hash the same, or two villagers
// holding the same block would disagree about its fingerprint.
Map<String, Object> sameBlock = new LinkedHashMap<>();
sameBlock.put("1", "cat");
sameBlock.put("2", "dog");
System.out.println("Filled 1 first, hash: " + Sha256.hex(PyJson.dumps(sameBlock)));

// Without sorting, the text follows the filling order and the fingerprint changes.
String unsorted = "{\"2\": \"dog\", \"1\": \"cat\"}";
System.out.println("Unsorted text " + unsorted + " hashes to " + Sha256.hex(unsorted));

/exit

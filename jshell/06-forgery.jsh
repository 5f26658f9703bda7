// Stage B12 by hand: a payment with four confirmations, rewritten without searching a single nonce.
// Run: jshell --class-path target/bitvillage.jar jshell/06-forgery.jsh

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import bitvillage.stages.B12Confirmations;
import bitvillage.stages.B12Confirmations.Blockchain;
import bitvillage.util.python.PyJson;
import bitvillage.util.cli.World;

// Java 17 reads a script in the system's encoding; anywhere that is not UTF-8, the Chinese text here arrives garbled.
if (!"小美".equals("\u5c0f\u7f8e")) {
    System.out.println("This script was not read as UTF-8. Run it as: jshell -J-Dfile.encoding=UTF-8 -R-Dfile.encoding=UTF-8 --class-path target/bitvillage.jar SCRIPT");
}

// An honest chain on the real clock, four zeros as in the book. In B12 every transaction has an id.
String nodeId = World.uuid4Hex();
Blockchain honest = new Blockchain(World::pythonTime, 4);
String paymentId = World.uuid4Hex();
honest.newTransaction(paymentId, "小美", "大華", 699L);

// Mine four blocks as /mine does: search the nonce, pay the miner, forge the block. Count the nonces tried.
long tried = 0;
for (int i = 0; i < 4; i++) {
    long nonce = honest.findNonce((long) honest.lastBlock().get("nonce"));
    tried += nonce + 1; // findNonce tried 0, 1, ..., nonce
    honest.newTransaction(World.uuid4Hex(), "0", nodeId, 1L);
    honest.newBlock(nonce);
}
System.out.println("Nonces of the honest chain: " + honest.chain().stream().map(block -> block.get("nonce")).toList());
System.out.println("Nonces tried to mine blocks 2 to 5: " + tried);

// Where is the payment? Block 2, and blocks 3, 4 and 5 on top of it: four confirmations.
Blockchain.Whereabouts where = honest.find(paymentId);
System.out.println("The payment is confirmed in block " + where.block() + " with " + where.confirmations() + " confirmations");

// 小美 copies the chain (through JSON, so the copy shares nothing with the original)...
@SuppressWarnings("unchecked")
List<Map<String, Object>> forged = new ArrayList<>((List<Map<String, Object>>) PyJson.loads(PyJson.dumps(honest.chain())));

// ...and rewrites her payment, keeping its id: the 699 now goes from 小美 to 小美. (In this village an id
// is a label the node drew; in Bitcoin it is the payment's hash, and a double spend is a different
// transaction that spends the same coins.)
@SuppressWarnings("unchecked")
Map<String, Object> payment = ((List<Map<String, Object>>) forged.get(1).get("transactions")).get(0);
payment.put("recipient", "小美");

// The change shows: block 3 still carries the hash of the old block 2.
System.out.println("Before relinking, valid: " + B12Confirmations.validChain(forged, 4));
System.out.println("Why: " + B12Confirmations.whyInvalid(forged, 4));

// So she writes every later previous_hash again: one SHA-256 per block. No nonce changes.
for (int i = 1; i < forged.size(); i++) {
    forged.get(i).put("previous_hash", Blockchain.hash(forged.get(i - 1)));
}
System.out.println("Nonces of the rewritten chain: " + forged.stream().map(block -> block.get("nonce")).toList());
System.out.println("After relinking, valid: " + B12Confirmations.validChain(forged, 4));

// Each kept nonce still fits the nonce before it, because the puzzle reads nothing else.
System.out.println("Block 3's nonce still fits block 2's: " + Blockchain.validNonce(
        (long) forged.get(1).get("nonce"), (long) forged.get(2).get("nonce"), 4));
System.out.println("Nonces searched for the rewrite: 0 (findNonce was not called)");

// As long as the honest chain; an earlier last block wins the tie in B10's consensus. The time is hers to write.
Map<String, Object> last = forged.get(forged.size() - 1);
last.put("timestamp", ((Number) last.get("timestamp")).doubleValue() - 1);
System.out.println("With an earlier last block, still valid: " + B12Confirmations.validChain(forged, 4));

// A node that holds the honest chain would adopt this one, and the id would show the rewritten payment.
System.out.println("The forged payment: " + PyJson.pretty(payment));

/exit

// Book sections B-2-1 and B-2-2 (B-0.py to B-2.py) by hand: make a chain, queue a transaction, mine.
// Run: jshell --class-path target/bitvillage.jar jshell/05-blockchain-session.jsh

import java.util.Map;
import bitvillage.stages.B02Mining.Blockchain;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import bitvillage.util.cli.World;

// Java 17 reads a script in the system's encoding; anywhere that is not UTF-8, the Chinese text here arrives garbled.
if (!"小美".equals("\u5c0f\u7f8e")) {
    System.out.println("This script was not read as UTF-8. Run it as: jshell -J-Dfile.encoding=UTF-8 -R-Dfile.encoding=UTF-8 --class-path target/bitvillage.jar SCRIPT");
}

// B0: this villager's name, and a chain on the real clock that needs four leading zeros (the book's difficulty).
String nodeId = World.uuid4Hex();
Blockchain blockchain = new Blockchain(World::pythonTime, 4);
System.out.println("This node's id: " + nodeId);

// The chain starts with one block nobody mined: nonce 100, previous_hash the integer 1.
Map<String, Object> genesis = blockchain.lastBlock();
System.out.println("The genesis block: " + PyJson.pretty(genesis));
System.out.println("Its hash, which the next block will carry: " + Blockchain.hash(genesis));

// B1: 小美 pays 大華 699. The transaction waits in the queue, not in a block yet.
long blockIndex = blockchain.newTransaction("小美", "大華", 699L);
Map<String, Object> payment = blockchain.currentTransactions().get(0);
System.out.println("小美 pays 大華 699; it will go into block " + blockIndex);
System.out.println("Pending: " + PyJson.pretty(blockchain.currentTransactions()));

// B2: the proof of work. Count up from 0 until SHA-256 of "100" followed by the candidate starts with 0000.
long lastNonce = (long) genesis.get("nonce");
long nonce = blockchain.findNonce(lastNonce);
System.out.println("Nonce found: " + nonce);
System.out.println("sha256(\"" + lastNonce + nonce + "\") = " + Sha256.hex("" + lastNonce + nonce));

// Finding it took tens of thousands of hashes; anyone checks it with one.
System.out.println("Valid: " + Blockchain.validNonce(lastNonce, nonce, 4)
        + "; one less: " + Blockchain.validNonce(lastNonce, nonce - 1, 4));

// The miner pays itself one coin (sender "0" means new money), then forges the block.
// The block takes every pending transaction: 小美's and the reward.
blockchain.newTransaction("0", nodeId, 1L);
Map<String, Object> block = blockchain.newBlock(nonce);
System.out.println("New Block Forged: block " + block.get("index") + " with nonce " + block.get("nonce"));
System.out.println("Pending after forging: " + blockchain.currentTransactions());
System.out.println("Linked to the genesis block: " + block.get("previous_hash").equals(Blockchain.hash(genesis)));

// Mine once more. The next nonce depends only on this block's nonce, not on what the block holds:
// 35089 follows 35293 in every chain, so this work fits any chain (jshell/06-forgery.jsh uses that).
long nextNonce = blockchain.findNonce(nonce);
blockchain.newTransaction("0", nodeId, 1L);
blockchain.newBlock(nextNonce);
System.out.println("The block after it needs nonce " + nextNonce);

// The whole chain, as a villager's node would show it.
System.out.println("The chain: " + PyJson.pretty(blockchain.chain()));

// Tamper with 小美's payment, now in block 2: block 3 still holds the old hash, so the change shows,
// until the tamperer writes block 3's previous_hash again (jshell/06-forgery.jsh does).
payment.put("amount", 6990L);
System.out.println("After changing 699 to 6990, block 3 still matches block 2: "
        + blockchain.chain().get(2).get("previous_hash").equals(Blockchain.hash(block)));

/exit

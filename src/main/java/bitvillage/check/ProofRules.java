package bitvillage.check;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * B13's rules as the checker applies them, written apart from the stages so that the checker
 * judges our nodes too: the one genesis block, a block's proof (its own hash starts with the
 * zeros), and valid chains to serve a node. A proof over the whole block costs some 65,000 hashes
 * of the block, so the chains served are pieces of one history, mined once and kept.
 */
final class ProofRules {
    private ProofRules() {}

    /** B13's difficulty, as every node of a village must have it: a block's hash starts with four zeros. */
    static final int ZEROS = 4;

    /** The genesis block every B13 node starts from: the book's, with the time B-0.py printed. */
    static Map<String, Object> genesis() {
        return genesisAt(1546678801.6103268);
    }

    /** The book's genesis block, made at {@code time}: what a node of B12 or before starts from. */
    static Map<String, Object> genesisAt(double time) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", 1L);
        block.put("timestamp", time);
        block.put("transactions", List.of());
        block.put("nonce", BookRules.GENESIS_NONCE);
        block.put("previous_hash", 1L);
        return Collections.unmodifiableMap(block);
    }

    /** Does the block carry its proof: does its own hash, the book's hash(block), start with the zeros? */
    static boolean proven(Map<String, Object> block) {
        return BookRules.hash(block).startsWith("0".repeat(ZEROS));
    }

    /** An id of 32 hex digits, the same for the same seed: the villager's blocks are the same every run. */
    static String id(String seed) {
        return Sha256.hex(seed).substring(0, 32);
    }

    /** The reward of a villager's block: new coins from sender "0", with an id, as B13 pays it. */
    static Map<String, Object> reward(String seed, long amount) {
        Map<String, Object> reward = new LinkedHashMap<>();
        reward.put("id", id(seed));
        reward.put("sender", "0");
        reward.put("recipient", StubNeighbour.MINER);
        reward.put("amount", amount);
        return reward;
    }

    /** The block after the last of {@code chain}, holding {@code transactions}, linked to it and mined. */
    static Map<String, Object> next(List<Map<String, Object>> chain, List<Map<String, Object>> transactions) {
        return mine(after(chain, transactions));
    }

    /** The block after the last of {@code chain}, ten minutes later, holding {@code transactions}, not mined yet. */
    static Map<String, Object> after(List<Map<String, Object>> chain, List<Map<String, Object>> transactions) {
        Map<String, Object> last = chain.get(chain.size() - 1);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) chain.size() + 1);
        block.put("timestamp", Math.floor(((Number) last.get("timestamp")).doubleValue()) + 600.5);
        block.put("transactions", List.copyOf(transactions));
        block.put("nonce", 0L);
        block.put("previous_hash", BookRules.hash(last));
        return block;
    }

    /**
     * The block with the nonce that gives it its proof. json.dumps with sort_keys writes index and
     * nonce first, so only the nonce's digits change between tries: the rest is written once.
     */
    static Map<String, Object> mine(Map<String, Object> block) {
        Map<String, Object> mined = new LinkedHashMap<>(block);
        mined.put("nonce", 0L);
        String text = PyJson.dumps(mined);
        String prefix = "{\"index\": " + PyJson.dumps(mined.get("index")) + ", \"nonce\": ";
        if (!text.startsWith(prefix + "0, ")) throw new IllegalArgumentException("a block has keys before its nonce: " + text);
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] tail = text.substring(prefix.length() + 1).getBytes(StandardCharsets.UTF_8);
        MessageDigest sha256 = Sha256.newDigest();
        for (long nonce = 0; ; nonce++) {
            sha256.update(head);
            sha256.update(Long.toString(nonce).getBytes(StandardCharsets.US_ASCII));
            sha256.update(tail);
            byte[] digest = sha256.digest();
            if (digest[0] == 0 && digest[1] == 0) { // four hex zeros: two zero bytes
                mined.put("nonce", nonce);
                return Collections.unmodifiableMap(mined);
            }
        }
    }

    /**
     * A valid chain grown block by block as far as asked, and kept: block after block pays the
     * villager one coin. The chains check serves are its first blocks, with at most a last block
     * of their own, so no block is mined twice in a run, nor in a JVM.
     */
    static final class History {
        private final List<Map<String, Object>> blocks = new ArrayList<>();
        private final String name;

        History(String name, Map<String, Object> genesis) {
            this.name = name;
            blocks.add(genesis);
        }

        /** The first {@code length} blocks (at least the genesis block), in a list of their own. */
        synchronized List<Map<String, Object>> first(int length) {
            while (blocks.size() < length) {
                blocks.add(next(blocks, List.of(reward(name + " reward " + (blocks.size() + 1), 1))));
            }
            return new ArrayList<>(blocks.subList(0, Math.max(1, length)));
        }
    }

    /** The village's history: B13's genesis block, and the villager's blocks after it. */
    static final History VILLAGE = new History("village", genesis());

    /** A history of its own: the book's genesis block made later, as a node of B12 makes it, and blocks after it. */
    static final History ELSEWHERE = new History("elsewhere", genesisAt(1700000000.5));
}

package bitvillage.check;

import bitvillage.util.mining.FastMiner;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The book's rules as the checker applies them, written apart from the stages so that the checker
 * judges our nodes too: a block's hash, a nonce that fits, the nonces the book's miner finds, and
 * valid chains to serve a node.
 */
final class BookRules {
    private BookRules() {}

    /** The book's difficulty: a nonce fits when the hash of the two nonces starts with four zeros. */
    static final int ZEROS = 4;
    /** The genesis block's nonce, as the book's constructor makes it. */
    static final long GENESIS_NONCE = 100;

    /** The nonces of blocks 1, 2, 3, ... as the book's miner finds them; the puzzle links only nonces. */
    private static final List<Long> NONCES = new ArrayList<>(List.of(GENESIS_NONCE));

    /** SHA-256 of {@code json.dumps(block, sort_keys=True)}, the book's hash of a block. */
    static String hash(Object block) {
        return Sha256.hex(PyJson.dumps(block));
    }

    /** The hash of the two nonces' digits, one after the other, as the book's valid_nonce makes it. */
    static String guessHash(long lastNonce, long nonce) {
        return Sha256.hex(Long.toString(lastNonce) + nonce);
    }

    /** Does the nonce fit the nonce before it? The hash must <em>start</em> with the zeros. */
    static boolean fits(long lastNonce, long nonce) {
        return guessHash(lastNonce, nonce).startsWith("0".repeat(ZEROS));
    }

    /** What the book's find_nonce answers: the first nonce from 0 up that fits (35293 after 100). */
    static long firstNonceAfter(long lastNonce) {
        return FastMiner.findNonce(lastNonce, ZEROS);
    }

    /** The nonce of block {@code index} (1 is the genesis block) on every chain the book's miner makes. */
    static synchronized long nonceOfBlock(int index) {
        while (NONCES.size() < index) NONCES.add(firstNonceAfter(NONCES.get(NONCES.size() - 1)));
        return NONCES.get(index - 1);
    }

    /**
     * A valid chain of {@code length} blocks as the book's node would have mined it: the genesis
     * block (nonce 100, previous_hash 1), then blocks that each pay a miner one coin, their
     * timestamps {@code first}, {@code first + 1}, ...
     */
    static List<Map<String, Object>> validChain(int length, double first, String miner) {
        List<Map<String, Object>> chain = new ArrayList<>();
        for (int index = 1; index <= length; index++) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", (long) index);
            block.put("timestamp", first + index - 1);
            block.put("transactions", index == 1 ? List.of() : List.of(reward(miner)));
            block.put("nonce", nonceOfBlock(index));
            block.put("previous_hash", index == 1 ? (Object) 1L : hash(chain.get(index - 2)));
            chain.add(block);
        }
        return chain;
    }

    /** The miner's coin: sender "0" stands for new money. */
    static Map<String, Object> reward(String miner) {
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("sender", "0");
        transaction.put("recipient", miner);
        transaction.put("amount", 1L);
        return transaction;
    }

    /** Writes each block's previous_hash anew from {@code from} on, after a block before it was changed. */
    static void relink(List<Map<String, Object>> chain, int from) {
        for (int i = Math.max(1, from); i < chain.size(); i++) {
            chain.get(i).put("previous_hash", hash(chain.get(i - 1)));
        }
    }
}

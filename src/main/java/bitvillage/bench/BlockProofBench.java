package bitvillage.bench;

import bitvillage.stages.B13ProofOfWork.Blockchain;
import bitvillage.stages.taught.BlockProof;
import bitvillage.util.mining.BlockMiner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * B13's proof over the whole block: how many nonces per second a search tries when the block holds
 * 1, 10 or 100 transactions, with the plain loop of B13's page and with the search the nodes call.
 * Each try hashes the whole block, so the rate falls as the block grows, unlike the book's puzzle,
 * which hashes two nonces' digits whatever the block holds.
 */
final class BlockProofBench {
    private BlockProofBench() {}

    /** The zeros searched while timing: three keep a round short; the rate is the same at four. */
    static final int TIMED_ZEROS = 3;

    /** A search for the block's proof: the block mined, at so many zeros. */
    interface Search extends BiFunction<Map<String, Object>, Integer, Map<String, Object>> {}

    /** The plain loop of B13's page: the block written as JSON and hashed on every try. */
    static final Search PLAIN = BlockProof::findNonce;
    /** What the nodes from B13 on call: the block's JSON written once, around the nonce's digits. */
    static final Search NODES = BlockMiner::findNonce;

    /** A block as a B13 node seals it: the reward, then {@code payments} - 1 payments; {@code round} varies its time. */
    static Map<String, Object> block(int transactions, int round) {
        List<Map<String, Object>> held = new ArrayList<>();
        held.add(Blockchain.transaction(String.format("%032x", 1), "0", "9e87d069508a4165a992f405923fef9b", 1L));
        for (int i = 1; i < transactions; i++) {
            held.add(Blockchain.transaction(String.format("%032x", i + 1), "villager-" + i, "market", 2.5 + i));
        }
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", 2L);
        block.put("timestamp", 1795770021.2578122 + round);
        block.put("transactions", held);
        block.put("nonce", 0L);
        block.put("previous_hash", BlockProof.hash(BlockProof.genesis()));
        return block;
    }

    /** Nonces tried per second, over blocks mined one after another for at least {@code seconds}. */
    static double noncesPerSecond(Search search, int transactions, double seconds) {
        long tried = 0;
        int round = 0;
        long start = System.nanoTime();
        double elapsed;
        do {
            tried += (long) search.apply(block(transactions, round++), TIMED_ZEROS).get("nonce") + 1;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds);
        return tried / elapsed;
    }
}

package bitvillage.stages.taught;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * B18's block tree: every valid block a villager has seen, not only its chain. Each block points to
 * its parent (its {@code previous_hash}); the chain is the path from genesis to the tip with the most
 * work, which at one difficulty is the greatest height, and the tip seen first on a tie, as Bitcoin
 * keeps it. A block whose parent is not here yet waits as an orphan, in a pool of at most so many, the
 * oldest let go first, until its parent arrives. Not thread-safe: the blockchain's lock guards it.
 */
public final class BlockTree {
    /** What became of a block offered: added (with the orphans it let in, the newest last), known already, an orphan, or refused. */
    public record Outcome(List<Map<String, Object>> added, boolean known, boolean orphan, String refused) {}

    // tag::tree[]
    private final Map<String, Map<String, Object>> blocks = new HashMap<>(); // by hash
    private final Map<String, Map<String, Object>> orphans; // by hash, the oldest first
    private String best; // the hash of the tip with the most work

    public BlockTree(Map<String, Object> genesis, int maxOrphans) {
        best = BlockProof.hash(genesis);
        blocks.put(best, genesis);
        orphans = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
                return size() > maxOrphans; // a flood of blocks without parents holds no more than this
            }
        };
    }

    /**
     * Offers a block: one whose parent we hold is judged with its chain, genesis to it, by
     * {@code whyRefused} (null: valid); once added, each orphan waiting for it is judged and added
     * in turn. One whose parent we lack waits as an orphan.
     */
    public Outcome offer(Map<String, Object> block, Function<List<Map<String, Object>>, String> whyRefused) {
        String hash = BlockProof.hash(block);
        if (blocks.containsKey(hash)) return new Outcome(List.of(), true, false, null);
        if (!blocks.containsKey(parentOf(block))) {
            orphans.put(hash, block);
            return new Outcome(List.of(), false, true, null);
        }
        List<Map<String, Object>> chain = chainTo(parentOf(block));
        chain.add(block);
        String why = whyRefused.apply(chain);
        if (why != null) return new Outcome(List.of(), false, false, why);
        add(hash, block);
        List<Map<String, Object>> added = new ArrayList<>(List.of(block));
        for (Map<String, Object> child : waitingFor(hash)) added.addAll(offer(child, whyRefused).added());
        return new Outcome(added, false, false, null);
    }

    /** Adds every block of a chain judged valid as a whole (B10's resolve): the tree then holds it, and its tip may be the best. */
    public void addValid(List<Map<String, Object>> chain) {
        for (Map<String, Object> block : chain) add(BlockProof.hash(block), block);
    }

    /** The most work wins: a greater height, or the same height seen first (the tip we hold stays). */
    private void add(String hash, Map<String, Object> block) {
        if (blocks.putIfAbsent(hash, block) != null) return;
        orphans.remove(hash);
        if (height(block) > height(blocks.get(best))) best = hash;
    }
    // end::tree[]

    /** The orphans whose parent is this block, taken out of the pool. */
    private List<Map<String, Object>> waitingFor(String hash) {
        List<Map<String, Object>> children = new ArrayList<>();
        orphans.values().removeIf(orphan -> hash.equals(parentOf(orphan)) && children.add(orphan));
        return children;
    }

    // tag::chain-to[]
    /** The chain from genesis to the block with this hash, which the tree holds: each block's parent, back to genesis. */
    public List<Map<String, Object>> chainTo(String hash) {
        List<Map<String, Object>> chain = new ArrayList<>();
        for (Map<String, Object> block = blocks.get(hash); block != null; block = blocks.get(parentOf(block))) chain.add(block);
        Collections.reverse(chain);
        return chain;
    }
    // end::chain-to[]

    public List<Map<String, Object>> bestChain() {
        return chainTo(best);
    }

    public String bestHash() {
        return best;
    }

    /** The block with this hash, on any branch, or null. */
    public Map<String, Object> block(String hash) {
        return blocks.get(hash);
    }

    public boolean has(String hash) {
        return blocks.containsKey(hash);
    }

    public int orphanCount() {
        return orphans.size();
    }

    private static String parentOf(Map<String, Object> block) {
        return String.valueOf(block.get("previous_hash")); // genesis's is the number 1: no block's hash
    }

    private static long height(Map<String, Object> block) {
        return ((Number) block.get("index")).longValue();
    }
}

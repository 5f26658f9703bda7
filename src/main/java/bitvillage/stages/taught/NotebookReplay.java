package bitvillage.stages.taught;

import bitvillage.stages.taught.Notebook.Note;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.Transactions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * B19's start on a notebook, the teaching version of Bitcoin Core's {@code -reindex}: the notes are
 * read again in the order they were written, and every block is judged again from genesis by every
 * rule, signatures too, as a neighbour's block is. Nothing is taken on trust because this villager
 * wrote it once: the disk may have changed since, or the rules. A block that fails stops the start
 * with its line, rather than leave a villager on a chain shorter than the one it served.
 */
public final class NotebookReplay {
    private NotebookReplay() {}

    /** What the notes hold: every block, each valid, in the order noted; then the payments to offer the pool again. */
    public record Restored(List<Map<String, Object>> blocks, List<Map<String, Object>> payments) {
        /** The payments a chain does not hold: the ones to offer the pool (one it holds is confirmed, and a pool's check reads the whole chain). */
        public List<Map<String, Object>> unconfirmed(List<Map<String, Object>> chain) {
            Set<Object> held = new HashSet<>();
            chain.forEach(block -> ChainShape.transactions(block).forEach(transaction -> held.add(transaction.get("id"))));
            return payments.stream().filter(payment -> !held.contains(CoinTransaction.id(payment))).toList();
        }
    }

    // tag::replay[]
    /**
     * Reads the notes of {@code file} again. Each block must follow genesis or a block on a line before
     * it (a villager notes a block only once it holds its parent). Then each branch, genesis to each tip
     * that no block follows, side branches too, is judged once by {@code whyRefused}, the rules a
     * neighbour's chain meets. The payments offered again are the payment notes and those of the blocks,
     * in the order noted: the stage keeps those still valid on the chain it rebuilt (a block on the
     * winning branch holds some already, a side branch's may be pending again, as after B18's switch).
     *
     * @throws StageFailed naming the line of {@code --data}'s notebook that cannot be replayed, and what to do
     */
    public static Restored replay(List<Note> notes, Map<String, Object> genesis, Function<List<Map<String, Object>>, String> whyRefused,
            String data) {
        Path file = file(data);
        Map<String, Map<String, Object>> byHash = new HashMap<>(Map.of(BlockProof.hash(genesis), genesis));
        Map<String, Integer> lineOf = new HashMap<>();
        Set<String> followed = new HashSet<>(); // the hashes some block follows: no tip
        List<Map<String, Object>> blocks = new ArrayList<>();
        List<Map<String, Object>> payments = new ArrayList<>();
        for (int line = 1; line <= notes.size(); line++) {
            Note note = notes.get(line - 1);
            if (note.kind().equals("payment")) { // its shape as the route checks it: the pool's rules come later, on the chain rebuilt
                Map<String, Object> payment = asPosted(note.entry());
                String misshapen = CoinTransaction.whyMisshapen(payment);
                if (misshapen == null) misshapen = Transactions.COINS.whyInvalid().apply(CoinTransaction.withId(payment));
                if (misshapen != null) throw stop(file, line, "a payment that is misshapen: " + misshapen);
                payments.add(payment);
                continue;
            }
            if (!note.kind().equals("block")) throw stop(file, line, "a note of kind \"" + note.kind() + "\", which a villager never writes");
            Map<String, Object> block = note.entry();
            String misshapen = ChainShape.whyMisshapen(block, block.get("index") instanceof Long index ? index : -1, Transactions.COINS);
            if (misshapen != null) throw stop(file, line, "a block that is misshapen: " + misshapen);
            String hash = BlockProof.hash(block);
            String parent = String.valueOf(block.get("previous_hash"));
            if (!byHash.containsKey(parent)) throw stop(file, line, "block " + block.get("index") + " follows no block on a line before it");
            if (byHash.putIfAbsent(hash, block) != null) continue; // noted twice: it is one block
            lineOf.put(hash, line);
            followed.add(parent);
            blocks.add(block);
            ChainShape.transactions(block).stream().skip(1).map(NotebookReplay::asPosted).forEach(payments::add); // not the reward
        }
        for (Map<String, Object> tip : blocks) {
            if (followed.contains(BlockProof.hash(tip))) continue;
            List<Map<String, Object>> branch = branchTo(tip, byHash);
            if (whyRefused.apply(branch) == null) continue;
            int valid = 1; // genesis; a longer prefix that is valid is valid up to its last block
            int invalid = branch.size();
            while (invalid - valid > 1) { // the first block that fails: halve the prefixes between
                int middle = (valid + invalid) / 2;
                if (whyRefused.apply(branch.subList(0, middle)) == null) valid = middle;
                else invalid = middle;
            }
            Map<String, Object> failing = branch.get(invalid - 1);
            throw stop(file, lineOf.get(BlockProof.hash(failing)), "block " + failing.get("index") + " is invalid: "
                    + whyRefused.apply(branch.subList(0, invalid)));
        }
        return new Restored(blocks, payments);
    }
    // end::replay[]

    /** The notebook's file in the directory {@code --data} names ({@value FileNotebook#NOTES}), for what we say of it. */
    public static Path file(String data) {
        return Path.of(data == null ? "." : data, FileNotebook.NOTES);
    }

    /** Genesis, then each block's parent down to {@code tip}: every one is in {@code byHash}, each noted after its parent. */
    private static List<Map<String, Object>> branchTo(Map<String, Object> tip, Map<String, Map<String, Object>> byHash) {
        List<Map<String, Object>> branch = new ArrayList<>();
        for (Map<String, Object> block = tip; block != null; block = byHash.get(String.valueOf(block.get("previous_hash")))) {
            branch.add(0, block);
        }
        return branch;
    }

    /** A payment as a payer posts it: the villager computes its id again. */
    private static Map<String, Object> asPosted(Map<String, Object> transaction) {
        Map<String, Object> posted = new LinkedHashMap<>(transaction);
        posted.remove("id");
        return posted;
    }

    // tag::stop[]
    /** The start stops here: which line, why, and the two ways on. */
    private static StageFailed stop(Path file, int line, String why) {
        return new StageFailed("line " + line + " of " + file + ": " + why + "; the villager does not start on a chain it never had."
                + " What to do: move the notebook away and start on an empty --data with --join, to fetch the chain from the"
                + " village again, checked as any neighbour's; or keep the lines before it (head -n " + (line - 1) + ") and start on those.");
    }
    // end::stop[]
}

package bitvillage.bench;

import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.B19Notebook;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.BlockTree;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.FileNotebook;
import bitvillage.stages.taught.Gossip;
import bitvillage.stages.taught.Notebook.Note;
import bitvillage.stages.taught.NotebookLines;
import bitvillage.stages.taught.NotebookReplay;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.mining.BlockMiner;
import bitvillage.util.web.WebApp;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * B19's notebook (issue 23): how many notes a second a villager forces to disk, and how long a villager
 * takes to start on a notebook of many blocks, each holding a signed payment, every block and signature
 * judged again; then that start in its parts, each timed alone: reading the lines, the rules with every
 * signature verified, the same rules with the signatures already in the cache (the difference is the
 * signatures), and building the block tree, the best chain and the coins. Both in a temporary directory,
 * removed afterwards.
 */
final class NotebookBench {
    private NotebookBench() {}

    /** 1 zero, the least B19 takes: 16 tries a block on average, so that building the notebook costs little mining. */
    static final int ZEROS = 1;
    static final int BLOCK_BYTES = 10_000; // B19's defaults: the bench's blocks hold one payment each
    static final int MATURITY = 3;
    private static final byte[] XIAOMEI = Keys.fromSeed("小美"); // the pages' brain wallets: their seeds are public
    private static final byte[] DAHUA = Keys.fromSeed("大華");

    /** The start on a notebook and its parts, in milliseconds. */
    record Startup(double startMillis, double readMillis, double rulesAndSignaturesMillis, double rulesMillis, double treeAndCoinsMillis) {
        double signaturesMillis() {
            return rulesAndSignaturesMillis - rulesMillis;
        }
    }

    /**
     * Notes a signed payment {@code appends} times, each forced to disk ({@link FileNotebook#append}), into a
     * new notebook in a temporary directory: the notes per second.
     */
    static double appendsPerSecond(int appends) throws IOException {
        Path directory = Files.createTempDirectory("bitvillage-bench-notebook");
        try (FileNotebook notebook = FileNotebook.open(directory, line -> { })) {
            Map<String, Object> payment = transactions(chain(1).get(1)).get(1);
            notebook.append("payment", payment); // untimed: creates the file and forces the directory once
            long start = System.nanoTime();
            for (int i = 0; i < appends; i++) notebook.append("payment", payment);
            return appends / ((System.nanoTime() - start) / 1e9);
        } finally {
            delete(directory);
        }
    }

    /**
     * The genesis block of B19, then {@code blocks} blocks, each its reward and one payment: the village's first coin
     * of 小美's, 1000, paid whole to 大華, back to her, and so on, each signed by its owner (on every core: a payment's
     * id leaves its signatures out, so each is known before any is signed). Mined at {@link #ZEROS} zero.
     */
    static List<Map<String, Object>> chain(int blocks) {
        String genesisId = (String) transactions(B19Notebook.genesis()).get(0).get("id");
        List<Map<String, Object>> unsigned = new ArrayList<>();
        String spent = genesisId;
        for (int i = 0; i < blocks; i++) {
            String to = Keys.address(i % 2 == 0 ? DAHUA : XIAOMEI);
            Map<String, Object> payment = CoinTransaction.transaction(List.of(CoinTransaction.input(spent, 0)),
                    List.of(CoinTransaction.output(to, 1000))); // fee 0: the whole coin moves
            unsigned.add(payment);
            spent = CoinTransaction.id(payment);
        }
        List<Map<String, Object>> payments = IntStream.range(0, blocks).parallel()
                .mapToObj(i -> CoinTransaction.withId(CoinTransaction.signed(unsigned.get(i), i % 2 == 0 ? XIAOMEI : DAHUA))).toList();
        String miner = Keys.address(Keys.fromSeed("bench miner"));
        List<Map<String, Object>> chain = new ArrayList<>(List.of(B19Notebook.genesis()));
        for (Map<String, Object> payment : payments) {
            Map<String, Object> last = chain.get(chain.size() - 1);
            long index = chain.size() + 1L;
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("index", index);
            block.put("timestamp", ((Number) last.get("timestamp")).doubleValue() + 60);
            block.put("transactions", List.of(CoinTransaction.withId(CoinTransaction.reward(miner, 1, index)), payment));
            block.put("nonce", 0L);
            block.put("previous_hash", BlockProof.hash(last));
            chain.add(BlockMiner.findNonce(block, ZEROS));
        }
        return chain;
    }

    /**
     * Writes the chain's blocks, genesis left out, as the notes a villager would have forced one by one (here in one
     * write: the file is the same), then times a B19 villager starting on them, and each part of that start alone.
     */
    static Startup startOn(List<Map<String, Object>> chain) throws IOException {
        Path directory = Files.createTempDirectory("bitvillage-bench-notebook");
        try {
            Path notes = directory.resolve(FileNotebook.NOTES);
            try (BufferedWriter writer = Files.newBufferedWriter(notes, StandardCharsets.US_ASCII)) {
                for (Map<String, Object> block : chain.subList(1, chain.size())) writer.write(NotebookLines.line("block", block));
            }
            double startMillis = startMillis(directory, chain.size());

            long start = System.nanoTime();
            List<Note> read = NotebookLines.read(notes, false, line -> { });
            double readMillis = millisSince(start);
            VerifiedSignatures cache = new VerifiedSignatures(100_000); // the villager's size
            start = System.nanoTime();
            List<Map<String, Object>> blocks = replay(read, directory, cache);
            double coldMillis = millisSince(start);
            start = System.nanoTime();
            replay(read, directory, cache);
            double warmMillis = millisSince(start);
            start = System.nanoTime();
            BlockTree tree = new BlockTree(B19Notebook.genesis(), Gossip.MAX_ORPHANS);
            blocks.forEach(block -> tree.addValid(List.of(block)));
            UnspentCoins coins = UnspentCoins.of(tree.bestChain());
            double treeMillis = millisSince(start);
            if (coins.total() != 2000 + blocks.size()) throw new IllegalStateException("the rebuilt coins hold " + coins.total());
            return new Startup(startMillis, readMillis, coldMillis, warmMillis, treeMillis);
        } finally {
            delete(directory);
        }
    }

    /** Milliseconds from starting B19 on the notebook in {@code directory} until it listens; checks it holds every block. */
    private static double startMillis(Path directory, int blocks) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        World world = new World(new PrintStream(said, true, StandardCharsets.UTF_8), World::pythonTime, World.fixedIds());
        String[] options = {"--port", "0", "--zeros", "" + ZEROS, "--data", directory.toString()};
        long start = System.nanoTime();
        WebApp villager = B19Notebook.start(Options.parse(options, B19Notebook.OPTIONS), world);
        double millis = millisSince(start);
        villager.close();
        if (!said.toString(StandardCharsets.UTF_8).contains("Index of the last block: " + blocks + "\n")) {
            throw new IllegalStateException("B19 did not start on all " + blocks + " blocks of the bench's notebook");
        }
        return millis;
    }

    /** B19's replay of the notes, judged by the stage's rule for a neighbour's chain (B17's, signatures in {@code cache}). */
    private static List<Map<String, Object>> replay(List<Note> notes, Path directory, VerifiedSignatures cache) {
        Map<String, Object> genesis = B19Notebook.genesis();
        return NotebookReplay.replay(notes, genesis, branch -> UnspentCoins.whyInvalid(branch, genesis, ZEROS, BLOCK_BYTES, MATURITY, cache),
                directory.toString()).blocks();
    }

    @SuppressWarnings("unchecked") // a block's transactions are JSON objects
    private static List<Map<String, Object>> transactions(Map<String, Object> block) {
        return (List<Map<String, Object>>) block.get("transactions");
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the bench's notebook in " + directory + ": " + e.getMessage(), e);
        }
    }
}

package bitvillage.bench;

import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.B17Coins;
import bitvillage.stages.taught.BlockProof;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * B17's coins at work (issue 20): a neighbour's chain whose last block holds 1,000 payments,
 * validated by the stage's own rule ({@link UnspentCoins#whyInvalid}) with every signature verified,
 * then again with the node's cache of verified signatures warm; and the unspent set of a long chain
 * rebuilt from its blocks, as a node does when it adopts a chain ({@link UnspentCoins#of}). The keys
 * are seeded and the clock fixed, so every run builds the same blocks.
 */
final class CoinsBench {
    private CoinsBench() {}

    /**
     * No proof of work: a block's hash is computed and checked as always, but against 0 zeros, so
     * that building the chains costs no mining. The rules timed are the coins', not the proof's.
     */
    static final int ZEROS = 0;
    /** --block-bytes at its largest: a block of 1,000 payments takes about 300 KB, the default allows 10,000 bytes. */
    static final int BLOCK_BYTES = 1_000_000;
    static final int MATURITY = 3; // B17's default

    /** A chain to validate: genesis, a block where 小美's genesis coin pays one coin to each of {@code payers} keys, and a block of their payments. */
    static List<Map<String, Object>> blockOfPayments(int payers) {
        if (payers < 1 || payers > 1000) throw new IllegalArgumentException("her coin pays 1 to each of 1 to 1,000 payers, not " + payers);
        byte[] xiaomei = Keys.fromSeed("小美"); // her genesis coin of 1000 funds the payers: its seed is public
        Map<String, Object> genesis = B17Coins.genesis();
        String genesisId = firstId(genesis);
        List<byte[]> secrets = new ArrayList<>();
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (int i = 0; i < payers; i++) {
            secrets.add(Keys.fromSeed("bench payer " + i));
            outputs.add(CoinTransaction.output(Keys.address(secrets.get(i)), 1));
        }
        if (payers < 1000) outputs.add(CoinTransaction.output(Keys.address(xiaomei), 1000 - payers)); // her change
        Map<String, Object> funding = CoinTransaction.withId(CoinTransaction.signed(CoinTransaction.transaction(
                List.of(CoinTransaction.input(genesisId, 0)), outputs), xiaomei));
        String fundingId = (String) funding.get("id");
        String miner = Keys.address(Keys.fromSeed("bench miner"));

        List<Map<String, Object>> chain = new ArrayList<>(List.of(genesis));
        chain.add(block(chain, List.of(funding), miner));
        List<Map<String, Object>> payments = new ArrayList<>();
        for (int i = 0; i < payers; i++) {
            Map<String, Object> payment = CoinTransaction.transaction(List.of(CoinTransaction.input(fundingId, i)),
                    List.of(CoinTransaction.output(miner, 1))); // fee 0
            payments.add(CoinTransaction.withId(CoinTransaction.signed(payment, secrets.get(i))));
        }
        chain.add(block(chain, payments, miner));
        return chain;
    }

    /**
     * A chain of {@code blocks} blocks, each a reward and two payments, each payment moving one of
     * the genesis coins to another of 100 villagers. The payments carry a placeholder signature:
     * rebuilding the unspent set checks none (a node rebuilds it from a chain it has validated),
     * and 20,000 real ones would take the bench longer than all its other parts.
     */
    static List<Map<String, Object>> longChain(int blocks) {
        Map<String, Object> genesis = B17Coins.genesis();
        String genesisId = firstId(genesis);
        String placeholder = "5".repeat(128);
        String miner = Keys.address(Keys.fromSeed("bench miner"));
        List<String> villagers = new ArrayList<>();
        for (int i = 0; i < 100; i++) villagers.add(Keys.address(Keys.fromSeed("bench villager " + i)));
        List<Map<String, Object>> chain = new ArrayList<>(List.of(genesis));
        String[] coins = {genesisId, genesisId}; // the two genesis coins: output 0 and output 1 of its transaction
        long[] indexes = {0, 1};
        while (chain.size() < blocks) {
            List<Map<String, Object>> payments = new ArrayList<>();
            for (int lineage = 0; lineage < 2; lineage++) {
                Map<String, Object> input = CoinTransaction.input(coins[lineage], indexes[lineage]);
                input.put("signature", placeholder);
                String to = villagers.get((2 * chain.size() + lineage) % villagers.size());
                Map<String, Object> payment = CoinTransaction.withId(CoinTransaction.transaction(List.of(input),
                        List.of(CoinTransaction.output(to, 1000))));
                payments.add(payment);
                coins[lineage] = (String) payment.get("id");
                indexes[lineage] = 0;
            }
            chain.add(block(chain, payments, miner));
        }
        return chain;
    }

    /** The next block: the reward of 1 (the payments pay no fee), then the payments; linked, and proven at 0 zeros. */
    private static Map<String, Object> block(List<Map<String, Object>> chain, List<Map<String, Object>> payments, String miner) {
        long index = chain.size() + 1L;
        Map<String, Object> last = chain.get(chain.size() - 1);
        List<Map<String, Object>> transactions = new ArrayList<>();
        transactions.add(CoinTransaction.withId(CoinTransaction.reward(miner, 1, index)));
        transactions.addAll(payments);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", index);
        block.put("timestamp", ((Number) last.get("timestamp")).doubleValue() + 600);
        block.put("transactions", transactions);
        block.put("nonce", 0L);
        block.put("previous_hash", BlockProof.hash(last));
        return block;
    }

    /** Milliseconds to validate the chain with the stage's rule, every signature verified: the median of {@code runs}, each with an empty cache. */
    static double coldMillis(List<Map<String, Object>> chain, int runs) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) millis.add(validateMillis(chain, new VerifiedSignatures(100_000)));
        return Bench.median(millis);
    }

    /** The same with a cache that verified the chain's signatures once already, as a node's has after the payments arrived. */
    static double warmMillis(List<Map<String, Object>> chain, int runs) {
        VerifiedSignatures verified = new VerifiedSignatures(100_000); // the node's size
        validateMillis(chain, verified);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) millis.add(validateMillis(chain, verified));
        return Bench.median(millis);
    }

    private static double validateMillis(List<Map<String, Object>> chain, VerifiedSignatures verified) {
        long start = System.nanoTime();
        String why = UnspentCoins.whyInvalid(chain, B17Coins.genesis(), ZEROS, BLOCK_BYTES, MATURITY, verified);
        double millis = (System.nanoTime() - start) / 1e6;
        if (why != null) throw new IllegalStateException("the bench's block of payments is not valid: " + why);
        return millis;
    }

    /** Milliseconds to rebuild the chain's unspent set, the median of {@code runs}; checks that no coin was made or lost. */
    static double rebuildMillis(List<Map<String, Object>> chain, int runs) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            UnspentCoins coins = UnspentCoins.of(chain);
            millis.add((System.nanoTime() - start) / 1e6);
            long expected = 2000 + chain.size() - 1; // the genesis coins, and 1 per block since
            if (coins.total() != expected || coins.size() != chain.size() + 1) {
                throw new IllegalStateException("the rebuilt unspent set holds " + coins.total() + " coins in " + coins.size()
                        + " outputs, not " + expected + " in " + (chain.size() + 1));
            }
        }
        return Bench.median(millis);
    }

    /** The id of a block's first transaction. */
    @SuppressWarnings("unchecked")
    private static String firstId(Map<String, Object> block) {
        return (String) ((List<Map<String, Object>>) block.get("transactions")).get(0).get("id");
    }
}

package bitvillage.stages.taught;

import bitvillage.keys.VerifiedSignatures;
import bitvillage.util.guard.ChainShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who owns what, as Bitcoin knows it: the set of unspent transaction outputs (the UTXO set), each
 * named by its outpoint (txid:index). There are no balances: an address's balance is the sum of its
 * coins. A transaction is valid when each coin it spends is in this set, signed for by its owner.
 * Unlike Bitcoin Core, which forgets a coin once spent, this set remembers who spent it, so that a
 * node can name the transaction that got there first. Not thread-safe: the node holds one per chain
 * (and one for its pool) under its own lock.
 */
public final class UnspentCoins {
    /** What {@link #whyNot} says of a coin already spent: the node answers 409 (a conflict), not 400. */
    public static final String ALREADY_SPENT = "already spent by";

    /** An output of a transaction: the coin it made. */
    public record Outpoint(String txid, long index) {
        public static Outpoint of(Map<String, Object> input) {
            return new Outpoint((String) input.get("txid"), (Long) input.get("index"));
        }

        @Override
        public String toString() {
            return txid + ":" + index;
        }
    }

    /** A coin: its owner, its amount, the height of the block that made it, and whether a reward made it. */
    public record Coin(String address, long amount, long height, boolean reward) {
        // tag::maturity[]
        /**
         * May a block at {@code height} spend this coin? A reward only from height h + maturity (Bitcoin:
         * 100): if a longer chain replaces the block that made it, the reward is gone, and so would be
         * every payment made from it. Other coins at once: a replaced chain gives their payments back.
         */
        public boolean spendableAt(long height, int maturity) {
            return !reward || height >= this.height + maturity;
        }
        // end::maturity[]
    }

    private record Spent(Coin coin, String spender) {}

    private final Map<Outpoint, Coin> unspent = new LinkedHashMap<>(); // in the order they were made, oldest first
    private final Map<Outpoint, Spent> spent = new HashMap<>();

    // tag::utxo-rules[]
    /**
     * Null when a well-shaped payment may go into a block at {@code height}, or the rule it breaks.
     * Signatures are checked before spent coins, so that only the owner of a coin learns (409) who
     * spent it first.
     */
    public String whyNot(Map<String, Object> transaction, long height, int maturity, VerifiedSignatures cache) {
        String id = CoinTransaction.id(transaction);
        List<Map<String, Object>> inputs = CoinTransaction.inputs(transaction);
        List<Outpoint> outpoints = new ArrayList<>();
        Set<Outpoint> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            Outpoint outpoint = Outpoint.of(inputs.get(i));
            if (coin(outpoint) == null) return "input " + i + " names no unspent output: no transaction made " + outpoint;
            // Bitcoin checks this too; in 2018 (CVE-2018-17144) a shortcut that skipped it in blocks let a coin be spent twice.
            if (!seen.add(outpoint)) return "input " + i + " spends " + outpoint + " a second time in one transaction";
            outpoints.add(outpoint);
        }
        for (int i = 0; i < inputs.size(); i++) {
            String owner = coin(outpoints.get(i)).address();
            if (!CoinTransaction.signatureHolds(inputs.get(i), owner, id, cache)) {
                return "input " + i + ": the signature does not verify for the coin's owner " + owner;
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            Spent earlier = spent.get(outpoints.get(i));
            if (earlier != null) {
                return "input " + i + " spends " + outpoints.get(i) + ", " + ALREADY_SPENT + " " + earlier.spender();
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            Coin coin = coin(outpoints.get(i));
            if (!coin.spendableAt(height, maturity)) {
                return "input " + i + " spends a reward coin not yet mature: made at height " + coin.height()
                        + ", spendable from height " + (coin.height() + maturity) + ", not at " + height;
            }
        }
        long fee = fee(transaction);
        if (fee < 0) return "the fee is below 0: the outputs pay " + -fee + " coins more than the inputs hold";
        return null;
    }

    /**
     * The transaction's coins move: its inputs leave the set, its outputs join it, made at {@code
     * height}. Check {@link #whyNot} first (a reward and the genesis transaction spend nothing).
     */
    public void apply(Map<String, Object> transaction, long height) {
        String id = CoinTransaction.id(transaction);
        List<Map<String, Object>> inputs = CoinTransaction.inputs(transaction);
        for (Map<String, Object> input : inputs) {
            Outpoint outpoint = Outpoint.of(input);
            Coin coin = unspent.remove(outpoint);
            if (coin == null) throw new IllegalStateException(outpoint + " is no unspent coin");
            spent.put(outpoint, new Spent(coin, id));
        }
        // The genesis block's coins are no miner's reward: no chain replaces the genesis block, so they never vanish.
        boolean reward = inputs.isEmpty() && height > CoinTransaction.GENESIS_HEIGHT;
        List<Map<String, Object>> outputs = CoinTransaction.outputs(transaction);
        for (int i = 0; i < outputs.size(); i++) {
            Map<String, Object> output = outputs.get(i);
            Coin coin = new Coin((String) output.get("address"), (Long) output.get("amount"), height, reward);
            unspent.put(new Outpoint(id, i), coin);
        }
    }

    /** The fee: what the coins it spends hold, minus what its outputs pay. Below 0 would be coins from nowhere. */
    public long fee(Map<String, Object> transaction) {
        long in = 0;
        for (Map<String, Object> input : CoinTransaction.inputs(transaction)) in += coin(Outpoint.of(input)).amount();
        long out = 0;
        for (Map<String, Object> output : CoinTransaction.outputs(transaction)) out += (Long) output.get("amount");
        return in - out; // each sum is at most all the coins there are, far below a long's limit
    }
    // end::utxo-rules[]

    // tag::valid-chain[]
    /**
     * Why the chain is not valid (which block, and what is wrong with it), or null: B13's rules, and
     * each transaction in order on the coins the blocks before it left, from {@code genesis}'s on.
     */
    public static String whyInvalid(List<Map<String, Object>> chain, Map<String, Object> genesis, int zeros, int blockBytes, int maturity,
            VerifiedSignatures verified) {
        UnspentCoins coins = UnspentCoins.of(List.of(genesis));
        return ChainRules.whyInvalid(chain, genesis, zeros, new ChainRules.Reward(CoinTransaction::spendsNoCoin, "no input"),
                block -> coins.whyPaysWrong(block, blockBytes, maturity, verified));
    }

    /** Null when each transaction of the block may spend its coins, which then move, and so may the reward make its own. */
    private String whyPaysWrong(Map<String, Object> block, int blockBytes, int maturity, VerifiedSignatures verified) {
        List<Map<String, Object>> transactions = ChainShape.transactions(block);
        long height = (long) block.get("index");
        long fees = 0; // each at most all the coins there are: the sum stays far below a long's limit
        long bytes = 0;
        for (int i = 1; i < transactions.size(); i++) {
            String whyNot = CoinTransaction.whyNotHeld(transactions.get(i));
            if (whyNot == null) whyNot = whyNot(transactions.get(i), height, maturity, verified);
            if (whyNot != null) return "transaction " + (i + 1) + ": " + whyNot;
            fees += fee(transactions.get(i));
            apply(transactions.get(i), height); // spent in this block: no later transaction spends them again
            bytes += FeeRate.bytes(transactions.get(i));
        }
        if (bytes > blockBytes) return "its payments hold " + bytes + " bytes, more than a block's " + blockBytes;
        if (!CoinTransaction.isReward(transactions.get(0), 1 + fees, height)) {
            return "the mining reward is not " + (1 + fees) + " coins or fewer (1 plus the fees), with the block's index as height";
        }
        apply(transactions.get(0), height); // spendable from height + maturity on
        return null;
    }
    // end::valid-chain[]

    /** The coins these blocks leave unspent: a chain whose every block is valid. */
    public static UnspentCoins of(List<Map<String, Object>> blocks) {
        UnspentCoins coins = new UnspentCoins();
        for (Map<String, Object> block : blocks) {
            for (Map<String, Object> transaction : ChainShape.transactions(block)) coins.apply(transaction, (Long) block.get("index"));
        }
        return coins;
    }

    /** The transaction that spent first a coin this one spends, or null when none did. */
    public String spenderOf(Map<String, Object> transaction) {
        for (Map<String, Object> input : CoinTransaction.inputs(transaction)) {
            String spender = spender(Outpoint.of(input));
            if (spender != null) return spender;
        }
        return null;
    }

    /** The coin at {@code outpoint}, unspent or spent, or null if no transaction made it. */
    public Coin coin(Outpoint outpoint) {
        Coin coin = unspent.get(outpoint);
        if (coin != null) return coin;
        Spent earlier = spent.get(outpoint);
        return earlier == null ? null : earlier.coin();
    }

    public boolean isUnspent(Outpoint outpoint) {
        return unspent.containsKey(outpoint);
    }

    /** The id of the transaction that spent {@code outpoint}, or null if none did (yet). */
    public String spender(Outpoint outpoint) {
        Spent earlier = spent.get(outpoint);
        return earlier == null ? null : earlier.spender();
    }

    /** The unspent coins of {@code address}, oldest first. */
    public Map<Outpoint, Coin> coins(String address) {
        Map<Outpoint, Coin> coins = new LinkedHashMap<>();
        unspent.forEach((outpoint, coin) -> {
            if (coin.address().equals(address)) coins.put(outpoint, coin);
        });
        return coins;
    }

    /**
     * What a wallet sees of an address's coins: this set's (a chain's), then those {@code pool} (this set after the
     * pending transactions) adds, each with its confirmations and whether block {@code next} may spend it.
     */
    public List<Map<String, Object>> described(String address, UnspentCoins pool, long next, int maturity) {
        Map<Outpoint, Coin> all = new LinkedHashMap<>(coins(address));
        all.putAll(pool.coins(address));
        List<Map<String, Object>> described = new ArrayList<>();
        all.forEach((outpoint, coin) -> described.add(Map.of("txid", outpoint.txid(), "index", outpoint.index(), "amount", coin.amount(),
                "confirmations", next - coin.height(), // a pending transaction's coins are made "at" the next block: 0
                "spendable", pool.isUnspent(outpoint) && coin.spendableAt(next, maturity)))); // not spent by a pending one, and mature
        return described;
    }

    /** What an address owns: the sum of its unspent coins. */
    public long balance(String address) {
        return coins(address).values().stream().mapToLong(Coin::amount).sum();
    }

    /** All the unspent coins together: the genesis's 2,000 plus 1 per mined block (fees only move coins). */
    public long total() {
        return unspent.values().stream().mapToLong(Coin::amount).sum();
    }

    public int size() {
        return unspent.size();
    }

    /** A copy to try transactions on (a pool's view, a neighbour's chain) without touching this one. */
    public UnspentCoins copy() {
        UnspentCoins copy = new UnspentCoins();
        copy.unspent.putAll(unspent);
        copy.spent.putAll(spent);
        return copy;
    }
}

package bitvillage.stages.taught;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a wallet pays with coins: it chooses some of its own, pays, and takes the change back. */
public final class CoinSelection {
    private CoinSelection() {}

    // tag::coin-selection[]
    /**
     * The coins to spend, largest first, until they hold the amount plus the fee; equal coins in the
     * order given (oldest first). Largest first spends the fewest coins, and each input is some 230
     * bytes of the transaction, so it makes the smallest transaction: the lowest fee at a given fee
     * rate, and the fewest signatures for every node to verify. Its cost: small coins pile up unspent.
     * (Bitcoin Core tries several rules and keeps the cheapest, preferring a choice that needs no change.)
     *
     * @param spendable the wallet's spendable coins and their amounts
     * @throws IllegalArgumentException when they do not hold enough
     */
    public static Map<Outpoint, Long> choose(Map<Outpoint, Long> spendable, long amount, long fee) {
        List<Map.Entry<Outpoint, Long>> largestFirst = new ArrayList<>(spendable.entrySet());
        largestFirst.sort(Map.Entry.<Outpoint, Long>comparingByValue(Comparator.reverseOrder())); // a stable sort
        Map<Outpoint, Long> chosen = new LinkedHashMap<>();
        long needed = Math.addExact(amount, fee);
        long held = 0;
        for (Map.Entry<Outpoint, Long> coin : largestFirst) {
            if (held >= needed) break;
            chosen.put(coin.getKey(), coin.getValue());
            held += coin.getValue();
        }
        if (held < needed) {
            throw new IllegalArgumentException("the spendable coins hold " + held + ", the payment needs " + needed
                    + " (" + amount + " and a fee of " + fee + ")");
        }
        return chosen;
    }

    /**
     * A signed payment of {@code amount} to {@code to} with {@code fee}, from the coins {@link
     * #choose} picks. What the coins hold beyond amount and fee comes back to the payer as a new
     * coin, the change; without that output it would be fee, all of it the miner's.
     */
    public static Map<String, Object> pay(byte[] secretKey, Map<Outpoint, Long> spendable, String to, long amount, long fee) {
        Map<Outpoint, Long> chosen = choose(spendable, amount, fee);
        List<Map<String, Object>> inputs = new ArrayList<>();
        chosen.keySet().forEach(coin -> inputs.add(CoinTransaction.input(coin.txid(), coin.index())));
        List<Map<String, Object>> outputs = new ArrayList<>();
        outputs.add(CoinTransaction.output(to, amount));
        long change = chosen.values().stream().mapToLong(Long::longValue).sum() - amount - fee;
        if (change > 0) outputs.add(CoinTransaction.output(Keys.address(secretKey), change));
        return CoinTransaction.signed(CoinTransaction.transaction(inputs, outputs), secretKey);
    }
    // end::coin-selection[]
}

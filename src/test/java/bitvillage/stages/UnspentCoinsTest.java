package bitvillage.stages;

import static bitvillage.stages.CoinTransactionTest.GENESIS_ID;
import static bitvillage.stages.CoinTransactionTest.HUA;
import static bitvillage.stages.CoinTransactionTest.HUA_ADDRESS;
import static bitvillage.stages.CoinTransactionTest.MEI;
import static bitvillage.stages.CoinTransactionTest.MEI_ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.UnspentCoins;
import bitvillage.stages.taught.UnspentCoins.Coin;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** B17's unspent coins: spending, every double spend, the owner's key, the fee, maturity, and the wallet's choice of coins. */
class UnspentCoinsTest {
    static final int MATURITY = 3;
    static final Outpoint MEIS_COIN = new Outpoint(GENESIS_ID, 0);
    static final Outpoint HUAS_COIN = new Outpoint(GENESIS_ID, 1);

    private final VerifiedSignatures cache = new VerifiedSignatures(1000);
    private final UnspentCoins coins = new UnspentCoins();

    UnspentCoinsTest() {
        coins.apply(CoinTransaction.genesis(), 1);
    }

    /** A transaction spending {@code spends}, paying {@code amount} to each of {@code to}, signed by {@code key}. */
    static Map<String, Object> spend(byte[] key, List<Outpoint> spends, Map<String, Long> to) {
        List<Map<String, Object>> outputs = to.entrySet().stream().map(o -> CoinTransaction.output(o.getKey(), o.getValue())).toList();
        List<Map<String, Object>> inputs = spends.stream().map(coin -> CoinTransaction.input(coin.txid(), coin.index())).toList();
        return CoinTransactionTest.asRead(CoinTransaction.signed(CoinTransaction.transaction(inputs, outputs), key));
    }

    static Map<String, Long> pays(Object... addressesAndAmounts) {
        Map<String, Long> pays = new LinkedHashMap<>();
        for (int i = 0; i < addressesAndAmounts.length; i += 2) {
            pays.put((String) addressesAndAmounts[i], ((Integer) addressesAndAmounts[i + 1]).longValue());
        }
        return pays;
    }

    @Test
    void genesisCoinsAreSpendableAtOnceAndTheFeeIsInMinusOut() {
        assertEquals(1000, coins.balance(MEI_ADDRESS));
        assertEquals(2000, coins.total());
        Map<String, Object> payment = CoinTransactionTest.payment();
        assertNull(CoinTransaction.whyMisshapen(payment));
        assertNull(coins.whyNot(payment, 2, MATURITY, cache));
        assertEquals(1, coins.fee(payment));
        coins.apply(payment, 2);
        coins.apply(CoinTransaction.reward(HUA_ADDRESS, 1 + 1, 2), 2);
        String id = CoinTransaction.id(payment);
        assertEquals(Map.of(new Outpoint(id, 1), new Coin(MEI_ADDRESS, 300, 2, false)), coins.coins(MEI_ADDRESS));
        assertEquals(300, coins.balance(MEI_ADDRESS));
        assertEquals(1000 + 699 + 2, coins.balance(HUA_ADDRESS));
        assertEquals(2001, coins.total(), "the genesis's 2,000 plus 1 for the block mined");
        assertFalse(coins.isUnspent(MEIS_COIN));
        assertEquals(id, coins.spender(MEIS_COIN));
        assertEquals(1000, coins.coin(MEIS_COIN).amount(), "a spent coin is remembered");
    }

    @Test
    void aCoinSpentTwiceInOneTransactionIsRefused() {
        Map<String, Object> twice = spend(MEI, List.of(MEIS_COIN, MEIS_COIN), pays(MEI_ADDRESS, 2000));
        assertEquals("input 1 spends " + MEIS_COIN + " a second time in one transaction", coins.whyNot(twice, 2, MATURITY, cache));
    }

    @Test
    void aCoinSpentTwiceInOneBlockIsRefusedNamingTheFirstSpender() {
        Map<String, Object> toHua = spend(MEI, List.of(MEIS_COIN), pays(HUA_ADDRESS, 1000));
        Map<String, Object> toHerself = spend(MEI, List.of(MEIS_COIN), pays(MEI_ADDRESS, 999));
        UnspentCoins block = coins.copy(); // a block's transactions are checked one after the other, each on what the ones before left
        assertNull(block.whyNot(toHua, 2, MATURITY, cache));
        block.apply(toHua, 2);
        assertEquals("input 0 spends " + MEIS_COIN + ", " + UnspentCoins.ALREADY_SPENT + " " + CoinTransaction.id(toHua),
                block.whyNot(toHerself, 2, MATURITY, cache));
        assertNull(coins.whyNot(toHerself, 2, MATURITY, cache), "the copy alone changed");
        assertTrue(coins.isUnspent(MEIS_COIN));
    }

    @Test
    void aCoinSpentOnTheChainIsRefusedLater() {
        Map<String, Object> toHua = spend(MEI, List.of(MEIS_COIN), pays(HUA_ADDRESS, 1000));
        coins.apply(toHua, 2);
        Map<String, Object> toHerself = spend(MEI, List.of(MEIS_COIN), pays(MEI_ADDRESS, 999));
        assertTrue(coins.whyNot(toHerself, 9, MATURITY, cache).endsWith(UnspentCoins.ALREADY_SPENT + " " + CoinTransaction.id(toHua)));
        assertThrows(IllegalStateException.class, () -> coins.apply(toHerself, 3));
    }

    @Test
    void anInputMustNameAnOutputThatExists() {
        Outpoint none = new Outpoint(GENESIS_ID, 2);
        assertEquals("input 0 names no unspent output: no transaction made " + none,
                coins.whyNot(spend(MEI, List.of(none), pays(MEI_ADDRESS, 1)), 2, MATURITY, cache));
        Outpoint nowhere = new Outpoint("ab".repeat(32), 0);
        assertTrue(coins.whyNot(spend(MEI, List.of(MEIS_COIN, nowhere), pays(MEI_ADDRESS, 1)), 2, MATURITY, cache)
                .startsWith("input 1 names no unspent output"));
    }

    @Test
    void onlyTheCoinsOwnerCanSpendIt() {
        Map<String, Object> theft = spend(HUA, List.of(MEIS_COIN), pays(HUA_ADDRESS, 1000));
        assertEquals("input 0: the signature does not verify for the coin's owner " + MEI_ADDRESS, coins.whyNot(theft, 2, MATURITY, cache));
        // Each input is signed by the owner of its coin: 大華's key cannot sign for 小美's coin beside his own.
        Map<String, Object> both = spend(HUA, List.of(HUAS_COIN, MEIS_COIN), pays(HUA_ADDRESS, 2000));
        assertTrue(coins.whyNot(both, 2, MATURITY, cache).startsWith("input 1: the signature does not verify"));
        // Signatures come before spent coins: a stranger learns nothing of who spent a coin.
        coins.apply(spend(MEI, List.of(MEIS_COIN), pays(MEI_ADDRESS, 1000)), 2);
        assertTrue(coins.whyNot(theft, 3, MATURITY, cache).startsWith("input 0: the signature does not verify"));
    }

    @Test
    void noFeeBelowZero() {
        Map<String, Object> fromNowhere = spend(MEI, List.of(MEIS_COIN), pays(HUA_ADDRESS, 700, MEI_ADDRESS, 301));
        assertEquals(-1, coins.fee(fromNowhere));
        assertEquals("the fee is below 0: the outputs pay 1 coins more than the inputs hold", coins.whyNot(fromNowhere, 2, MATURITY, cache));
        assertNull(coins.whyNot(spend(MEI, List.of(MEIS_COIN), pays(HUA_ADDRESS, 700, MEI_ADDRESS, 300)), 2, MATURITY, cache), "fee 0");
    }

    @Test
    void aRewardIsSpendableFromHeightHPlusMaturity() {
        Map<String, Object> reward = CoinTransaction.reward(MEI_ADDRESS, 1, 5);
        coins.apply(reward, 5);
        Outpoint rewardCoin = new Outpoint(CoinTransaction.id(reward), 0);
        assertEquals(new Coin(MEI_ADDRESS, 1, 5, true), coins.coin(rewardCoin));
        Map<String, Object> spendIt = spend(MEI, List.of(rewardCoin), pays(HUA_ADDRESS, 1));
        assertEquals("input 0 spends a reward coin not yet mature: made at height 5, spendable from height 8, not at 7",
                coins.whyNot(spendIt, 5 + MATURITY - 1, MATURITY, cache));
        assertNull(coins.whyNot(spendIt, 5 + MATURITY, MATURITY, cache));
        assertFalse(coins.coin(rewardCoin).spendableAt(7, MATURITY));
        assertTrue(coins.coin(rewardCoin).spendableAt(8, MATURITY));
        assertTrue(coins.coin(MEIS_COIN).spendableAt(2, MATURITY), "the genesis's coins are exempt");
    }

    @Test
    void theWalletSpendsItsLargestCoinsFirstAndTakesTheChangeBack() {
        Outpoint a = new Outpoint("aa".repeat(32), 0);
        Outpoint b = new Outpoint("bb".repeat(32), 0);
        Outpoint c = new Outpoint("cc".repeat(32), 1);
        Map<Outpoint, Long> spendable = new LinkedHashMap<>(Map.of(a, 300L));
        spendable.put(b, 1000L);
        spendable.put(c, 500L);
        assertEquals(Map.of(b, 1000L), CoinSelection.choose(spendable, 699, 1));
        assertEquals(List.of(b, c), List.copyOf(CoinSelection.choose(spendable, 1200, 1).keySet()));
        assertEquals(List.of(b, c, a), List.copyOf(CoinSelection.choose(spendable, 1799, 1).keySet()));
        IllegalArgumentException tooMuch = assertThrows(IllegalArgumentException.class, () -> CoinSelection.choose(spendable, 1800, 1));
        assertEquals("the spendable coins hold 1800, the payment needs 1801 (1800 and a fee of 1)", tooMuch.getMessage());

        Map<String, Object> payment = CoinSelection.pay(MEI, Map.of(MEIS_COIN, 1000L), HUA_ADDRESS, 699, 1);
        assertEquals(List.of(CoinTransaction.output(HUA_ADDRESS, 699), CoinTransaction.output(MEI_ADDRESS, 300)),
                CoinTransaction.outputs(payment));
        assertNull(CoinTransaction.whyMisshapen(CoinTransactionTest.asRead(payment)));
        assertNull(coins.whyNot(payment, 2, MATURITY, cache));
        assertEquals(1, coins.fee(payment));
        Map<String, Object> exact = CoinSelection.pay(MEI, Map.of(MEIS_COIN, 1000L), HUA_ADDRESS, 999, 1);
        assertEquals(List.of(CoinTransaction.output(HUA_ADDRESS, 999)), CoinTransaction.outputs(exact), "no change of 0");
        assertNull(coins.whyNot(exact, 2, MATURITY, cache));
    }

    @Test
    void aCopyIsIndependent() {
        UnspentCoins copy = coins.copy();
        copy.apply(spend(MEI, List.of(MEIS_COIN), pays(HUA_ADDRESS, 1000)), 2);
        assertEquals(0, copy.balance(MEI_ADDRESS));
        assertEquals(1000, coins.balance(MEI_ADDRESS));
        assertEquals(2, coins.size());
        assertNull(coins.spender(MEIS_COIN));
    }
}

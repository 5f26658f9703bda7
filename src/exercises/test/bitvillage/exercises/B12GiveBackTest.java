package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B12Confirmations.Blockchain;
import bitvillage.stages.B12Confirmations;
import bitvillage.util.cli.World;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each case is played twice: once by your stillPending, and once by a real B12 node that resolves
 * against a neighbour serving the new chain over HTTP. Both must leave the same payments pending.
 */
@Tag("B12.3")
class B12GiveBackTest {

    /** Step 3a of the forge: the payment dropped. The new chain is mined without it, one block longer. */
    @Test
    void aDroppedPaymentComesBack() {
        Blockchain node = B12Story.mined("大華", 7);
        node.newTransaction("fedcba9876543210fedcba9876543210", "阿明", "小美", 3L); // pending, in no chain
        List<Map<String, Object>> dropped = B12Story.mined(null, 8).chain();
        List<Map<String, Object>> expected = List.of(
                B12Story.transaction(node.chain(), 2, B12Story.PAYMENT_ID), node.currentTransactions().get(0));

        assertEquals(expected, B12GiveBack.stillPending(node.chain(), node.currentTransactions(), dropped),
                "小美's payment comes back, before the one still pending; no mining reward does");
        assertEquals(expected, replacedBy(node, dropped), "as a B12 node does it");
    }

    /** Step 3b and 4 of the forge: the payment rewritten under the same id is held, whatever it now says. */
    @Test
    void aRewrittenPaymentIsHeldByItsId() {
        Blockchain node = B12Story.mined("大華", 7);
        List<Map<String, Object>> mined = B12Story.mined("小美", 7).chain(); // the same id, 699 from 小美 to 小美
        List<Map<String, Object>> rewritten = Chains.lastBlockAt(mined, B12Story.lastTime(mined) - 2); // wins the tie

        assertEquals(List.of(), B12GiveBack.stillPending(node.chain(), node.currentTransactions(), rewritten),
                "the new chain holds the id: nothing comes back, and 大華 is not paid");
        assertEquals(List.of(), replacedBy(node, rewritten), "as a B12 node does it");
        assertEquals("小美", node.find(B12Story.PAYMENT_ID).transaction().get("recipient"));
    }

    /** A payment still pending here that another villager has mined is held by the new chain. */
    @Test
    void aPendingPaymentMinedElsewhereIsHeld() {
        Blockchain node = B12Story.mined("大華", 1); // only the genesis block: the payment is pending
        assertEquals(1, node.currentTransactions().size());
        List<Map<String, Object>> minedElsewhere = B12Story.mined("大華", 2).chain();
        assertEquals(List.of(), B12GiveBack.stillPending(node.chain(), node.currentTransactions(), minedElsewhere));
        assertEquals(List.of(), replacedBy(node, minedElsewhere), "as a B12 node does it");
        assertEquals(1L, node.find(B12Story.PAYMENT_ID).confirmations());
    }

    /** Two payments alike are two payments: the new chain holds one of them, and the other comes back. */
    @Test
    void twoPaymentsAlikeAreTwo() {
        World ours = Facts.quietWorld();
        Blockchain node = new Blockchain(ours.clock(), 4);
        String first = ours.nodeIds().get();
        String second = ours.nodeIds().get();
        node.newTransaction(first, "阿明", "小美", 3L);
        node.newTransaction(second, "阿明", "小美", 3L);
        B12Confirmations.mine(node, "miner", ours);

        World theirs = Facts.quietWorld();
        Blockchain other = new Blockchain(theirs.clock(), 4);
        other.newTransaction(theirs.nodeIds().get(), "阿明", "小美", 3L); // the same first id: that payment is held
        theirs.nodeIds().get(); // the second id, drawn here too, so that no reward of theirs takes it
        B12Confirmations.mine(other, "miner", theirs);
        B12Confirmations.mine(other, "miner", theirs);
        List<Map<String, Object>> expected = List.of(B12Story.transaction(node.chain(), 2, second));

        assertEquals(expected, B12GiveBack.stillPending(node.chain(), node.currentTransactions(), other.chain()));
        assertEquals(expected, replacedBy(node, other.chain()), "as a B12 node does it");
    }

    /** The node resolves against a neighbour serving this chain; answers what it has pending then. */
    private static List<Map<String, Object>> replacedBy(Blockchain node, List<Map<String, Object>> chain) {
        assertTrue(B12Story.resolveAgainst(node, chain), "the node takes the new chain");
        return node.currentTransactions();
    }
}

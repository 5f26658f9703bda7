package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.stages.B01Transactions.Blockchain;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B01.1")
class B01NewTransactionTest {

    @Test
    void aPaymentWaitsForBlockTwo() {
        Blockchain blockchain = new Blockchain(World.fixedClock());
        assertEquals(2, B01NewTransaction.newTransaction(blockchain, "小美", "大華", 699L));
        assertEquals("[{\"amount\": 699, \"recipient\": \"\\u5927\\u83ef\", \"sender\": \"\\u5c0f\\u7f8e\"}]",
                PyJson.dumps(blockchain.currentTransactions()));
        assertEquals(1, blockchain.chain().size(), "a transaction forges no block");
    }

    @Test
    void everyPaymentBeforeTheNextBlockWaitsForTheSameOne() {
        Blockchain blockchain = new Blockchain(World.fixedClock());
        assertEquals(2, B01NewTransaction.newTransaction(blockchain, "a", "b", 1L));
        assertEquals(2, B01NewTransaction.newTransaction(blockchain, "b", "c", 0.5));
        blockchain.newBlock(35293);
        assertEquals(2, ((java.util.List<?>) blockchain.chain().get(1).get("transactions")).size());
        assertEquals(3, B01NewTransaction.newTransaction(blockchain, "c", "a", 2L), "after block 2, block 3");
        assertEquals(1, blockchain.currentTransactions().size());
    }
}

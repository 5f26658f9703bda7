package bitvillage.exercises;

import bitvillage.stages.B01Transactions.Blockchain;

/** Exercise B01.1: the book's new_transaction, written from outside the stage's class. */
public final class B01NewTransaction {
    private B01NewTransaction() {}

    /**
     * Queues a payment on {@code blockchain.currentTransactions()} (a map with the keys sender,
     * recipient and amount) and answers the index of the block that will hold it.
     */
    public static long newTransaction(Blockchain blockchain, String sender, String recipient, Object amount) {
        throw new UnsupportedOperationException("exercise B01.1: write B01NewTransaction.newTransaction");
    }
}

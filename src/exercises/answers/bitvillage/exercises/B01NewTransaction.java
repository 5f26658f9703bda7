package bitvillage.exercises;

import bitvillage.stages.B01Transactions.Blockchain;

/** Answer B01.1: the stage's own method (region new-transaction of B01Transactions). */
public final class B01NewTransaction {
    private B01NewTransaction() {}

    public static long newTransaction(Blockchain blockchain, String sender, String recipient, Object amount) {
        return blockchain.newTransaction(sender, recipient, amount);
    }
}

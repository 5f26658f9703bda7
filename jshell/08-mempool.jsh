// Supplement B (the miner's secret) by hand: fill a block from a mempool, by fee and by fee rate.
// Run: jshell --class-path target/bitvillage.jar jshell/08-mempool.jsh

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import bitvillage.stages.taught.FeeRate;
import bitvillage.stages.taught.FeeRate.Pending;

// Six payments, as B14 writes them. A payment's size is its JSON as the block's hash reads it.
long arrival = 0;
List<Pending> mempool = new ArrayList<>();
void pay(String id, String sender, String recipient, long amount, long fee) {
    Map<String, Object> payment = FeeRate.transaction(id, sender, recipient, amount, fee);
    mempool.add(new Pending(payment, fee, FeeRate.bytes(payment), arrival++));
}
pay("00000000000000000000000000000001", "小美", "大華", 20, 6);
pay("00000000000000000000000000000002", "阿明", "大華", 20, 6);
pay("00000000000000000000000000000003", "阿花", "大華", 20, 6);
pay("00000000000000000000000000000004", "阿志", "大華", 20, 6);
pay("00000000000000000000000000000005", "村長", "比特村冬季柴火共同採購基金", 300, 8);
pay("00000000000000000000000000000006", "阿嬤", "大華", 1, 0);
for (Pending p : mempool) System.out.println(p.transaction().get("sender") + ": fee " + p.fee() + ", " + p.bytes() + " bytes, " + p.feeRate() + " a byte");

// Fill a block of 500 bytes by hand: go down the list, take what still fits, skip what does not.
int blockBytes = 500;
long fill(List<Pending> order) {
    int room = blockBytes;
    long fees = 0;
    List<Object> taken = new ArrayList<>();
    for (Pending p : order) {
        if (p.bytes() <= room) {
            room -= p.bytes();
            fees += p.fee();
            taken.add(p.transaction().get("sender"));
        }
    }
    System.out.println("  takes " + taken + ", " + (blockBytes - room) + " bytes, fees " + fees);
    return fees;
}

// The book's words: the highest fee first.
List<Pending> byFee = new ArrayList<>(mempool);
byFee.sort(Comparator.comparingLong(Pending::fee).reversed());
System.out.println("Highest fee first:");
long feeFirst = fill(byFee);

// What miners do: the highest fee per byte first (equal rates by arrival), B14's order.
TreeSet<Pending> sorted = new TreeSet<>(FeeRate.MINERS_ORDER);
sorted.addAll(mempool);
List<Pending> byRate = new ArrayList<>(sorted);
System.out.println("Highest fee rate first:");
long rateFirst = fill(byRate);
System.out.println("Fee rate earns " + rateFirst + ", fee earns " + feeFirst + ": " + (rateFirst - feeFirst) + " more for the same 500 bytes");

// B14's own chooseBlock takes the same payments in the same order.
List<Object> chosen = new ArrayList<>();
for (Pending p : FeeRate.chooseBlock(byRate, blockBytes)) chosen.add(p.transaction().get("sender"));
System.out.println("B14's chooseBlock: " + chosen);
/exit

package bitvillage.exercises;

import java.util.ArrayList;
import java.util.List;

/**
 * Answer B14.1, written out: B14's chooseBlock works on the mempool's own records, kept sorted
 * (region choose-block of FeeRate, in bitvillage.stages.taught); here the sort is done on the spot.
 */
public final class B14FillBlock {
    private B14FillBlock() {}

    public record Payment(long fee, int bytes) {}

    public static List<Integer> fill(List<Payment> waiting, int blockBytes) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < waiting.size(); i++) order.add(i);
        // fee / bytes compared as fractions: a × d against c × b, so no rounding reorders two payments
        order.sort((one, other) -> Long.compare(waiting.get(other).fee() * waiting.get(one).bytes(),
                waiting.get(one).fee() * waiting.get(other).bytes())); // List.sort is stable: ties keep arrival order
        List<Integer> taken = new ArrayList<>();
        int room = blockBytes;
        for (int i : order) {
            if (waiting.get(i).bytes() <= room) {
                taken.add(i);
                room -= waiting.get(i).bytes();
            }
        }
        return taken;
    }
}

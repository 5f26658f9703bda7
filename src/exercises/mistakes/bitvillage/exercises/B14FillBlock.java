package bitvillage.exercises;

import java.util.ArrayList;
import java.util.List;

/** A typical mistake for B14.1: the book's words taken literally, the highest fee first. */
public final class B14FillBlock {
    private B14FillBlock() {}

    public record Payment(long fee, int bytes) {}

    public static List<Integer> fill(List<Payment> waiting, int blockBytes) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < waiting.size(); i++) order.add(i);
        order.sort((one, other) -> Long.compare(waiting.get(other).fee(), waiting.get(one).fee()));
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

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.exercises.B14FillBlock.Payment;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B14.1")
class B14FillBlockTest {

    /** The fees story: four small payments of fee 6 (121 bytes), 村長's of fee 8 (188 bytes), 阿嬤's of fee 0. */
    static final List<Payment> STORY = List.of(new Payment(6, 121), new Payment(6, 121), new Payment(6, 121),
            new Payment(6, 121), new Payment(8, 188), new Payment(0, 120));

    @Test
    void theStorysBlockTakesTheFourSmallPaymentsNotTheTopFee() {
        assertEquals(List.of(0, 1, 2, 3), B14FillBlock.fill(STORY, 500), "24 coins in 484 bytes, not 8 + 6 + 6 = 20");
    }

    @Test
    void equalRatesGoByArrival() {
        assertEquals(List.of(1, 0), B14FillBlock.fill(List.of(new Payment(2, 100), new Payment(4, 100)), 200));
        assertEquals(List.of(0, 1), B14FillBlock.fill(List.of(new Payment(2, 100), new Payment(4, 200)), 300),
                "0.02 a byte both: the first to arrive first");
    }

    @Test
    void aSmallerPaymentFillsTheGapAndTheLimitHolds() {
        List<Payment> waiting = List.of(new Payment(30, 300), new Payment(40, 500), new Payment(1, 100), new Payment(9, 300));
        // rates: 0.1, 0.08, 0.01, 0.03; after 0 and 1 there are 200 bytes: 3 (300) does not fit, 2 (100) does
        assertEquals(List.of(0, 1, 2), B14FillBlock.fill(waiting, 1_000));
        assertEquals(List.of(0), B14FillBlock.fill(waiting, 399), "after 0, 99 bytes: none fits");
        assertEquals(List.of(), B14FillBlock.fill(List.of(), 1_000));
        assertEquals(List.of(), B14FillBlock.fill(List.of(new Payment(5, 600)), 500), "too big for the block");
    }
}

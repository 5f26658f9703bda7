package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B02.2")
class B02FindNonceTest {

    @Test
    void fourZerosAsInTheBook() {
        assertEquals(35293, B02FindNonce.findNonce(100, 4), "the first block after the genesis block");
        assertEquals(35089, B02FindNonce.findNonce(35293, 4), "and the one after it");
    }

    @Test
    void fiveZerosAsInTheBook() {
        assertEquals(888273, B02FindNonce.findNonce(100, 5));
    }

    @Test
    void oneZero() {
        assertEquals(16, B02FindNonce.findNonce(100, 1), "sha256(\"10016\") is the first with a leading 0");
    }
}

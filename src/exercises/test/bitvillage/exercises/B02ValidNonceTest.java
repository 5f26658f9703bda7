package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B02.1")
class B02ValidNonceTest {

    @Test
    void theBooksNonces() {
        assertTrue(B02ValidNonce.validNonce(100, 35293, 4), "35293 after the genesis nonce 100");
        assertTrue(B02ValidNonce.validNonce(35293, 35089, 4), "35089 after 35293");
        assertTrue(B02ValidNonce.validNonce(100, 888273, 5), "888273 with five zeros");
    }

    @Test
    void theWrongOnes() {
        assertFalse(B02ValidNonce.validNonce(100, 35292, 4));
        assertFalse(B02ValidNonce.validNonce(35293, 100, 4), "the order of the two nonces matters");
        assertFalse(B02ValidNonce.validNonce(100, 35293, 5), "sha256(\"10035293\") has only four zeros");
    }
}

package bitvillage.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The cache of verified signatures remembers only what held, at most its capacity, the newest. */
class VerifiedSignaturesTest {
    static final byte[] SECRET = Keys.fromSeed("小美");
    static final byte[] PUBLIC_KEY = Bip340.publicKey(SECRET);
    static final byte[] AUX = new byte[32];

    static byte[] message(int i) {
        return ("payment " + i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] signature(int i) {
        return Bip340.sign(SECRET, message(i), AUX);
    }

    @Test
    void remembersASignatureThatHeldAndNotOneThatDidNot() {
        VerifiedSignatures cache = new VerifiedSignatures(10);
        byte[] signature = signature(1);
        assertTrue(cache.verify(PUBLIC_KEY, message(1), signature));
        assertTrue(cache.contains(PUBLIC_KEY, message(1), signature));
        assertTrue(cache.verify(PUBLIC_KEY, message(1), signature), "again, from memory");

        assertFalse(cache.verify(PUBLIC_KEY, message(2), signature), "the signature of another message");
        assertFalse(cache.contains(PUBLIC_KEY, message(2), signature));
        assertFalse(cache.verify(Bip340.publicKey(Keys.fromSeed("大華")), message(1), signature), "another key");
        assertEquals(1, cache.size());
    }

    @Test
    void forgetsTheOldestPastItsCapacity() {
        VerifiedSignatures cache = new VerifiedSignatures(3);
        for (int i = 1; i <= 4; i++) assertTrue(cache.verify(PUBLIC_KEY, message(i), signature(i)));
        assertEquals(3, cache.size());
        assertFalse(cache.contains(PUBLIC_KEY, message(1), signature(1)), "the oldest is forgotten");
        for (int i = 2; i <= 4; i++) assertTrue(cache.contains(PUBLIC_KEY, message(i), signature(i)), "signature " + i);
        assertThrows(IllegalArgumentException.class, () -> new VerifiedSignatures(0));
    }

    @Test
    void threadsShareItSafely() throws Exception {
        int signatures = 40;
        List<byte[]> made = new ArrayList<>();
        for (int i = 0; i < signatures; i++) made.add(signature(i));
        VerifiedSignatures cache = new VerifiedSignatures(25);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < signatures; i++) {
                    int which = i;
                    answers.add(threads.submit(() -> cache.verify(PUBLIC_KEY, message(which), made.get(which))));
                }
            }
            for (Future<Boolean> answer : answers) assertTrue(answer.get());
        } finally {
            threads.shutdownNow();
        }
        assertEquals(25, cache.size());
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B09.1")
class B09NodeAddressTest {

    @Test
    void oneNeighbourOneWay() {
        assertEquals("http://127.0.0.1:5002", B09NodeAddress.normalise("http://127.0.0.1:5002"));
        assertEquals("http://127.0.0.1:5002", B09NodeAddress.normalise("http://127.0.0.1:5002/"));
        assertEquals("http://127.0.0.1:5002", B09NodeAddress.normalise("127.0.0.1:5002"));
        assertEquals("http://localhost:5002", B09NodeAddress.normalise("http://LOCALHOST:5002"));
        assertEquals("http://localhost:5002", B09NodeAddress.normalise("localhost:5002"));
    }

    @Test
    void notANodeAddress() {
        for (String address : new String[] {"ftp://127.0.0.1:5002", "http://127.0.0.1", "127.0.0.1",
                "http://127.0.0.1:5002/chain", "http://127.0.0.1:5002?x=1", "http://127.0.0.1:5002#top"}) {
            assertThrows(IllegalArgumentException.class, () -> B09NodeAddress.normalise(address), address);
        }
    }
}

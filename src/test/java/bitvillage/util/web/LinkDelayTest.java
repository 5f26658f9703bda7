package bitvillage.util.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.cli.Options;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --link-delay: each request waits MS give or take a quarter, the jitter repeating for the same address. */
class LinkDelayTest {

    @Test
    void eachWaitIsWithinAQuarterOfTheDelayAndTheSameAddressWaitsTheSameWay() {
        List<Long> first = waits("10.77.1.2:5000");
        assertEquals(first, waits("10.77.1.2:5000"));
        assertNotEquals(first, waits("10.77.1.3:5000"));
        assertTrue(first.stream().allMatch(wait -> wait >= 300 && wait <= 500), first.toString());
        assertTrue(first.stream().distinct().count() > 10, "the waits jitter: " + first);
    }

    @Test
    void withoutTheOptionNothingWaits() {
        LinkDelay none = LinkDelay.of(Options.parse(new String[0], List.of(LinkDelay.OPTION)), "127.0.0.1:5000");
        assertEquals(0, none.next());
    }

    @Test
    void aVillagerWithADelayAnswersNoSoonerThanThreeQuartersOfIt() throws Exception {
        try (WebNode villager = new WebNode("B18", "--link-delay", "400")) {
            long start = System.nanoTime();
            assertEquals(200, Http.get(villager.app.url() + "/chain").statusCode());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 300, "answered after " + millis + " ms"); // a lower bound only: a busy machine is slower, never faster
        }
    }

    private static List<Long> waits(String address) {
        LinkDelay delay = LinkDelay.of(Options.parse(new String[] {"--link-delay", "400"}, List.of(LinkDelay.OPTION)), address);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 50; i++) waits.add(delay.next());
        return waits;
    }
}

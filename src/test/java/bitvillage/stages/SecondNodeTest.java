package bitvillage.stages;

import static bitvillage.stages.Village.chain;
import static bitvillage.stages.Village.mine;
import static bitvillage.stages.Village.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.cli.Options;
import bitvillage.util.web.WebApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** B11: B10's node on another port, knowing its --neighbour neighbours from the start. */
class SecondNodeTest {
    private final Village village = new Village();
    private WebApp second;

    @AfterEach
    void stop() {
        if (second != null) second.close();
        village.close();
    }

    private WebApp startSecond(String... args) {
        second = B11SecondNode.start(Options.parse(args, B11SecondNode.OPTIONS), village.world());
        return second;
    }

    @Test
    void aSecondNodeStartedWithPeersResolvesAgainstThemAtOnce() throws Exception {
        WebApp first = village.node();
        mine(first, 2);
        String written = first.url().replace("http://127.0.0.1", "localhost") + "/"; // as a villager may type it
        WebApp b = startSecond("--port", "0", "--neighbour", written, "--neighbour", first.url());

        assertTrue(b.url().startsWith("http://127.0.0.1:"), "only this computer can reach it: " + b.url());
        Map<String, Object> answer = resolve(b);
        List<?> asked = ((List<?>) answer.get("neighbours")).stream().map(o -> ((Map<?, ?>) o).get("node")).toList();
        assertEquals(List.of("http://localhost:" + first.port(), first.url()), asked, "both --neighbour, normalised");
        assertEquals("Our chain was replaced", answer.get("message"));
        assertEquals(chain(first), chain(b));
    }

    @Test
    void withoutPortItListensOn5002AndOtherwiseTakesB10sOptions() {
        List<String> names = B11SecondNode.OPTIONS.stream().map(Options.Option::name).toList();
        assertEquals(List.of("--host", "--port", "--zeros", "--timeout", "--neighbour"), names);
        assertEquals("5002", B11SecondNode.OPTIONS.get(1).fallback());
        assertTrue(Options.describe(B11SecondNode.OPTIONS).contains("(0 to 65535, default 5002, as in B-11.py)"), "the help says so");
        for (Options.Option option : B10Consensus.OPTIONS) {
            if (!option.name().equals("--port")) assertTrue(B11SecondNode.OPTIONS.contains(option), option.name());
        }
    }

    @Test
    void aBadPeerAddressIsAUsageErrorAndNoServerStarts() {
        Options.UsageError error = assertThrows(Options.UsageError.class,
                () -> startSecond("--port", "0", "--neighbour", "ftp://127.0.0.1:5000"));
        assertTrue(error.getMessage().startsWith("--neighbour: not a node address: 'ftp://127.0.0.1:5000'"), error.getMessage());
        assertThrows(Options.UsageError.class, () -> startSecond("--port", "0", "--neighbour", "127.0.0.1"));
    }

    @Test
    void moreThanAHundredPeersIsAUsageError() {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        for (int port = 6000; port <= 6100; port++) args.addAll(List.of("--neighbour", "127.0.0.1:" + port));
        Options.UsageError error = assertThrows(Options.UsageError.class, () -> startSecond(args.toArray(String[]::new)));
        assertTrue(error.getMessage().contains("at most 100 neighbours"), error.getMessage());
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B10Consensus;
import bitvillage.util.cli.Options;
import bitvillage.util.web.WebApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B11.1")
class B11FetchChainTest {

    /** A real B10 villager on a free port, which mines twice; your fetch reads the chain it serves. */
    @Test
    void theChainOfARunningVillager() throws Exception {
        try (WebApp villager = B10Consensus.start(Options.parse(new String[] {"--port", "0"}, B10Consensus.OPTIONS),
                Facts.quietWorld())) {
            assertEquals(200, Facts.send(villager, "GET", "/mine", null).statusCode());
            assertEquals(200, Facts.send(villager, "GET", "/mine", null).statusCode());
            List<Map<String, Object>> chain = B11FetchChain.fetchChain(Facts.HTTP, villager.url());
            assertEquals(List.of(100L, 35293L, 35089L), chain.stream().map(block -> block.get("nonce")).toList());
            assertTrue(B10Consensus.validChain(chain, 4), "the hashes survive the trip: the chain is still valid");
        }
    }

    @Test
    void aNodeWithoutAChainIsNoNeighbour() throws Exception {
        try (WebApp site = Facts.serve(app -> app.get("/chain", request -> WebApp.Reply.json(200, Map.of("length", 1L))))) {
            assertThrows(IllegalStateException.class, () -> B11FetchChain.fetchChain(Facts.HTTP, site.url()));
        }
        try (WebApp site = Facts.serve(app -> app.get("/", request -> WebApp.Reply.text("Hello Spark!")))) {
            assertThrows(IllegalStateException.class, () -> B11FetchChain.fetchChain(Facts.HTTP, site.url()), "a 404");
        }
    }
}

package bitvillage.stages;

import static bitvillage.stages.Village.chain;
import static bitvillage.stages.Village.mine;
import static bitvillage.stages.Village.outcome;
import static bitvillage.stages.Village.register;
import static bitvillage.stages.Village.resolve;
import static bitvillage.stages.Village.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our node and the book's Python node in one network. book-node-chain.json is what the book's node
 * answered to {@code GET /chain}: Chinese names, an emoji, float amounts and control characters
 * included. Both sides accept each other's chains only if both hash blocks byte for byte alike.
 */
class BookNodeTest {
    private static final Path BOOK_NODE_CHAIN = Path.of("src/test/resources/book-node-chain.json");
    private final Village village = new Village();

    @AfterEach
    void stopTheVillage() {
        village.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> bookChain() throws Exception {
        return (List<Map<String, Object>>) ((Map<?, ?>) PyJson.loads(Files.readString(BOOK_NODE_CHAIN))).get("chain");
    }

    /** Blocks as the text their hash is made from: equal texts, equal blocks, whatever Java types hold them. */
    private static List<String> canonical(List<Map<String, Object>> chain) {
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> block : chain) texts.add(PyJson.dumps(block));
        return texts;
    }

    @Test
    void theBookNodesChainPassesOurChecksSoWeHashAsPythonDoes() throws Exception {
        List<Map<String, Object>> chain = bookChain();
        assertNull(B10Consensus.whyInvalid(chain, 4));
        // Python computed these hashes; ours must be the same, block after block.
        for (int i = 1; i < chain.size(); i++) {
            assertEquals(chain.get(i).get("previous_hash"), B10Consensus.Blockchain.hash(chain.get(i - 1)));
        }
        assertEquals("4079af6d0c069b5d7b7083ed50e469ac93885ed75cd7fefd867d7ef9277e418d",
                B10Consensus.Blockchain.hash(chain.get(0)));
        assertNotNull(B10Consensus.whyInvalid(chain, 5), "with five zeros, the book's nonces are not enough");
    }

    @Test
    void ourNodeAdoptsTheBookNodesChainAndMinesOnTopOfIt() throws Exception {
        WebApp node = village.node();
        String bookNode = village.stub(200, Files.readAllBytes(BOOK_NODE_CHAIN));
        register(node, bookNode);

        Map<String, Object> answer = resolve(node);
        assertEquals("Our chain was replaced", answer.get("message"));
        assertEquals("adopted", outcome(answer, bookNode).get("outcome"));
        assertEquals(canonical(bookChain()), canonical(chain(node)));

        send(node, "小美", "Zoë 🐕", 0.1);
        mine(node, 2);
        List<Map<String, Object>> grown = chain(node);
        assertEquals(6, grown.size());
        assertEquals(canonical(bookChain()), canonical(grown.subList(0, 4)));
        assertEquals(5L, grown.get(4).get("index"));
        assertEquals(B10Consensus.Blockchain.hash(bookChain().get(3)), grown.get(4).get("previous_hash"));
        assertNull(B10Consensus.whyInvalid(grown, 4));
    }

    @Test
    void chainsOurNodeForgesPassTheBooksChecks() throws Exception {
        WebApp node = village.node();
        send(node, "小美", "大華", 699L);
        mine(node, 1);
        send(node, "大華", "Zoë 🐕", 0.5);
        send(node, "a\"b\\c/\td", "e\u007f\u0001", 1e16);
        mine(node, 1);
        mine(node, 1);
        List<Map<String, Object>> chain = chain(node);
        assertEquals(35293L, chain.get(1).get("nonce"), "the book's first nonce after genesis nonce 100");
        assertEquals(35089L, chain.get(2).get("nonce"), "and its second");
        assertNull(B10Consensus.whyInvalid(chain, 4));
        assertNull(B10Consensus.whyInvalid(chain, 4));
    }
}

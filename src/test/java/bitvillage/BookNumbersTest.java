package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.B00Blockchain;
import bitvillage.stages.B01Transactions;
import bitvillage.stages.B02Mining;
import bitvillage.util.cli.World;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The figures the book prints, which our stages must reproduce. */
class BookNumbersTest {

    @Test
    void theBookDigests() {
        assertEquals("3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b", Sha256.hex("apple"));
        assertEquals("f223faa96f22916294922b171a2696d868fd1f9129302eb41a45b2a2ea2ebbfd", Sha256.hex("Apple"));
        assertEquals("cd6357efdd966de8c0cb2f876cc89ec74ce35f0968e11743987084bd42fb8944", Sha256.hex("dog"));
        assertEquals("77af778b51abd4a3c51c5ddd97204a9c3ae614ebccb75a606c3b6865aed6744e", Sha256.hex("cat"));
        assertEquals("69bb57b00a3ca55cb353e3337ef511c77e49cbb232384939eb5d71b6c631bd82", Sha256.hex("This is an apple"));
    }

    @Test
    void theGenesisBlockIsTheBooks() {
        B00Blockchain.Blockchain blockchain = new B00Blockchain.Blockchain(() -> 1546678801.6103268);
        assertEquals("[{\"index\": 1, \"nonce\": 100, \"previous_hash\": 1, \"timestamp\": 1546678801.6103268, "
                + "\"transactions\": []}]", PyJson.dumps(blockchain.chain()));
        assertEquals(List.of(), blockchain.currentTransactions());
        assertTrue(blockchain.nodes().isEmpty());
    }

    @Test
    void aTransactionWaitsForTheNextBlock() {
        B01Transactions.Blockchain blockchain = new B01Transactions.Blockchain(World.fixedClock());
        assertEquals(2, blockchain.newTransaction("小美", "大華", 699L));
        assertEquals(2, blockchain.newTransaction("大華", "小美", 1L));
        assertEquals(1L, blockchain.lastBlock().get("index"));
        Map<String, Object> block = blockchain.newBlock(35293);
        assertEquals(2, ((List<?>) block.get("transactions")).size());
        assertEquals(B01Transactions.Blockchain.hash(blockchain.chain().get(0)), block.get("previous_hash"));
        assertEquals(List.of(), blockchain.currentTransactions());
        assertEquals(3, blockchain.newTransaction("小美", "大華", 1L));
    }

    @Test
    void afterTheGenesisNonceComes35293Then35089() {
        B02Mining.Blockchain blockchain = new B02Mining.Blockchain(World.fixedClock(), 4);
        long first = blockchain.findNonce(100);
        assertEquals(35293, first);
        blockchain.newBlock(first);
        assertEquals(35089, blockchain.findNonce(first));
    }

    @Test
    void fiveZerosTakeLonger() {
        assertEquals(888273, new B02Mining.Blockchain(World.fixedClock(), 5).findNonce(100));
    }

    /** A public Java port of this tutorial once checked endsWith("0000"): the zeros must lead. */
    @Test
    void theZerosMustLead() {
        assertTrue(Sha256.hex("10035293").startsWith("0000"));
        assertTrue(B02Mining.Blockchain.validNonce(100, 35293, 4));
        for (long nonce = 0; nonce < 35293; nonce++) {
            assertFalse(B02Mining.Blockchain.validNonce(100, nonce, 4), "nonce " + nonce);
        }
        long trailing = 0;
        while (!Sha256.hex("100" + trailing).endsWith("0000")) trailing++;
        assertFalse(B02Mining.Blockchain.validNonce(100, trailing, 4), "a hash ending in zeros is not a proof");
    }

    /** A /chain answer from the book's own Python node: our hash of each block is its successor's previous_hash. */
    @Test
    void theBookNodesChainLinksUnderOurHash() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/book-node-chain.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chain = (List<Map<String, Object>>) ((Map<?, ?>) PyJson.loads(text)).get("chain");
        assertEquals(4, chain.size());
        for (int i = 1; i < chain.size(); i++) {
            assertEquals(chain.get(i).get("previous_hash"), B00Blockchain.Blockchain.hash(chain.get(i - 1)), "block " + (i + 1));
            long lastNonce = (long) chain.get(i - 1).get("nonce");
            assertTrue(B02Mining.Blockchain.validNonce(lastNonce, (long) chain.get(i).get("nonce"), 4));
        }
    }
}

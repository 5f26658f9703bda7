package bitvillage.util.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.guard.ChainMemory;
import bitvillage.util.guard.Transactions;
import bitvillage.util.python.PyJson;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ChainReader judges a chain as its bytes come, builds only the chain, and counts its memory as ChainMemory does. */
class ChainReaderTest {
    /** Reads the answer in pieces of {@code piece} bytes; answers the reader, to ask what it holds. */
    private static ChainReader read(byte[] answer, int piece) throws HttpFetch.Refused {
        ChainReader reader = new ChainReader();
        for (int at = 0; at < answer.length; at += piece) {
            reader.read(ByteBuffer.wrap(answer, at, Math.min(piece, answer.length - at)));
        }
        return reader;
    }

    private static Map<String, Object> block(long index, List<Object> payments) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", index);
        block.put("timestamp", 1.5e9 + index);
        block.put("transactions", payments);
        block.put("nonce", 35293L + index);
        block.put("previous_hash", "0".repeat(64));
        return block;
    }

    @Test
    void theMemoryCountedAsItReadsIsChainMemorysForTheChainItBuilt() throws Exception {
        List<Map<String, Object>> chain = new ArrayList<>();
        for (long index = 1; index <= 40; index++) {
            List<Object> payments = new ArrayList<>();
            for (int p = 0; p < index % 7; p++) {
                Map<String, Object> payment = new LinkedHashMap<>(Map.of("sender", "小美" + p, "recipient", "Tom", "amount", 1000L * p));
                payment.put("fee", p % 2 == 0 ? (Object) 0.5 : new BigInteger("123456789012345678901234567890"));
                for (int k = 0; k < index / 3; k++) payment.put("k" + k, k); // maps past 12 entries: their tables grow
                payments.add(payment);
            }
            chain.add(block(index, payments));
        }
        byte[] answer = PyJson.pretty(Map.of("chain", chain, "length", 40L, "last_bk_t", 1.0)).getBytes(StandardCharsets.UTF_8);
        for (int piece : new int[] {1, 13, 4096}) {
            ChainReader reader = read(answer, piece);
            List<Map<String, Object>> read = reader.finish();
            assertEquals(PyJson.dumps(chain), PyJson.dumps(read));
            assertEquals(ChainMemory.bytes(read), reader.held(), "in pieces of " + piece);
        }
        String python = Files.readString(Path.of("src/test/resources/big-integer-chain.json"), StandardCharsets.UTF_8);
        ChainReader reader = read(python.getBytes(StandardCharsets.UTF_8), 100);
        assertEquals(ChainMemory.bytes(reader.finish()), reader.held());
    }

    @Test
    void aChainOfListsIsRefusedAtItsFirstBlockAndOtherFieldsAreNotBuilt() throws Exception {
        StringBuilder lists = new StringBuilder("{\"chain\": [[]");
        while (lists.length() < 1 << 20) lists.append(", []");
        byte[] answer = lists.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        ChainReader reader = new ChainReader();
        HttpFetch.Refused refused = assertThrows(HttpFetch.Refused.class, () -> reader.read(ByteBuffer.wrap(answer, 0, 64)));
        assertEquals("invalid chain: block 1: not a JSON object", refused.getMessage());

        String chain = PyJson.dumps(List.of(block(1, List.of())));
        byte[] padded = ("{\"junk\": " + lists.substring("{\"chain\": ".length(), lists.length() - 1) + ", \"chain\": " + chain + "}")
                .getBytes(StandardCharsets.UTF_8);
        ChainReader skipping = read(padded, 4096);
        assertEquals(1, skipping.finish().size());
        assertTrue(skipping.held() < 2000, "a megabyte of lists read and let go: " + skipping.held());
    }

    @Test
    void coinsTransactionsNestListsOfObjectsAndNoDeeper() throws Exception {
        Map<String, Object> coins = Map.of("inputs", List.of(Map.of("txid", "ab", "index", 0L)), "outputs", List.of(Map.of("address", "cd", "amount", 1L)));
        byte[] answer = PyJson.dumps(Map.of("chain", List.of(block(1, List.of(coins))))).getBytes(StandardCharsets.UTF_8);
        ChainReader reader = new ChainReader(Transactions.COINS);
        reader.read(ByteBuffer.wrap(answer));
        assertEquals(PyJson.dumps(List.of(coins)), PyJson.dumps(reader.finish().get(0).get("transactions")));
        HttpFetch.Refused flat = assertThrows(HttpFetch.Refused.class, () -> new ChainReader().read(ByteBuffer.wrap(answer)));
        assertEquals("invalid chain: block 1: " + Transactions.HOLDS_LIST_OR_OBJECT, flat.getMessage());

        Map<String, Object> deeper = Map.of("inputs", List.of(Map.of("txid", List.of("ab"))), "outputs", List.of());
        byte[] tooDeep = PyJson.dumps(Map.of("chain", List.of(block(1, List.of(deeper))))).getBytes(StandardCharsets.UTF_8);
        HttpFetch.Refused refused = assertThrows(HttpFetch.Refused.class, () -> new ChainReader(Transactions.COINS).read(ByteBuffer.wrap(tooDeep)));
        assertEquals("invalid chain: block 1: " + Transactions.COINS.tooDeep(), refused.getMessage());
    }

    @Test
    void aChainThatWouldTakeMoreMemoryThanANodeGivesOneIsRefusedAsItGrows() throws Exception {
        ChainReader reader = new ChainReader();
        reader.read(ByteBuffer.wrap("{\"chain\": [".getBytes(StandardCharsets.UTF_8)));
        HttpFetch.Refused refused = assertThrows(HttpFetch.Refused.class, () -> {
            for (long index = 1; index < 100_000; index++) {
                List<Object> payments = new ArrayList<>();
                for (int p = 0; p < 20; p++) { // 150 keys of its own: the dearest a byte can be
                    Map<String, Object> payment = new LinkedHashMap<>(Map.of("sender", "s", "recipient", "r", "amount", 1L));
                    for (int k = 0; k < 150; k++) payment.put(Long.toString((index * 20 + p) * 150 + k, 36), 0L);
                    payments.add(payment);
                }
                reader.read(ByteBuffer.wrap(((index > 1 ? ", " : "") + PyJson.dumps(block(index, payments))).getBytes(StandardCharsets.UTF_8)));
            }
        });
        assertEquals("read, the chain would take more than 128 MiB of memory, more than a node gives a neighbour's chain",
                refused.getMessage());
    }
}

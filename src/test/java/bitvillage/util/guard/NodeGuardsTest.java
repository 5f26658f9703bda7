package bitvillage.util.guard;

import bitvillage.util.web.WebApp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guards in util: a served chain's size, node addresses' one spelling, transaction rules, the memory of evicted payments. */
class NodeGuardsTest {
    private static Map<String, Object> block(long index, double timestamp, List<Map<String, Object>> transactions) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", index);
        block.put("timestamp", timestamp);
        block.put("transactions", transactions);
        block.put("nonce", 35293L);
        block.put("previous_hash", index == 1 ? (Object) 1L : "0".repeat(64));
        return block;
    }

    private static Map<String, Object> payment(String sender, Object recipient, Object amount) {
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("sender", sender);
        payment.put("recipient", recipient);
        payment.put("amount", amount);
        return payment;
    }

    /** What GET /chain really sends for this chain, in bytes. */
    private static long served(List<Map<String, Object>> chain) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chain", chain);
        answer.put("length", (long) chain.size());
        answer.put("last_bk_t", chain.get(chain.size() - 1).get("timestamp"));
        return WebApp.Reply.json(200, answer).body().getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void theServedSizeIsWhatGetChainSendsByteForByte() {
        List<Map<String, Object>> chain = new ArrayList<>(List.of(block(1, 1795770021.2578123, List.of())));
        assertEquals(served(chain), ServedChain.bytes(chain));
        chain.add(block(2, 1.5e9, List.of(payment("小美", "😀 Tom", 5L), payment("a\"\\\n", "\ud800", 2.5))));
        chain.add(block(3, 1e22, List.of()));
        assertEquals(served(chain), ServedChain.bytes(chain));
        for (int i = 4; i <= 12; i++) chain.add(block(i, 1795770021.0 + i, List.of(payment("x" + i, "y", (long) i))));
        assertEquals(served(chain), ServedChain.bytes(chain));
        assertNull(ServedChain.whyTooLarge(chain));
    }

    @Test
    void miningIsRefusedOnlyWhenTheBlockCouldPassWhatPeersRead() {
        List<Map<String, Object>> chain = List.of(block(1, 1.0, List.of()));
        ServedChain.requireRoomToMine(chain, List.of(payment("a", "b", 1L)), "miner"); // no exception
        List<Map<String, Object>> huge = new ArrayList<>();
        for (int i = 0; i < 33; i++) huge.add(payment("x".repeat(1 << 20), "b", 1L));
        WebApp.Rejected refused = assertThrows(WebApp.Rejected.class, () -> ServedChain.requireRoomToMine(chain, huge, "miner"));
        assertEquals(503, refused.status());
    }

    /** A node mines no block that would make its chain take more memory than a neighbour gives one: none could read it. */
    @Test
    void miningIsRefusedWhenTheChainWouldTakeMoreMemoryThanANeighbourGivesIt() {
        List<Map<String, Object>> chain = new ArrayList<>();
        long memory = 0;
        for (long index = 1; memory <= ChainMemory.MAX_BYTES - (1 << 20); index++) {
            List<Map<String, Object>> payments = new ArrayList<>();
            for (int p = 0; p < 20; p++) {
                Map<String, Object> payment = payment("s", "r", 1L);
                for (int k = 0; k < 150; k++) payment.put(Long.toString((index * 20 + p) * 150 + k, 36), 0L);
                payments.add(payment);
            }
            chain.add(block(index, 1.0, payments));
            memory += ChainMemory.bytes(List.of(chain.get(chain.size() - 1))); // each block's keys are its own
        }
        assertNull(ServedChain.whyTooLarge(chain), "served, it fits: " + ServedChain.bytes(chain));
        List<Map<String, Object>> payments = new ArrayList<>();
        for (int p = 0; p < 10_000; p++) payments.add(payment("a" + p, "b", 1L)); // some 3.5 MiB more
        WebApp.Rejected refused = assertThrows(WebApp.Rejected.class, () -> ServedChain.requireRoomToMine(chain, payments, "miner"));
        assertEquals(503, refused.status());
        assertTrue(refused.getMessage().contains("more than 128 MiB of memory"), refused.getMessage());
    }

    @Test
    void literalSpellingsOfOneAddressAreWrittenOneWay() {
        Map<String, String> spellings = Map.ofEntries(
                Map.entry("0x7f000001:5002", "http://127.0.0.1:5002"),
                Map.entry("017700000001:5002", "http://127.0.0.1:5002"),
                Map.entry("127.000.000.001:5002", "http://127.0.0.1:5002"),
                Map.entry("0x7f.1:5002", "http://127.0.0.1:5002"),
                Map.entry("127.1.:5002", "http://127.0.0.1:5002"),
                Map.entry("[::FFFF:7F00:1]:5002", "http://127.0.0.1:5002"),
                Map.entry("[2001:db8:0:0:1:0:0:1]:5002", "http://[2001:db8::1:0:0:1]:5002"),
                Map.entry("10.258:5002", "http://10.0.1.2:5002"),
                Map.entry("Example.ORG.:80", "http://example.org:80"));
        spellings.forEach((given, stored) -> assertEquals(stored, NodeAddress.normalise(given), given));
        for (String bad : List.of("4294967296:5002", "[fe80::1%25eth0]:5002", "1.2.3.4.5:5002", "256.0.0.1:5002",
                "08.0.0.1:5002", "example.1:5002", "a_b:5002")) {
            assertThrows(IllegalArgumentException.class, () -> NodeAddress.normalise(bad), bad);
        }
    }

    /** 0.0.0.0 is where a node listens on every address it has; asked there, it is this computer. */
    @Test
    void theUnspecifiedAddressIsListedAsThisComputer() {
        for (String given : List.of("http://0.0.0.0:5002", "http://0:5002", "0x0:5002", "[::ffff:0.0.0.0]:5002")) {
            assertEquals("http://127.0.0.1:5002", NodeAddress.normalise(given), given);
        }
        assertEquals("http://[::1]:5002", NodeAddress.normalise("[0:0:0:0:0:0:0:0]:5002"));
    }

    @Test
    void aTransactionHoldsTextNumbersAndFlagsOfBoundedSize() {
        assertNull(Transactions.whyInvalid(payment("a", "b", 1L)));
        Map<String, Object> later = payment("a", "b", 1L);
        later.put("id", "f00");
        later.put("fee", 0.5);
        later.put("note", null);
        later.put("urgent", true);
        assertNull(Transactions.whyInvalid(later), "later stages add keys");
        assertTrue(Transactions.whyInvalid(payment("a", 5L, 1L)).contains("'recipient' is not text"));
        assertTrue(Transactions.whyInvalid(payment("a", "b", "5")).contains("'amount' is not a number"));
        assertNull(Transactions.whyInvalid(payment("😀".repeat(150), "b", 1L)), "150 characters, 1,800 bytes as \\ud83d\\ude00");
        assertTrue(Transactions.whyInvalid(payment("😀".repeat(200), "b", 1L)).contains("more than 2048"));
        assertTrue(Transactions.whyInvalid(payment("😀".repeat(257), "b", 1L)).contains("257 characters"));
    }

    @Test
    void evictedPaymentsAreNeverForgottenByThemselvesAFullMemoryRefusesToEvictMore() {
        EvictedPayments evicted = new EvictedPayments(250);
        evicted.add("a", payment("a", "b", 1), 100, "outbid");
        evicted.add("b", payment("b", "c", 1), 100, "outbid");
        evicted.requireRoom(); // 200 of 250 bytes: room
        evicted.add("c", payment("c", "d", 1), 100, "the pool overflowed"); // past the budget: still remembered
        assertEquals("outbid", evicted.get("a").why(), "the oldest is not forgotten");
        assertEquals(payment("c", "d", 1), evicted.get("c").transaction());
        WebApp.Rejected full = assertThrows(WebApp.Rejected.class, evicted::requireRoom);
        assertEquals(503, full.status());
        assertTrue(full.getMessage().contains("memory of evicted payments (250 bytes)"), full.getMessage());
        evicted.forget("a"); // it came back, or a block holds it
        evicted.forget("b");
        assertNull(evicted.get("a"));
        evicted.requireRoom(); // 100 of 250 bytes
    }
}

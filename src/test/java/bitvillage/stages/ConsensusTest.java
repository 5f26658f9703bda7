package bitvillage.stages;

import static bitvillage.stages.Village.chain;
import static bitvillage.stages.Village.mine;
import static bitvillage.stages.Village.outcome;
import static bitvillage.stages.Village.register;
import static bitvillage.stages.Village.resolve;
import static bitvillage.stages.Village.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** B10's consensus between real nodes: who wins, the tie-break, and what happens to transactions. */
class ConsensusTest {
    private final Village village = new Village();

    @AfterEach
    void stopTheVillage() throws Exception {
        village.close();
    }

    /** Every node knows every other node. */
    private static void introduce(List<WebApp> nodes) throws Exception {
        for (WebApp node : nodes) {
            for (WebApp other : nodes) {
                if (other != node) register(node, other.url());
            }
        }
    }

    @Test
    void threeNodesAgreeOnTheLongestChain() throws Exception {
        WebApp a = village.node();
        WebApp b = village.node();
        WebApp c = village.node();
        introduce(List.of(a, b, c));
        mine(a, 2);
        mine(b, 1);
        mine(c, 3);
        List<Map<String, Object>> longest = chain(c);

        Map<String, Object> atA = resolve(a);
        assertEquals("Our chain was replaced", atA.get("message"));
        assertEquals(longest, atA.get("new_chain"));
        assertEquals("adopted", outcome(atA, c.url()).get("outcome"));
        assertEquals(4L, outcome(atA, c.url()).get("length"));
        assertEquals("not better", outcome(atA, b.url()).get("outcome"));

        Map<String, Object> atC = resolve(c);
        assertEquals("Our chain is authoritative", atC.get("message"));
        assertEquals(longest, atC.get("chain"));
        assertNull(atC.get("new_chain"));

        assertEquals("Our chain was replaced", resolve(b).get("message"));
        for (WebApp node : List.of(a, b, c)) {
            assertEquals(longest, chain(node));
            assertEquals("Our chain is authoritative", resolve(node).get("message"));
        }
        assertNull(B10Consensus.whyInvalid(longest, 4));
    }

    @Test
    void fiveNodesAgreeAndTheEarlierOfTwoEquallyLongChainsWins() throws Exception {
        List<WebApp> nodes = new ArrayList<>();
        for (int i = 0; i < 5; i++) nodes.add(village.node());
        introduce(nodes);
        int[] blocksToMine = {1, 2, 3, 3, 0};
        for (int i = 0; i < nodes.size(); i++) mine(nodes.get(i), blocksToMine[i]);
        // Nodes 2 and 3 both hold 4 blocks; node 2 forged its last block first, so its chain wins.
        List<Map<String, Object>> winner = chain(nodes.get(2));

        for (WebApp node : nodes) resolve(node);
        for (WebApp node : nodes) assertEquals(winner, chain(node));
        Map<String, Object> atNode3 = resolve(nodes.get(3));
        assertEquals("Our chain is authoritative", atNode3.get("message"));
        assertEquals("as long as ours, but its last block is not earlier than ours",
                outcome(atNode3, nodes.get(2).url()).get("reason"));
    }

    @Test
    void asLongWithAnEarlierLastBlockWinsButNotWithALaterOne() throws Exception {
        WebApp early = village.node();
        WebApp late = village.node();
        register(early, late.url());
        register(late, early.url());
        mine(early, 1);
        mine(late, 1); // the same length, its last block forged after early's
        List<Map<String, Object>> earlyChain = chain(early);
        List<Map<String, Object>> lateChain = chain(late);

        Map<String, Object> atEarly = resolve(early);
        assertEquals("Our chain is authoritative", atEarly.get("message"));
        assertEquals("not better", outcome(atEarly, late.url()).get("outcome"));
        assertEquals(earlyChain, chain(early));

        Map<String, Object> atLate = resolve(late);
        assertEquals("Our chain was replaced", atLate.get("message"));
        assertEquals("adopted", outcome(atLate, early.url()).get("outcome"));
        assertEquals(earlyChain, chain(late));
        assertFalse(earlyChain.equals(lateChain));
    }

    /** A neighbour that serves this chain at {@code GET /chain}. */
    private String serving(List<Map<String, Object>> chain) throws Exception {
        return village.stub(200, PyJson.dumps(Map.of("chain", chain, "length", (long) chain.size())));
    }

    @Test
    void equallyLongChainsWithTheSameLastTimestampAreToldApartByAddressWhateverTheOrder() throws Exception {
        WebApp x = village.node();
        WebApp y = village.node();
        mine(x, 2);
        mine(y, 2);
        List<Map<String, Object>> xChain = chain(x);
        List<Map<String, Object>> yChain = chain(y);
        // The last block's timestamp is in no hash, so y's chain stays valid with x's last timestamp.
        yChain.get(2).put("timestamp", xChain.get(2).get("timestamp"));
        assertNull(B10Consensus.whyInvalid(yChain, 4));
        assertFalse(xChain.equals(yChain), "two different chains: other miners, other rewards");
        String servesX = serving(xChain);
        String servesY = serving(yChain);
        List<Map<String, Object>> first = servesX.compareTo(servesY) < 0 ? xChain : yChain;

        WebApp one = village.node();
        register(one, servesX, servesY);
        WebApp other = village.node();
        register(other, servesY, servesX);
        Map<String, Object> atOne = resolve(one);
        Map<String, Object> atOther = resolve(other);

        assertEquals("Our chain was replaced", atOne.get("message"));
        assertEquals("Our chain was replaced", atOther.get("message"));
        assertEquals(first, atOne.get("new_chain"), "the smaller address ranks first");
        assertEquals(first, atOther.get("new_chain"), "whatever order the neighbours were registered in");
        assertEquals(chain(one), chain(other));
    }

    @Test
    void aShorterChainNeverWinsWhateverItsTimestamps() throws Exception {
        WebApp shortChain = village.node();
        WebApp longChain = village.node();
        mine(shortChain, 1); // its blocks are the earliest
        mine(longChain, 2);
        register(longChain, shortChain.url());
        Map<String, Object> answer = resolve(longChain);
        assertEquals("Our chain is authoritative", answer.get("message"));
        assertEquals("shorter than ours (3 blocks)", outcome(answer, shortChain.url()).get("reason"));
    }

    @Test
    void noVillagersTransactionIsLostWhenOurChainIsReplaced() throws Exception {
        WebApp a = village.node();
        WebApp b = village.node();
        register(a, b.url());
        send(a, "小美", "大華", 699L);        // goes into A's block 2, which B's chain will drop
        mine(a, 1);
        send(a, "大華", "Zoë 🐕", 0.5);      // pending at A, and B mines it too
        send(a, "阿明", "小美", 3L);           // pending at A twice, once in B's chain
        send(a, "阿明", "小美", 3L);
        send(a, "阿花", "阿明", 1.25);        // pending at A only
        send(b, "大華", "Zoë 🐕", 0.5);
        send(b, "阿明", "小美", 3L);
        mine(b, 2);
        List<Map<String, Object>> bChain = chain(b);

        assertEquals("Our chain was replaced", resolve(a).get("message"));
        assertEquals(bChain, chain(a));
        mine(a, 1);
        List<Map<String, Object>> aChain = chain(a);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> minedNext = (List<Map<String, Object>>) aChain.get(aChain.size() - 1).get("transactions");
        List<String> expected = List.of(
                "{\"amount\": 699, \"recipient\": \"\\u5927\\u83ef\", \"sender\": \"\\u5c0f\\u7f8e\"}",
                "{\"amount\": 3, \"recipient\": \"\\u5c0f\\u7f8e\", \"sender\": \"\\u963f\\u660e\"}",
                "{\"amount\": 1.25, \"recipient\": \"\\u963f\\u660e\", \"sender\": \"\\u963f\\u82b1\"}");
        List<String> mined = new ArrayList<>();
        for (Map<String, Object> transaction : minedNext) mined.add(PyJson.dumps(transaction));
        assertEquals(expected, mined.subList(0, 3), "the dropped block's transaction, then what is still pending");
        assertEquals("0", minedNext.get(3).get("sender"), "then A's reward for this block, and no old reward");
        assertEquals(4, minedNext.size());
        assertNull(B10Consensus.whyInvalid(aChain, 4));
    }

    /**
     * The weakness the B10 page leaves to the reader: the book's checks do not cover what a block
     * holds, and every chain has the same nonces (each depends only on the one before). So a forger
     * rewrites a payment, links the hashes again, adds one block, and the honest node takes it.
     */
    @Test
    void theBooksChecksLetAForgerRewriteHistoryWithoutMining() throws Exception {
        WebApp honest = village.node();
        send(honest, "小美", "大華", 5L);
        mine(honest, 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> forged = (List<Map<String, Object>>) PyJson.loads(PyJson.dumps(chain(honest)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> payments = (List<Map<String, Object>>) forged.get(1).get("transactions");
        payments.get(0).put("amount", 5000L);
        for (int i = 1; i < forged.size(); i++) {
            forged.get(i).put("previous_hash", B10Consensus.Blockchain.hash(forged.get(i - 1)));
        }
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        extra.put("index", (long) forged.size() + 1);
        extra.put("timestamp", 0.0);
        extra.put("transactions", List.of());
        extra.put("nonce", new B10Consensus.Blockchain(() -> 0.0, 4)
                .findNonce((long) forged.get(forged.size() - 1).get("nonce"))); // one proof of work, no more
        extra.put("previous_hash", B10Consensus.Blockchain.hash(forged.get(forged.size() - 1)));
        forged.add(extra);
        String forger = village.stub(200, PyJson.dumps(Map.of("chain", forged)));
        register(honest, forger);

        assertEquals("Our chain was replaced", resolve(honest).get("message"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nowPaid = (List<Map<String, Object>>) chain(honest).get(1).get("transactions");
        assertEquals(5000L, nowPaid.get(0).get("amount"));
    }

    @Test
    void twoNodesResolvingAgainstEachOtherAtTheSameMomentDoNotDeadlock() throws Exception {
        WebApp a = village.node();
        WebApp b = village.node();
        register(a, b.url());
        register(b, a.url());
        mine(a, 2);
        mine(b, 1);
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                Callable<Map<String, Object>> atA = () -> { start.await(); return resolve(a); };
                Callable<Map<String, Object>> atB = () -> { start.await(); return resolve(b); };
                Future<Map<String, Object>> fromA = both.submit(atA);
                Future<Map<String, Object>> fromB = both.submit(atB);
                // A generous bound: a deadlock never ends, a busy machine ends late.
                Map<String, Object> answerA = fromA.get(60, TimeUnit.SECONDS);
                Map<String, Object> answerB = fromB.get(60, TimeUnit.SECONDS);
                if (round == 0) {
                    assertEquals("Our chain is authoritative", answerA.get("message"));
                    assertEquals("Our chain was replaced", answerB.get("message"));
                }
                assertEquals(chain(a), chain(b));
                // Next round: one of them gets ahead, and every third round the other catches up (a tie).
                mine(round % 2 == 0 ? b : a, 1);
                if (round % 3 == 0) mine(round % 2 == 0 ? a : b, 1);
            }
        } finally {
            both.shutdownNow();
        }
    }
}

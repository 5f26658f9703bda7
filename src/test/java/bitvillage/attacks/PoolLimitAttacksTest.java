package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import bitvillage.util.python.PyJson;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool's limit of bytes holds against one payer's chain of payments. Mempool.admit makes room by
 * evicting the cheapest, but never the newcomer's ancestors nor the block being mined; when nothing else
 * is left to evict, the payment is refused (503) rather than taken past the limit. Before, one sender
 * numbering payments 1, 2, 3 (B16), or one coin passed from transaction to transaction at fee 0 (B17, no
 * balance bounds it), grew the pool without bound.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolLimitAttacksTest {
    private static final byte[] XIAOMEI = Keys.fromSeed("小美");
    private static final String DAHUA = Keys.address(Keys.fromSeed("大華"));

    @Test
    void oneSendersNumberedPaymentsStayWithinThePoolsBytes() throws Exception {
        try (WebNode node = new WebNode("B16", "--block-bytes", "1000", "--mempool-bytes", "2000")) {
            String sender = Keys.address(XIAOMEI);
            for (long sequence = 1; sequence <= 12; sequence++) {
                Map<String, Object> payment = SignedPayment.signed(XIAOMEI, SignedPayment.unsigned(sender, DAHUA, 1, 0, sequence));
                int status = node.postJson("/transactions/new", PyJson.dumps(payment)).statusCode();
                assertTrue(status == 201 || status == 503, "payment " + sequence + ": " + status);
                if (status == 503) break; // the next sequence waits for this one
            }
            Map<String, Object> pending = Http.json(node.get("/transactions/pending"), 200);
            assertTrue((long) pending.get("bytes") <= 2000, "the pool holds " + pending.get("bytes") + " bytes, its limit 2000");
        }
    }

    @Test
    void oneCoinPassedAlongStaysWithinThePoolsBytes() throws Exception {
        try (WebNode node = new WebNode("B17", "--block-bytes", "1000", "--mempool-bytes", "2000")) {
            String owner = Keys.address(XIAOMEI);
            String txid = (String) CoinTransaction.withId(CoinTransaction.genesis()).get("id");
            for (int i = 0; i < 30; i++) {
                Map<String, Object> transaction = CoinTransaction.signed(CoinTransaction.transaction(
                        List.of(CoinTransaction.input(txid, 0)), List.of(CoinTransaction.output(owner, 1000))), XIAOMEI);
                HttpResponse<String> answer = node.postJson("/transactions/new", PyJson.dumps(transaction));
                assertTrue(answer.statusCode() == 201 || answer.statusCode() == 503, "transaction " + i + ": " + answer.body());
                if (answer.statusCode() == 503) break;
                txid = CoinTransaction.id(transaction);
            }
            Map<String, Object> pending = Http.json(node.get("/transactions/pending"), 200);
            assertTrue((long) pending.get("bytes") <= 2000, "the pool holds " + pending.get("bytes") + " bytes, its limit 2000");
            assertEquals(2000L, pending.get("limit_bytes"));
        }
    }
}

package bitvillage.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.stages.taught.FeeRate;
import bitvillage.testing.Http;
import bitvillage.testing.WebNode;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 17, finding 9: B15's 503 for a full pool advises a fee; it must be one the node takes, and paying it gets in. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeeToPayAttacksTest {

    @Test
    void theAdvisedFeeIsAlwaysOneTheNodeTakesAndPayingItGetsIn() throws Exception {
        try (WebNode node = new WebNode("B15", "--block-bytes", "200", "--mempool-bytes", "400")) {
            fill(node, 5);
            Map<String, Object> refused = Http.json(pay(node, "late", 0), 503);
            Object fee = refused.get("fee_to_pay");
            int paid = pay(node, "late", ((Number) fee).longValue()).statusCode();
            System.out.println("a pool of fee-5 payments: advised fee " + fee + ", paying it answers " + paid);
            assertEquals(201, paid);
        }
        try (WebNode node = new WebNode("B15", "--block-bytes", "200", "--mempool-bytes", "400")) {
            fill(node, FeeRate.MAX_FEE);
            Map<String, Object> refused = Http.json(pay(node, "late", 0), 503);
            System.out.println("a pool of payments at the most a fee may be (" + FeeRate.MAX_FEE + "): advised fee "
                    + refused.get("fee_to_pay") + "; " + refused.get("error"));
            assertNull(refused.get("fee_to_pay"), "no fee the node takes would get in: none is advised");
            assertTrue(String.valueOf(refused.get("error")).contains("no fee a node takes does"), refused.toString());
        }
    }

    /** Payments of this fee until one is refused: the pool is full of them. */
    private static void fill(WebNode node, long fee) throws Exception {
        for (int i = 0; pay(node, "a" + i, fee).statusCode() == 201; i++) assertTrue(i < 20, "the pool holds 400 bytes");
    }

    private static java.net.http.HttpResponse<String> pay(WebNode node, String sender, long fee) throws Exception {
        return Http.post(node.app, "/transactions/new", Map.of("sender", sender, "recipient", "b", "amount", 1, "fee", fee));
    }
}

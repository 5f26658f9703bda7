package bitvillage.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.keys.Keys;
import bitvillage.keys.VerifiedSignatures;
import bitvillage.stages.taught.Accounts;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** B16's taught classes: a signed payment's id, signature and shape, the reward, and the ledger's rules. */
class SignedPaymentTest {
    static final byte[] MEI = Keys.fromSeed("小美");
    static final byte[] HUA = Keys.fromSeed("大華");
    private final VerifiedSignatures verified = new VerifiedSignatures(100);

    private static Map<String, Object> payment(long amount, long fee, long sequence) {
        return SignedPayment.signed(MEI, SignedPayment.unsigned(Keys.address(MEI), Keys.address(HUA), amount, fee, sequence));
    }

    @Test
    void theIdIsTheHashOfThePaymentWithoutItsSignature() {
        Map<String, Object> unsigned = SignedPayment.unsigned(Keys.address(MEI), Keys.address(HUA), 699, 1, 1);
        Map<String, Object> signed = SignedPayment.signed(MEI, unsigned);
        assertEquals(Sha256.hex(PyJson.dumps(unsigned)), SignedPayment.id(signed));
        assertEquals(SignedPayment.id(unsigned), SignedPayment.id(SignedPayment.withId(signed)));
        Map<String, Object> otherSignature = new LinkedHashMap<>(signed);
        otherSignature.put("signature", "0".repeat(128));
        assertEquals(SignedPayment.id(signed), SignedPayment.id(otherSignature));
        assertEquals(SignedPayment.id(signed), SignedPayment.id(payment(699, 1, 1)), "the same payment signed again: the same id");
        assertNull(SignedPayment.whyMisshapen(signed));
        assertTrue(SignedPayment.signatureHolds(signed, verified));
    }

    @Test
    void aChangedAmountIsAnotherIdAndBreaksTheSignature() {
        Map<String, Object> signed = payment(699, 1, 1);
        Map<String, Object> altered = new LinkedHashMap<>(signed);
        altered.put("amount", 6990L);
        assertNotEquals(SignedPayment.id(signed), SignedPayment.id(altered));
        assertFalse(SignedPayment.signatureHolds(altered, verified));
        Map<String, Object> forged = SignedPayment.signed(HUA, SignedPayment.unsigned(Keys.address(MEI), Keys.address(HUA), 699, 1, 1));
        assertFalse(SignedPayment.signatureHolds(forged, verified), "大華 cannot sign in 小美's name");
    }

    @Test
    void aPaymentHasExactlyItsFieldsEachOfItsShape() {
        Map<String, Object> good = payment(699, 1, 1);
        assertEquals("a payment has exactly the fields sender, recipient, amount, fee, sequence and signature",
                SignedPayment.whyMisshapen(with(good, "id", "ab")));
        assertEquals("'sender' must be an address: 64 lower-case hex digits (an x-only public key)",
                SignedPayment.whyMisshapen(with(good, "sender", "小美")));
        assertEquals("'recipient' must be an address: 64 lower-case hex digits (an x-only public key)",
                SignedPayment.whyMisshapen(with(good, "recipient", Keys.address(HUA).toUpperCase())));
        assertEquals("'amount' must be a whole number of coins from 1 to 1000000000000000",
                SignedPayment.whyMisshapen(with(good, "amount", 0L)));
        assertEquals("'amount' must be a whole number of coins from 1 to 1000000000000000",
                SignedPayment.whyMisshapen(with(good, "amount", SignedPayment.MAX_AMOUNT + 1)));
        assertEquals("'amount' must be a whole number of coins from 1 to 1000000000000000",
                SignedPayment.whyMisshapen(with(good, "amount", 1.5)));
        assertNull(SignedPayment.whyMisshapen(with(good, "amount", SignedPayment.MAX_AMOUNT)));
        assertEquals("'fee' must be a whole number of coins from 0 to 1000000000000000",
                SignedPayment.whyMisshapen(with(good, "fee", -1L)));
        assertNull(SignedPayment.whyMisshapen(with(good, "fee", 0L)));
        assertEquals("'sequence' must be a whole number from 1: the sender's first payment is 1, the next 2, ...",
                SignedPayment.whyMisshapen(with(good, "sequence", 0L)));
        assertEquals("'signature' must be 128 lower-case hex digits (a BIP-340 signature)",
                SignedPayment.whyMisshapen(with(good, "signature", "ab")));
    }

    @Test
    void theRewardIsUnsignedAndItsSequenceIsTheBlocksIndex() {
        Map<String, Object> reward = SignedPayment.reward(Keys.address(MEI), 3, 7);
        assertEquals("[id, sender, recipient, amount, fee, sequence]", reward.keySet().toString());
        assertEquals("0", reward.get("sender"));
        assertEquals(7L, reward.get("sequence"));
        assertEquals(SignedPayment.id(reward), reward.get("id"));
        assertNotEquals(reward.get("id"), SignedPayment.reward(Keys.address(MEI), 3, 8).get("id"));
    }

    @Test
    void theLedgerTakesEachSendersNextSequenceAndNoMoreThanItsBalance() {
        Accounts accounts = new Accounts();
        accounts.apply(SignedPayment.reward(Keys.address(MEI), 1000, 1));
        assertEquals(1000, accounts.balance(Keys.address(MEI)));
        assertEquals(1, accounts.nextSequence(Keys.address(MEI)), "new coins count no sequence");
        assertEquals("sequence 1 expected, 2 given", accounts.whyNot(payment(1, 0, 2)));
        assertEquals("balance 1000, payment needs 1001", accounts.whyNot(payment(1000, 1, 1)));
        Map<String, Object> first = payment(699, 1, 1);
        assertNull(accounts.whyNot(first));
        Accounts tried = accounts.copy();
        tried.apply(first);
        assertEquals(1000, accounts.balance(Keys.address(MEI)), "the copy leaves the ledger as it is");
        assertEquals(300, tried.balance(Keys.address(MEI)));
        assertEquals(699, tried.balance(Keys.address(HUA)));
        assertEquals(2, tried.nextSequence(Keys.address(MEI)));
        assertEquals("sequence 2 expected, 1 given", tried.whyNot(first), "a payment counts once");
        assertEquals("balance 300, payment needs 301", tried.whyNot(payment(300, 1, 2)));
    }

    @Test
    void theLargestAmountAndFeeAddUpWithoutWrappingRound() {
        Accounts accounts = new Accounts();
        accounts.apply(SignedPayment.reward(Keys.address(MEI), 5, 1));
        Map<String, Object> largest = payment(SignedPayment.MAX_AMOUNT, SignedPayment.MAX_AMOUNT, 1);
        assertNull(SignedPayment.whyMisshapen(largest));
        assertEquals("balance 5, payment needs 2000000000000000", accounts.whyNot(largest));
    }

    private static Map<String, Object> with(Map<String, Object> payment, String name, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(payment);
        changed.put(name, value);
        return changed;
    }
}

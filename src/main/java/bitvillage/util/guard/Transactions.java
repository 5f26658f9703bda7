package bitvillage.util.guard;

import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a transaction may hold, so that every chain we write stays one a neighbour can read. The book
 * checks only that the three fields are there; a 1 MB sender, or arrays nested 990 deep, would
 * then go into a block, and a chain too large to share would split the village for good.
 */
public final class Transactions {
    private Transactions() {}

    /** The longest sender or recipient, in characters (Unicode code points). */
    public static final int MAX_NAME_CHARS = 256;
    /** The longest amount, in characters as JSON writes it. */
    public static final int MAX_AMOUNT_CHARS = 100;
    /** The most bytes one transaction takes as we hash it (json.dumps with sort_keys). */
    public static final int MAX_TRANSACTION_BYTES = 2048;
    /** The most new payments a node keeps waiting for the next block. */
    public static final int MAX_PENDING = 10_000;
    /**
     * Why a transaction holding a list or an object is invalid. It names no key: the answer may be
     * a stranger's, and what we say of it repeats none of it.
     */
    public static final String HOLDS_LIST_OR_OBJECT =
            "a transaction holds a list or an object, where only a string, number, boolean or null may stand";

    /**
     * What a stage's transactions may hold in a neighbour's chain: how deep lists and objects nest
     * in one (the book's: not at all), what is said of one nested deeper, and the rule for a whole one.
     */
    public record Shape(int depth, String tooDeep, Function<Object, String> whyInvalid) {}

    /** The book's payment, B00 to B16: sender, recipient, amount and plain fields. */
    public static final Shape PAYMENTS = new Shape(0, HOLDS_LIST_OR_OBJECT, Transactions::whyInvalid);

    /** B17's: lists of inputs and outputs, each an object of plain fields; its exact shape is the stage's rule. */
    public static final Shape COINS = new Shape(2, "a transaction nests lists or objects deeper than a list of inputs or outputs",
            Transactions::whyCoinsInvalid);

    /** Refuses, with a 400, a new payment past these rules; sender and recipient are non-empty text already. */
    public static void requireValid(String sender, String recipient, Number amount) {
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("sender", sender);
        transaction.put("recipient", recipient);
        transaction.put("amount", amount);
        requireValid(transaction);
    }

    /**
     * The same, for a payment with every key it will be stored with (a later stage's 'id' or 'fee'
     * counts in its size too).
     */
    public static void requireValid(Map<String, Object> transaction) {
        String wrong = whyInvalid(transaction);
        if (wrong != null) throw new WebApp.Rejected(400, wrong + "; nothing was queued");
    }

    /**
     * Refuses, with a 503, a new payment when {@code pending} payments wait already. Payments that
     * a chain replacement gives back to the list are kept even past this: none may be lost.
     */
    public static void requireRoom(int pending) {
        if (pending >= MAX_PENDING) {
            throw new WebApp.Rejected(503, "Service Unavailable: " + MAX_PENDING
                    + " payments wait for the next block already; mine one (GET /mine), then send this again");
        }
    }

    /**
     * What is wrong with a transaction, or null: 'sender' and 'recipient' text of at most
     * {@value #MAX_NAME_CHARS} characters, 'amount' a number of at most {@value #MAX_AMOUNT_CHARS}
     * characters; any other key (later stages add 'id' and 'fee') a string, number, boolean or
     * null; at most {@value #MAX_TRANSACTION_BYTES} bytes in all.
     */
    public static String whyInvalid(Object value) {
        if (!(value instanceof Map<?, ?> transaction)) return "a transaction is not a JSON object";
        for (String name : new String[] {"sender", "recipient"}) {
            if (!(transaction.get(name) instanceof String text)) return "a transaction's '" + name + "' is not text";
            int chars = text.codePointCount(0, text.length());
            if (chars > MAX_NAME_CHARS) {
                return "a transaction's '" + name + "' has " + chars + " characters, more than " + MAX_NAME_CHARS;
            }
        }
        if (!(transaction.get("amount") instanceof Number amount)) return "a transaction's 'amount' is not a number";
        int amountChars = PyJson.dumps(amount).length();
        if (amountChars > MAX_AMOUNT_CHARS) {
            return "a transaction's 'amount' has " + amountChars + " characters, more than " + MAX_AMOUNT_CHARS;
        }
        boolean[] nested = {false}; // forEach, not values(): a map keeps the view it makes, for good
        transaction.forEach((key, other) -> nested[0] |= other instanceof Map<?, ?> || other instanceof java.util.List<?>);
        if (nested[0]) return HOLDS_LIST_OR_OBJECT;
        return whyTooLarge(transaction);
    }

    /** What is wrong with a transaction of coins (B17), or null: an object of lists of objects of plain values, at most {@value #MAX_TRANSACTION_BYTES} bytes. */
    public static String whyCoinsInvalid(Object value) {
        if (!(value instanceof Map<?, ?> transaction)) return "a transaction is not a JSON object";
        for (Object field : transaction.values()) {
            if (field instanceof Map<?, ?>) return COINS.tooDeep();
            if (field instanceof List<?> list) {
                for (Object item : list) {
                    if (!(item instanceof Map<?, ?> map) || map.values().stream().anyMatch(inner -> inner instanceof Map<?, ?> || inner instanceof List<?>)) {
                        return COINS.tooDeep();
                    }
                }
            }
        }
        return whyTooLarge(transaction);
    }

    private static String whyTooLarge(Map<?, ?> transaction) {
        int bytes = PyJson.dumps(transaction).length(); // ASCII only: one byte a character
        if (bytes > MAX_TRANSACTION_BYTES) {
            return "a transaction takes " + bytes + " bytes as JSON, more than " + MAX_TRANSACTION_BYTES;
        }
        return null;
    }
}

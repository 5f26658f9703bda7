package bitvillage.util.guard;

import java.util.regex.Pattern;

/**
 * The shape of a transaction id from stage B12 on: 32 lowercase hex digits, as a node id (uuid4
 * without its dashes). What a node accepts as an id, in a request's path or a neighbour's chain.
 */
public final class TransactionIds {
    private TransactionIds() {}

    /** How an id is written, for error messages. */
    public static final String SHAPE = "32 hex digits (0-9, a-f), like 9e87d069508a4165a992f405923fef9b";

    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    /** Is this value a string of exactly 32 lowercase hex digits? */
    public static boolean wellFormed(Object value) {
        return value instanceof String text && ID.matcher(text).matches();
    }
}

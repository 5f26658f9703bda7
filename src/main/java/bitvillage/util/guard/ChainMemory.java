package bitvillage.util.guard;

import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The memory a chain takes once read: its blocks as Java holds them, maps, lists, strings and
 * numbers. A byte of JSON can cost one byte of memory or twelve ({@code {}, {}, ...} and payments
 * of a hundred keys of their own are the dearest), so it is memory, not the answer's size, that a
 * node counts while it reads its neighbours' chains, and that it bounds: a neighbour's chain may take
 * {@link #MAX_BYTES}, and a node mines no block that would take its own chain past it, or no
 * neighbour could read it. The counts are what Java 17 takes on a 64-bit machine, a little over
 * rather than under, so that a node reads the same number for the same chain, whoever sent it.
 */
public final class ChainMemory {
    private ChainMemory() {}

    /**
     * The most memory a neighbour's chain may take. A chain of 32 MiB of JSON, all a neighbour reads,
     * takes at most some 125 MiB in any shape a node makes (blocks of small payments are the
     * dearest), and as much as 400 MiB in shapes only an attacker makes.
     */
    public static final long MAX_BYTES = 128L << 20;

    /** A LinkedHashMap, with its first table of 16 slots. */
    public static final long MAP = 136;
    /** An entry of a LinkedHashMap; its table doubles as the map grows past 12, 24, 48, ... entries. */
    public static final long ENTRY = 40;
    /** An ArrayList and its first array of 10 slots. */
    public static final long LIST = 80;
    /** An element's slot in an ArrayList, whose array grows by half as it fills. */
    public static final long SLOT = 8;
    /** A Long past the small ones Java keeps (-128 to 127), or a Double: 12 bytes of header and 8 of value, aligned. */
    public static final long BOXED = 24;
    /** A key, counted once however often it comes (the parser keeps one String for each): its place in our set of them. */
    public static final long KEY = 48;

    /** What an entry costs when it makes a map of {@code entries} entries: its own, and the table's growing. */
    public static long entry(int entries) {
        return ENTRY + 4L * (tableSlots(entries) - tableSlots(entries - 1));
    }

    private static long tableSlots(int entries) {
        long slots = 16;
        while (entries > slots * 3 / 4) slots *= 2;
        return slots;
    }

    /** What a key costs the first time it comes: itself and its place in the set of keys. */
    public static long key(String key) {
        return KEY + scalar(key);
    }

    /** What a scalar takes: a String, a Long, BigInteger or Double; the small Longs, true, false and null are shared. */
    public static long scalar(Object value) {
        if (value instanceof String text) {
            boolean latin1 = true;
            for (int i = 0; i < text.length() && latin1; i++) latin1 = text.charAt(i) < 0x100;
            return 24 + align(16 + (long) text.length() * (latin1 ? 1 : 2));
        }
        if (value instanceof Long number) return number >= -128 && number <= 127 ? 0 : BOXED;
        if (value instanceof Double) return BOXED;
        if (value instanceof BigInteger big) return 40 + align(16 + 4L * (big.bitLength() / 32 + 1));
        return 0;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** What the chain takes, read from JSON: as {@code ChainReader} counts it while it reads, each key once. */
    public static long bytes(List<Map<String, Object>> chain) {
        Set<String> keys = new HashSet<>();
        long total = LIST;
        for (Map<String, Object> block : chain) total += SLOT + bytes(block, keys);
        return total;
    }

    private static long bytes(Object value, Set<String> keys) {
        if (value instanceof Map<?, ?> map) {
            long[] total = {MAP};
            int[] entries = {0};
            map.forEach((key, field) -> { // not entrySet(): a map keeps the view it makes, for good
                if (keys.add((String) key)) total[0] += key((String) key);
                total[0] += entry(++entries[0]) + bytes(field, keys);
            });
            return total[0];
        }
        if (value instanceof Collection<?> list) {
            long total = LIST;
            for (Object item : list) total += SLOT + bytes(item, keys);
            return total;
        }
        return scalar(value);
    }

    /** Why a chain that takes {@code bytes} (or more: it is not all read yet) is too large to hold, or null. */
    public static String whyTooLarge(long bytes) {
        if (bytes <= MAX_BYTES) return null;
        return "read, the chain would take more than " + (MAX_BYTES >> 20) + " MiB of memory, more than a node gives"
                + " a neighbour's chain";
    }
}

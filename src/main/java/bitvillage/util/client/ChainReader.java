package bitvillage.util.client;

import bitvillage.util.guard.ChainMemory;
import bitvillage.util.guard.ChainShape;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.guard.Transactions;
import bitvillage.util.python.JsonFeed;
import bitvillage.util.python.PyJson;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a neighbour's {@code GET /chain} answer as its bytes arrive, and judges it as it goes: a
 * JSON object whose {@code chain} is a list of well-shaped blocks ({@link ChainShape}), each
 * transaction one a neighbour can hold ({@link Transactions}), the whole a chain we could serve in
 * turn ({@link ServedChain}). It refuses at the first block, transaction or byte that is wrong, so
 * 32 MiB of {@code [], [], ...} cost nothing; it builds only the chain (the answer's other fields
 * are read and let go); and it counts the memory what it built takes ({@link ChainMemory}), refuses
 * a chain that would take more than a node gives one, and says how much it holds ({@link #held}),
 * so that {@link HttpFetch} holds all answers together to a bound. No reason it gives repeats a
 * byte of the answer.
 */
final class ChainReader implements HttpFetch.Reader<List<Map<String, Object>>> {
    private enum Role { ROOT, CHAIN, BLOCK, TRANSACTIONS, TRANSACTION, VALUE }

    /** A list or object that is open: what we build of it, or nothing for the answer's outermost object. */
    private static final class Open {
        final Role role;
        final Object value; // a Map or a List, or null for ROOT
        final int depth; // how deep inside a transaction: 0 for the transaction itself, or outside one
        String key; // in an object: the key whose value comes next

        Open(Role role, Object value, int depth) {
            this.role = role;
            this.value = value;
            this.depth = depth;
        }
    }

    private final Transactions.Shape shape; // what a transaction may hold

    /** A reader of the book's payments. */
    ChainReader() {
        this(Transactions.PAYMENTS);
    }

    ChainReader(Transactions.Shape shape) {
        this.shape = shape;
    }

    private final JsonFeed json = new JsonFeed();
    private final Deque<Open> open = new ArrayDeque<>();
    private final Set<String> keys = new HashSet<>();
    private List<Map<String, Object>> chain; // null until the answer's 'chain' begins
    private int skipping; // how deep we are in a value we read and do not keep
    private long held;
    private long servedBlocks; // what the blocks so far add to the chain as we would serve it
    private long servedTransactions; // what the transactions so far of the block being read add to it

    @Override
    public void read(ByteBuffer bytes) throws HttpFetch.Refused {
        try {
            json.feed(bytes);
            for (JsonToken token = json.next(); token != null; token = json.next()) take(token);
        } catch (PyJson.JsonException e) {
            throw notJson(e);
        }
        String tooLarge = ChainMemory.whyTooLarge(held);
        if (tooLarge != null) throw new HttpFetch.Refused(tooLarge);
    }

    @Override
    public List<Map<String, Object>> finish() throws HttpFetch.Refused {
        try {
            json.end();
            for (JsonToken token = json.next(); token != null; token = json.next()) take(token);
        } catch (PyJson.JsonException e) {
            throw notJson(e);
        } finally {
            json.close();
        }
        if (chain == null) throw new HttpFetch.Refused("the answer has no 'chain'");
        String tooLarge = ServedChain.whyTooLarge(ServedChain.bytes(servedBlocks, chain));
        if (tooLarge != null) throw new HttpFetch.Refused(tooLarge);
        return chain;
    }

    @Override
    public long held() {
        return held;
    }

    private static HttpFetch.Refused notJson(PyJson.JsonException e) {
        if (e.getMessage().equals(JsonFeed.NOT_UTF8)) return new HttpFetch.Refused("the answer is not UTF-8 text");
        return new HttpFetch.Refused("the answer is not JSON: " + e.getMessage());
    }

    private void take(JsonToken token) throws HttpFetch.Refused {
        if (skipping > 0) { // inside a field of the answer other than 'chain'
            if (token.isStructStart()) skipping++;
            if (token.isStructEnd()) skipping--;
            return;
        }
        Open in = open.peek();
        if (in == null) {
            if (token != JsonToken.START_OBJECT) throw new HttpFetch.Refused("the answer is not a JSON object");
            open.push(new Open(Role.ROOT, null, 0));
        } else if (token == JsonToken.FIELD_NAME) {
            in.key = json.key();
        } else if (token.isStructEnd()) {
            close(open.pop());
        } else if (in.role == Role.ROOT) {
            field(in.key, token);
        } else {
            value(in, token);
        }
    }

    /** A field of the answer: 'chain' is read, any other is let go. */
    private void field(String key, JsonToken token) throws HttpFetch.Refused {
        if (!key.equals("chain")) {
            if (token.isStructStart()) skipping = 1;
            return;
        }
        if (chain != null) throw new HttpFetch.Refused("the answer has 'chain' twice");
        if (token != JsonToken.START_ARRAY) throw invalid("the chain is not a list");
        chain = new ArrayList<>();
        held += ChainMemory.LIST;
        open.push(new Open(Role.CHAIN, chain, 0));
    }

    /** A value inside the chain: a block, a transaction, or anything a block holds. */
    private void value(Open in, JsonToken token) throws HttpFetch.Refused {
        switch (in.role) {
            case CHAIN -> {
                if (token != JsonToken.START_OBJECT) throw invalid("block " + (chain.size() + 1) + ": not a JSON object");
            }
            case TRANSACTIONS -> {
                if (token != JsonToken.START_OBJECT) throw invalidBlock(Transactions.whyInvalid(null));
            }
            default -> { }
        }
        boolean inTransaction = in.role == Role.TRANSACTION || in.depth > 0;
        int depth = inTransaction ? in.depth + 1 : 0;
        if (token.isStructStart() && depth > shape.depth()) throw invalidBlock(shape.tooDeep());
        Object value;
        Role role = null;
        if (token == JsonToken.START_OBJECT) {
            value = new LinkedHashMap<String, Object>();
            held += ChainMemory.MAP;
            role = in.role == Role.CHAIN ? Role.BLOCK : in.role == Role.TRANSACTIONS ? Role.TRANSACTION : Role.VALUE;
        } else if (token == JsonToken.START_ARRAY) {
            value = new ArrayList<>();
            held += ChainMemory.LIST;
            role = in.role == Role.BLOCK && "transactions".equals(in.key) ? Role.TRANSACTIONS : Role.VALUE;
        } else {
            value = json.scalar();
            held += ChainMemory.scalar(value);
        }
        add(in, value);
        if (role != null) open.push(new Open(role, value, depth));
    }

    @SuppressWarnings("unchecked") // we built every list and map here, of plain JSON values
    private void add(Open in, Object value) {
        if (in.value instanceof Map<?, ?> map) {
            if (keys.add(in.key)) held += ChainMemory.key(in.key);
            int entries = map.size();
            ((Map<String, Object>) map).put(in.key, value); // a key given twice keeps its entry, with the last value
            if (map.size() > entries) held += ChainMemory.entry(map.size());
        } else {
            held += ChainMemory.SLOT;
            ((List<Object>) in.value).add(value);
        }
    }

    /** A list or object ended: a block or transaction is judged whole, the chain must have a block. */
    @SuppressWarnings("unchecked") // a BLOCK and a TRANSACTION are maps we built
    private void close(Open closed) throws HttpFetch.Refused {
        switch (closed.role) {
            case TRANSACTION -> {
                String wrong = shape.whyInvalid().apply(closed.value);
                if (wrong != null) throw invalidBlock(wrong);
                // A block of 450,000 payments is too large to serve long before it ends: say so then.
                servedTransactions += "\n        ".length() + PyJson.prettyBytes(closed.value, 4) + ",".length();
                String tooLarge = ServedChain.whyTooLargeSoFar(servedBlocks + servedTransactions);
                if (tooLarge != null) throw new HttpFetch.Refused(tooLarge);
            }
            case BLOCK -> {
                servedTransactions = 0;
                String wrong = ChainShape.whyMisshapen(closed.value, chain.size(), shape);
                if (wrong != null) throw invalidBlock(wrong);
                servedBlocks += ServedChain.blockBytes((Map<String, Object>) closed.value);
                // The chain so far, were it to end here; every block to come makes it larger.
                String tooLarge = ServedChain.whyTooLargeSoFar(ServedChain.bytes(servedBlocks, chain));
                if (tooLarge != null) throw new HttpFetch.Refused(tooLarge);
            }
            case CHAIN -> {
                if (chain.isEmpty()) throw invalid("the chain has no blocks");
            }
            default -> { }
        }
    }

    private static HttpFetch.Refused invalid(String why) {
        return new HttpFetch.Refused("invalid chain: " + why);
    }

    /** The block being read is invalid: it is the chain's last so far. */
    private HttpFetch.Refused invalidBlock(String why) {
        return invalid("block " + chain.size() + ": " + why);
    }
}

package bitvillage.check;

import bitvillage.check.NodeClient.Exchange;
import bitvillage.check.NodeClient.Trouble;
import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One run of a stage's contract against a node: each check sends plain requests, looks at the
 * status codes, the JSON keys and the values that carry behaviour (indices, nonces, hashes, which
 * chain a node keeps), never at the wording of messages, and prints pass, fail or skip with why.
 * Checks that need what an earlier one failed to get are skipped, so a defect fails one check.
 *
 * <p>This class runs the checks; the contracts are its subclasses, one for each stage that changes
 * the contract, each the contract of the stage it grows from with that stage's lesson added, as the
 * stages themselves are: {@link WebContract} (B3 to B6), {@link MiningContract} (B7, B8),
 * {@link ConsensusContract} (B9 to B11), {@link IdsContract} (B12), {@link ProofContract} (B13),
 * {@link FeesContract} (B14), {@link PoolContract} (B15). {@link SignedPaymentsContract} (B16) stands
 * alone: B16's payments are signed, so every payment the earlier contracts send is refused there; and
 * so does {@link CoinsContract} (B17), whose transactions spend coins; {@link GossipContract} (B18)
 * grows from it, with check playing a neighbour that talks.
 *
 * <p>Whatever a node answers, check's own work is bounded: it reads at most {@link #MOST_BYTES_READ}
 * of the node's answers in a run, and builds no chain longer than {@link #MOST_BLOCKS_BUILT} blocks
 * (see {@link ConsensusContract}); a check that would go beyond is not run, and says so.
 */
abstract class Contract {
    enum Verdict { PASS, FAIL, SKIP }

    /** One check's outcome; {@code why} says what was seen (a pass) or what was wrong (a fail). */
    record Finding(String name, Verdict verdict, String why) {}

    /** The stages whose contracts check knows. */
    static final int FIRST_STAGE = 3;
    static final int LAST_STAGE = 18;

    /** The longest chain check builds to serve a node: every block of it is a proof of work of check's own. */
    static final int MOST_BLOCKS_BUILT = 64;
    /** The most of a node's answers check reads in one run: as much as one whole chain a node may serve. */
    static final long MOST_BYTES_READ = NodeClient.MAX_ANSWER_BYTES;

    static final String UNKNOWN_PATH = "an unknown path answers 404";

    /** The contract of stage {@code stage} (from {@link #FIRST_STAGE} to {@link #LAST_STAGE}), ready to run. */
    static Contract of(int stage, boolean strict, NodeClient node, PrintStream out) {
        if (stage < FIRST_STAGE || stage > LAST_STAGE) throw new IllegalArgumentException("no contract for B" + stage);
        if (stage <= 6) return new WebContract(stage, strict, node, out);
        if (stage <= 8) return new MiningContract(stage, strict, node, out);
        if (stage <= 11) return new ConsensusContract(stage, strict, node, out);
        return switch (stage) {
            case 12 -> new IdsContract(stage, strict, node, out);
            case 13 -> new ProofContract(stage, strict, node, out);
            case 14 -> new FeesContract(stage, strict, node, out);
            case 15 -> new PoolContract(stage, strict, node, out);
            case 16 -> new SignedPaymentsContract(stage, strict, node, out);
            case 17 -> new CoinsContract(stage, strict, node, out);
            default -> new GossipContract(stage, strict, node, out);
        };
    }

    final int stage;
    final boolean strict;
    final NodeClient node;
    private final PrintStream out;
    private final List<Finding> results = new ArrayList<>();
    private String stopped; // why the checks left do not run, once the node cannot be reached
    private int timeouts;

    // What the answers showed, for --strict to report at the end.
    private final Set<String> answersNotMarkedJson = new LinkedHashSet<>();
    private final Set<String> refusalsWithoutAllow = new LinkedHashSet<>();

    Contract(int stage, boolean strict, NodeClient node, PrintStream out) {
        this.stage = stage;
        this.strict = strict;
        this.node = node;
        this.out = out;
    }

    /** Runs every check of the stage, printing each, then --strict's if asked; {@link #close()} after. */
    final List<Finding> run() {
        try {
            checks();
            if (strict) {
                strictRefusals();
                strictAnswers();
            }
        } finally {
            close();
        }
        return results;
    }

    /** The stage's checks, in order. */
    abstract void checks();

    /** --strict: the bad input our nodes refuse with a 4xx, where the book's Python answers 500 or takes it. */
    void strictRefusals() {}

    /** Frees what the checks started (a villager). */
    void close() {}

    final void unknownPath() {
        check(UNKNOWN_PATH, () -> status("GET", "/bitvillage-check/no-such-route", null, 404));
    }

    /** --strict, last: what every answer of the run showed. */
    private void strictAnswers() {
        if (stage >= 6) {
            check("--strict: JSON answers say Content-Type: application/json", () -> {
                need(answersNotMarkedJson.isEmpty(), "not said by " + String.join(", ", answersNotMarkedJson));
                return null;
            });
        }
        check("--strict: a 405 names the methods allowed in its Allow header", () -> {
            need(refusalsWithoutAllow.isEmpty(), "not by " + String.join(", ", refusalsWithoutAllow));
            return null;
        });
    }

    // ---- requests and what the answers must hold

    /** Sends a request that must answer {@code expected}. */
    final String status(String method, String path, String body, int expected) {
        expect(method, path, body, expected);
        return null;
    }

    final Exchange expect(String method, String path, String body, int expected) {
        Exchange answer = node.send(method, path, body);
        need(answer.status() == expected, method + " " + path + " answered " + answer.status());
        if (expected == 405) {
            String allow = answer.allow() == null ? "" : answer.allow();
            String wanted = method.equals("GET") ? "POST" : "GET";
            if (!List.of(allow.split(",\\s*")).contains(wanted)) refusalsWithoutAllow.add(method + " " + path);
        }
        return answer;
    }

    /** A request that must be refused with a 4xx; answers the status. */
    final String refused(String method, String path, String body) {
        Exchange answer = node.send(method, path, body);
        need(answer.status() / 100 == 4, "it answered " + answer.status());
        return Integer.toString(answer.status());
    }

    /** The JSON object an answer holds; one not marked as JSON is noted for --strict. */
    @SuppressWarnings("unchecked") // a JSON object's keys are strings
    final Map<String, Object> object(Exchange answer, String what) {
        if (!answer.contentType().startsWith("application/json")) answersNotMarkedJson.add(answer.request());
        Object value;
        try {
            value = PyJson.loads(answer.body());
        } catch (IllegalArgumentException e) {
            throw new Failed(what + " is not JSON: " + e.getMessage());
        }
        need(value instanceof Map<?, ?>, what + " is not a JSON object");
        return (Map<String, Object>) value;
    }

    /** GET /mine: the block it answers, with the book's keys, a whole index and nonce, and a list of transactions. */
    final Map<String, Object> mine() {
        Map<String, Object> block = object(expect("GET", "/mine", null, 200), "the answer to GET /mine");
        for (String key : List.of("index", "message", "nonce", "previous_hash", "transactions")) {
            need(block.containsKey(key), "the answer has no '" + key + "'");
        }
        whole(block, "index", "the block's");
        whole(block, "nonce", "the block's");
        list(block, "transactions", "the block's");
        return block;
    }

    static long whole(Map<String, Object> fields, String key, String whose) {
        need(fields.get(key) instanceof Long, whose + " " + key + " is " + PyJson.dumps(fields.get(key)) + ", not a whole number");
        return (long) fields.get(key);
    }

    @SuppressWarnings("unchecked") // read only as objects
    static List<Object> list(Map<String, Object> fields, String key, String whose) {
        need(fields.get(key) instanceof List<?>, whose + " " + key + " is not a list");
        return (List<Object>) fields.get(key);
    }

    /** Does the transaction given hold every key of the one sent, with the same value? */
    static boolean sameTransaction(Object given, Map<String, Object> sent) {
        if (!(given instanceof Map<?, ?> fields)) return false;
        for (String key : sent.keySet()) {
            if (!PyJson.dumps(fields.get(key)).equals(PyJson.dumps(sent.get(key)))) return false;
        }
        return true;
    }

    static boolean same(Object a, Object b) {
        return PyJson.dumps(a).equals(PyJson.dumps(b));
    }

    static Map<String, Object> transaction(String sender, String recipient, Object amount) {
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("sender", sender);
        transaction.put("recipient", recipient);
        transaction.put("amount", amount);
        return transaction;
    }

    static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    // ---- running one check

    /** What a check does: answers what it saw (or null) when it holds, throws {@link Failed} when not. */
    @FunctionalInterface
    interface Probe {
        String run();
    }

    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String why) {
            super(why);
        }
    }

    static final class Skipped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skipped(String why) {
            super(why);
        }
    }

    static void need(boolean holds, String otherwise) {
        if (!holds) throw new Failed(otherwise);
    }

    /** Runs one check, prints its outcome and answers whether it passed. */
    final boolean check(String name, Probe body) {
        Finding result;
        if (stopped != null) {
            result = new Finding(name, Verdict.SKIP, stopped);
        } else {
            try {
                result = new Finding(name, Verdict.PASS, body.run());
            } catch (Failed e) {
                result = new Finding(name, Verdict.FAIL, e.getMessage());
            } catch (Skipped e) {
                result = new Finding(name, Verdict.SKIP, e.getMessage());
            } catch (Trouble e) {
                if (e.spent()) { // not the node's fault: check stops reading, and says so
                    stopped = "not run: " + e.getMessage();
                    result = new Finding(name, Verdict.SKIP, stopped);
                } else {
                    result = new Finding(name, Verdict.FAIL, e.getMessage());
                    if (e.unreachable()) stopped = "not run: the node cannot be reached";
                    if (e.timedOut() && ++timeouts >= 2) stopped = "not run: the node stopped answering";
                }
            } catch (RuntimeException e) {
                // An answer so odd that this check could not even look at it: a fail with a reason, never a stack trace.
                result = new Finding(name, Verdict.FAIL, "could not read the node's answers (" + e.getClass().getSimpleName() + ")");
            }
        }
        results.add(result);
        String verdict = result.verdict().name().toLowerCase(Locale.ROOT);
        out.println("  " + verdict + "  " + name + (result.why() == null ? "" : ": " + result.why()));
        return result.verdict() == Verdict.PASS;
    }
}

package bitvillage.check;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test double of the book's B-10.py, written the way the book writes it (it trusts a neighbour's
 * length and last_bk_t, and a missing key is a 500, as Python's KeyError is), with at most one
 * defect, the kind a learner porting the book might make. Built on the JDK's own HTTP server, so it
 * shares nothing with our nodes but the JSON of util.PyJson.
 */
final class BookLikeNode implements AutoCloseable {
    enum Defect {
        NONE,
        /** valid_nonce tests the end of the hash for 0000, not its start. */
        ENDS_WITH,
        /** valid_chain forgets to compare previous_hash with the hash of the block before. */
        NO_PREVIOUS_HASH_COMPARE,
        /** valid_chain forgets to check the nonces. */
        NO_NONCE_CHECK,
        /** /mine is declared without methods=['GET'] filtering: a POST mines too, and answers 200. */
        MINE_TAKES_POST,
        /** /chain leaves out last_bk_t. */
        NO_LAST_BK_T,
        /** A block's hash is of the JSON the node sends (indented, not ASCII), not of json.dumps(sort_keys=True). */
        HASHES_OTHER_JSON,
        /** Every request waits for ever. */
        HANGS
    }

    private final Defect defect;
    private final boolean takesTransactions;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "book-like node");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Map<String, Object>> chain = new ArrayList<>();
    private List<Map<String, Object>> currentTransactions = new ArrayList<>();
    private final Set<String> nodes = new LinkedHashSet<>();
    private double clock = 1_700_000_000.25;

    BookLikeNode(Defect defect, boolean takesTransactions) throws IOException {
        this.defect = defect;
        this.takesTransactions = takesTransactions;
        newBlock(100, 1L);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    // ---- the book's Blockchain class

    private synchronized Map<String, Object> newBlock(long nonce, Object previousHash) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("index", (long) chain.size() + 1);
        block.put("timestamp", clock += 0.5);
        block.put("transactions", currentTransactions);
        block.put("nonce", nonce);
        block.put("previous_hash", previousHash != null ? previousHash : hash(chain.get(chain.size() - 1)));
        currentTransactions = new ArrayList<>();
        chain.add(block);
        return block;
    }

    private String hash(Object block) {
        return Sha256.hex(defect == Defect.HASHES_OTHER_JSON ? PyJson.pretty(block) : PyJson.dumps(block));
    }

    private boolean validNonce(Object lastNonce, Object nonce) {
        String guess = Sha256.hex(lastNonce.toString() + nonce);
        return defect == Defect.ENDS_WITH ? guess.endsWith("0000") : guess.startsWith("0000");
    }

    private synchronized long newTransaction(Object sender, Object recipient, Object amount) {
        Map<String, Object> transaction = new LinkedHashMap<>();
        transaction.put("sender", sender);
        transaction.put("recipient", recipient);
        transaction.put("amount", amount);
        currentTransactions.add(transaction);
        return (long) chain.get(chain.size() - 1).get("index") + 1;
    }

    private boolean validChain(List<Map<String, Object>> blocks) {
        Map<String, Object> lastBlock = blocks.get(0);
        for (int i = 1; i < blocks.size(); i++) {
            Map<String, Object> block = blocks.get(i);
            if (defect != Defect.NO_PREVIOUS_HASH_COMPARE && !hash(lastBlock).equals(block.get("previous_hash"))) {
                return false;
            }
            if (defect != Defect.NO_NONCE_CHECK && !validNonce(required(lastBlock, "nonce"), required(block, "nonce"))) {
                return false;
            }
            lastBlock = block;
        }
        return true;
    }

    @SuppressWarnings("unchecked") // as Python, the double takes the JSON to be what it should be
    private boolean resolveConflicts() throws Exception {
        List<Map<String, Object>> newChain = null;
        int maxLength;
        double myLastTime;
        synchronized (this) {
            maxLength = chain.size();
            myLastTime = (double) chain.get(chain.size() - 1).get("timestamp");
        }
        for (String node : List.copyOf(nodes)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node + "/chain"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) continue;
            Map<String, Object> answer = (Map<String, Object>) PyJson.loads(response.body());
            List<Map<String, Object>> other = (List<Map<String, Object>>) required(answer, "chain");
            long length = (long) required(answer, "length");
            double lastTime = ((Number) required(answer, "last_bk_t")).doubleValue();
            if (validChain(other) && (length > maxLength || length == maxLength && lastTime < myLastTime)) {
                maxLength = (int) length;
                newChain = other;
            }
        }
        if (newChain == null) return false;
        synchronized (this) {
            chain.clear();
            chain.addAll(newChain);
        }
        return true;
    }

    /** values['key'], as Python reads it: a KeyError when it is missing. */
    private static Object required(Map<String, Object> values, String key) {
        if (!values.containsKey(key)) throw new IllegalStateException("KeyError: '" + key + "'");
        return values.get(key);
    }

    // ---- the book's routes, as Flask serves them

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (defect == Defect.HANGS) {
                closing.await();
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String allowed = switch (path) {
                case "/mine" -> defect == Defect.MINE_TAKES_POST ? "GET, POST" : "GET";
                case "/chain", "/nodes/resolve" -> "GET";
                case "/nodes/register" -> "POST";
                case "/transactions/new" -> takesTransactions ? "POST" : null;
                default -> null;
            };
            if (allowed == null) {
                send(exchange, 404, "text/html; charset=utf-8", "<h1>Not Found</h1>");
            } else if (!List.of(allowed.split(", ")).contains(method)) {
                exchange.getResponseHeaders().set("Allow", allowed + ", OPTIONS");
                send(exchange, 405, "text/html; charset=utf-8", "<h1>Method Not Allowed</h1>");
            } else {
                route(exchange, path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BadRequest e) {
            send(exchange, 400, "text/html; charset=utf-8", "<h1>Bad Request</h1>");
        } catch (Exception e) {
            // Flask's answer to an exception in a view
            send(exchange, 500, "text/html; charset=utf-8", "<h1>Internal Server Error</h1>");
        } finally {
            exchange.close();
        }
    }

    @SuppressWarnings("unchecked")
    private void route(HttpExchange exchange, String path) throws Exception {
        switch (path) {
            case "/mine" -> {
                long lastNonce;
                synchronized (this) {
                    lastNonce = (long) chain.get(chain.size() - 1).get("nonce");
                }
                long nonce = 0;
                while (!validNonce(lastNonce, nonce)) nonce++;
                newTransaction("0", "5d1c4ba1b3e04a0f8a8c0e5c9f2b7d61", 1L);
                Map<String, Object> block = newBlock(nonce, null);
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("message", "New Block Forged");
                for (String key : List.of("index", "transactions", "nonce", "previous_hash")) answer.put(key, block.get(key));
                json(exchange, 200, answer);
            }
            case "/chain" -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                synchronized (this) {
                    answer.put("chain", List.copyOf(chain));
                    answer.put("length", (long) chain.size());
                    if (defect != Defect.NO_LAST_BK_T) answer.put("last_bk_t", chain.get(chain.size() - 1).get("timestamp"));
                }
                json(exchange, 200, answer);
            }
            case "/transactions/new" -> {
                Map<String, Object> values = body(exchange);
                long index = newTransaction(required(values, "sender"), required(values, "recipient"), required(values, "amount"));
                json(exchange, 201, Map.of("message", "Transaction will be added to Block " + index));
            }
            case "/nodes/register" -> {
                Map<String, Object> values = body(exchange);
                Object addresses = required(values, "nodes");
                if (addresses == null) {
                    send(exchange, 400, "text/html; charset=utf-8", "please give the nodes");
                    return;
                }
                synchronized (this) {
                    nodes.addAll((List<String>) addresses);
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("message", "New nodes have been added");
                answer.put("total_nodes", List.copyOf(nodes));
                json(exchange, 200, answer);
            }
            default -> { // /nodes/resolve
                boolean replaced = resolveConflicts();
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("message", replaced ? "Our chain was replaced" : "Our chain is authoritative");
                synchronized (this) {
                    answer.put(replaced ? "new_chain" : "chain", List.copyOf(chain));
                }
                json(exchange, 200, answer);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(HttpExchange exchange) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Object value;
        try {
            value = PyJson.loads(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest();
        }
        if (!(value instanceof Map<?, ?>)) throw new BadRequest();
        return (Map<String, Object>) value;
    }

    /** Flask's get_json() on a body that is not JSON: 400 Bad Request. */
    private static final class BadRequest extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static void json(HttpExchange exchange, int status, Object value) throws IOException {
        send(exchange, status, "application/json", PyJson.pretty(value) + "\n");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

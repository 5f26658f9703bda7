package bitvillage.wallet;

import bitvillage.keys.Keys;
import bitvillage.keys.KeysCommand;
import bitvillage.stages.taught.CoinSelection;
import bitvillage.stages.taught.CoinTransaction;
import bitvillage.stages.taught.SignedPayment;
import bitvillage.stages.taught.UnspentCoins.Outpoint;
import bitvillage.util.cli.Options.UsageError;
import bitvillage.util.cli.Options;
import bitvillage.util.cli.StageFailed;
import bitvillage.util.cli.World;
import bitvillage.util.client.HttpFetch;
import bitvillage.util.guard.NodeAddress;
import bitvillage.util.guard.ServedChain;
import bitvillage.util.python.PyJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;

/**
 * {@code java -jar target/bitvillage.jar pay --seed 小美 --to ADDRESS --amount 699 --node URL}: a
 * villager's wallet, from B16 on. It finds out how the node keeps money by asking for the sender's
 * coins ({@code GET /coins/<address>}): a node that answers keeps coins (B17), and the wallet spends
 * some of the spendable ones, chosen by {@link CoinSelection} (largest first, which says why), with
 * the change back to the sender and each input signed. A node that does not keeps accounts (B16),
 * and the wallet signs a payment with the sender's next sequence ({@code GET /balance/<address>}).
 * It posts the payment to {@code /transactions/new} and prints the node's answer, its status and its JSON. With
 * {@code --print} it prints the signed payment instead of posting it, for a learner to tamper with
 * and post with curl. Exit 0 when the node took it (2xx), 1 when the node refused it or could not
 * be asked, 2 for a command line it cannot run.
 */
public final class Pay {
    private Pay() {}

    private static final Options.Option AMOUNT = new Options.Option("--amount", "N", "whole coins to pay, 1 to " + SignedPayment.MAX_AMOUNT);
    private static final Options.Option FEE = Options.Option.text("--fee", "N",
            "whole coins for the miner, 0 to " + SignedPayment.MAX_AMOUNT, "0");

    public static final List<Options.Option> OPTIONS = List.of(
            new Options.Option("--seed", "TEXT", "the sender's key is SHA-256 of TEXT (a brain wallet: for pages, never for money)"),
            new Options.Option("--secret", "HEX", "the sender's secret key, 64 hex digits, as keys new prints it (instead of --seed)"),
            new Options.Option("--to", "ADDRESS", "the recipient's address, 64 lower-case hex digits"),
            AMOUNT,
            FEE,
            new Options.Option("--node", "URL", "the node that is told, like http://127.0.0.1:5000"),
            new Options.Option("--print", null, "print the signed payment instead of posting it (to tamper with and post with curl)"));

    private static final Pattern ADDRESS = Pattern.compile("[0-9a-f]{64}");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A node's answer: its status and its body. */
    private record Answer(int status, String body) {
        boolean taken() {
            return status / 100 == 2;
        }
    }

    public static void run(Options options, World world) throws InterruptedException {
        byte[] secret = senderKey(options);
        String recipient = options.text("--to", null);
        if (recipient == null || !ADDRESS.matcher(recipient).matches()) {
            throw new UsageError("give --to ADDRESS: 64 lower-case hex digits, as keys new prints an address");
        }
        long amount = coins(options, AMOUNT, 1);
        long fee = coins(options, FEE, 0);
        String node = nodeBase(options.text("--node", null));
        String sender = Keys.address(secret);

        HttpClient http = HttpFetch.client(TIMEOUT);
        Answer coins = ask(http, HttpRequest.newBuilder(URI.create(node + "/coins/" + sender)).GET(), node);
        Map<String, Object> payment = coins.taken() ? fromCoins(world, coins, secret, recipient, amount, fee)
                : withNextSequence(world, ask(http, HttpRequest.newBuilder(URI.create(node + "/balance/" + sender)).GET(), node),
                        secret, recipient, amount, fee);
        if (options.has("--print")) {
            world.out().println(PyJson.pretty(payment));
            return;
        }
        Answer answer = ask(http, HttpRequest.newBuilder(URI.create(node + "/transactions/new"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PyJson.dumps(payment), StandardCharsets.UTF_8)), node);
        print(world, answer);
        if (!answer.taken()) throw new StageFailed("the node refused the payment (" + answer.status() + ")");
    }

    /** A payment with the sender's next sequence, as the node's {@code GET /balance/<address>} names it (B16). */
    private static Map<String, Object> withNextSequence(World world, Answer balance, byte[] secret, String recipient, long amount, long fee) {
        if (!(balance.taken() && json(balance.body()) instanceof Map<?, ?> fields && fields.get("next_sequence") instanceof Long sequence)) {
            print(world, balance);
            throw new StageFailed("the node gave neither the sender's coins (GET /coins/<address> of a B17 node or later)"
                    + " nor its next_sequence (GET /balance/<address> of a B16 node)");
        }
        return SignedPayment.signed(secret, SignedPayment.unsigned(Keys.address(secret), recipient, amount, fee, sequence));
    }

    /** A payment of coins the node lists as spendable for the sender, chosen largest first, the change back, each input signed. */
    private static Map<String, Object> fromCoins(World world, Answer coins, byte[] secret, String recipient, long amount, long fee) {
        Map<Outpoint, Long> spendable = spendable(json(coins.body()));
        if (spendable == null) {
            print(world, coins);
            throw new StageFailed("GET /coins/<address> gave no list of coins, each with txid, index, amount (1 to "
                    + CoinTransaction.MAX_AMOUNT + ") and spendable");
        }
        try {
            return CoinSelection.pay(secret, spendable, recipient, amount, fee);
        } catch (IllegalArgumentException tooFew) {
            throw new StageFailed("nothing was sent: " + tooFew.getMessage());
        }
    }

    /** The coins a {@code GET /coins/<address>} answer lists as spendable, oldest first; null when it lists no coins as B17 does. */
    public static Map<Outpoint, Long> spendable(Object answer) {
        if (!(answer instanceof Map<?, ?> fields && fields.get("coins") instanceof List<?> listed)) return null;
        Map<Outpoint, Long> spendable = new LinkedHashMap<>();
        for (Object each : listed) {
            if (!(each instanceof Map<?, ?> coin && coin.get("txid") instanceof String txid && coin.get("index") instanceof Long index
                    && coin.get("amount") instanceof Long held && held >= 1 && held <= CoinTransaction.MAX_AMOUNT
                    && coin.get("spendable") instanceof Boolean mayBeSpent)) {
                return null;
            }
            if (mayBeSpent) spendable.put(new Outpoint(txid, index), held);
        }
        return spendable;
    }

    /** The sender's secret key: from --seed (a brain wallet) or --secret, exactly one of them. */
    private static byte[] senderKey(Options options) {
        if (options.has("--seed") == options.has("--secret")) throw new UsageError("give the sender's key: --seed TEXT or --secret HEX, one of them");
        return options.has("--seed") ? KeysCommand.fromSeedArgument(options.text("--seed", null)) : KeysCommand.secret(options);
    }

    /** Whole coins from {@code min} to {@link SignedPayment#MAX_AMOUNT}, as a payment carries them. */
    private static long coins(Options options, Options.Option option, long min) {
        String name = option.name();
        String text = options.text(option);
        if (text == null) throw new UsageError("give " + name + " N, whole coins");
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= SignedPayment.MAX_AMOUNT) return value;
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new UsageError(name + " takes whole coins from " + min + " to " + SignedPayment.MAX_AMOUNT + ", not '" + text + "'");
    }

    private static String nodeBase(String url) {
        if (url == null) throw new UsageError("give --node URL, like http://127.0.0.1:5000");
        try {
            return NodeAddress.normalise(url);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage() + "; give the node's URL like http://127.0.0.1:5000");
        }
    }

    /** Sends the request and reads the answer, whatever its status; no answer at all ends the command with why. */
    private static Answer ask(HttpClient http, HttpRequest.Builder request, String node) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpFetch.send(http, request.timeout(TIMEOUT).build(), ServedChain.MAX_BYTES).get();
            return new Answer(response.statusCode(), response.body());
        } catch (ExecutionException e) {
            throw new StageFailed("no answer from " + node + ": " + HttpFetch.whyNoAnswer(e.getCause(), TIMEOUT));
        }
    }

    /** The status line, then the answer's JSON as a node writes it (or its text, when it is not JSON). */
    private static void print(World world, Answer answer) {
        world.out().println(answer.status() + " " + HttpStatus.getMessage(answer.status()));
        Object json = json(answer.body());
        world.out().println(json == null ? answer.body() : PyJson.pretty(json));
    }

    private static Object json(String text) {
        try {
            return PyJson.loads(text);
        } catch (PyJson.JsonException e) {
            return null;
        }
    }
}

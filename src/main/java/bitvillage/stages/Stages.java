package bitvillage.stages;

import bitvillage.keys.KeysCommand;
import bitvillage.util.cli.Command;
import bitvillage.util.cli.Options.UsageError;
import java.util.List;
import java.util.Locale;

/**
 * The one list of the lessons: each stage's id, what it teaches, its book section, its class, the
 * stage it is a copy of (null for one that starts afresh), and its page in {@code chapters/}. The
 * launcher, {@code diff}, {@code check}, the explorer, the exercises and the tests all read it; a new
 * stage is one line here.
 */
public final class Stages {
    private Stages() {}

    /** A lesson: what runs ({@link #command()}), where its source is, what it grows from, and its page. */
    public record Stage(Command command, Class<?> source, String growsFrom, String page) {
        public String id() {
            return command.id();
        }

        /** The stage's number (B13 is 13); -1 for a lesson that is no numbered stage (digest, keys). */
        public int number() {
            return id().matches("B\\d+") ? Integer.parseInt(id().substring(1)) : -1;
        }

        /** A stage that serves HTTP (B3 on) answers its server when it runs. */
        public boolean serves() {
            return number() >= 3;
        }
    }

    /**
     * The package of what a page taught that later stages use unchanged (from B13 on): a stage
     * imports it rather than copying it, and {@code diff} shows it as the lesson of the stage that
     * brings it, the first to import it.
     */
    public static final String TAUGHT = Stages.class.getPackageName() + ".taught";

    // B3 starts afresh: B3 to B6 learn the web server on their own; B7 grows from B2.
    public static final List<Stage> ALL = List.of(
            new Stage(Command.job("digest", "a message's fingerprint: hash functions", "B-2-0", Digest.OPTIONS, Digest::run),
                    Digest.class, null, "B-2-0-hash-functions.md"),
            new Stage(Command.job("B0", "a blockchain and its genesis block", "B-2-1", B00Blockchain.OPTIONS,
                    B00Blockchain::run), B00Blockchain.class, null, "B00-blockchain.md"),
            new Stage(Command.job("B1", "transactions wait for the next block", "B-2-1", B01Transactions.OPTIONS,
                    B01Transactions::run), B01Transactions.class, "B0", "B01-transactions.md"),
            new Stage(Command.job("B2", "mining: proof of work", "B-2-2", B02Mining.OPTIONS, B02Mining::run),
                    B02Mining.class, "B1", "B02-mining.md"),
            new Stage(new Command("B3", "a web server: GET / says hello", "B-3-1", B03Hello.OPTIONS, B03Hello::start),
                    B03Hello.class, null, "B03-hello.md"),
            new Stage(new Command("B4", "a second route: GET /new", "B-3-1", B04SecondRoute.OPTIONS, B04SecondRoute::start),
                    B04SecondRoute.class, "B3", "B04-second-route.md"),
            new Stage(new Command("B5", "POST only: GET /new gets 405", "B-3-1", B05Post.OPTIONS, B05Post::start),
                    B05Post.class, "B4", "B05-post.md"),
            new Stage(new Command("B6", "receiving JSON: POST /nodes/register", "B-3-2", B06ReceiveJson.OPTIONS,
                    B06ReceiveJson::start), B06ReceiveJson.class, "B5", "B06-receive-json.md"),
            new Stage(new Command("B7", "mining over HTTP: GET /mine", "B-3-2", B07MineRoute.OPTIONS, B07MineRoute::start),
                    B07MineRoute.class, "B2", "B07-mine-route.md"),
            new Stage(new Command("B8", "the whole chain: GET /chain", "B-3-2", B08ChainRoute.OPTIONS, B08ChainRoute::start),
                    B08ChainRoute.class, "B7", "B08-chain-route.md"),
            new Stage(new Command("B9", "neighbours: /nodes/register keeps them", "B-4", B09RegisterNodes.OPTIONS,
                    B09RegisterNodes::start), B09RegisterNodes.class, "B8", "B09-register-nodes.md"),
            new Stage(new Command("B10", "consensus: the longest valid chain wins", "B-4", B10Consensus.OPTIONS,
                    B10Consensus::start), B10Consensus.class, "B9", "B10-consensus.md"),
            new Stage(new Command("B11", "a second villager on port 5002", "B-5", B11SecondNode.OPTIONS,
                    B11SecondNode::start), B11SecondNode.class, "B10", "B11-second-node.md"),
            new Stage(new Command("B12", "confirmations: GET /transactions/<id>", "-", B12Confirmations.OPTIONS,
                    B12Confirmations::start), B12Confirmations.class, "B10", "B12-confirmations.md"),
            new Stage(new Command("B13", "proof of work over the whole block", "-", B13ProofOfWork.OPTIONS,
                    B13ProofOfWork::start), B13ProofOfWork.class, "B12", "B13-proof-of-work.md"),
            new Stage(new Command("B14", "fees: the miner's pool, by fee rate", "B", B14Fees.OPTIONS, B14Fees::start),
                    B14Fees.class, "B13", "B14-fees.md"),
            new Stage(new Command("B15", "the full pool: eviction, projected blocks", "B", B15FullPool.OPTIONS,
                    B15FullPool::start), B15FullPool.class, "B14", "B15-full-pool.md"),
            new Stage(Command.job("keys", "keys and signatures: secp256k1, BIP-340", "-", KeysCommand.OPTIONS,
                    KeysCommand::run), KeysCommand.class, null, "keys.md"),
            new Stage(new Command("B16", "signed payments: no one pays in your name", "B-1", B16SignedPayments.OPTIONS,
                    B16SignedPayments::start), B16SignedPayments.class, "B15", "B16-signed-payments.md"),
            new Stage(new Command("B17", "coins: unspent outputs, fees, maturity", "B-1", B17Coins.OPTIONS,
                    B17Coins::start), B17Coins.class, "B16", "B17-coins.md"),
            new Stage(new Command("B18", "gossip: announce, fetch, pass on once", "B-1", B18Gossip.OPTIONS,
                    B18Gossip::start), B18Gossip.class, "B17", "B18-gossip.md"),
            new Stage(new Command("B19", "a notebook: what it accepted outlives it", "B-1", B19Notebook.OPTIONS,
                    B19Notebook::start), B19Notebook.class, "B18", "B19-notebook.md"));

    /**
     * A stage by its id or by the book's program for it: B2, b2, B02, B-2 and B-2.py all name stage B2.
     * {@code B-N} is the book's program B-N.py, not its section B-N. Null when no stage has that name.
     */
    public static Stage findOrNull(String name) {
        String wanted = canonical(name);
        for (Stage stage : ALL) {
            if (stage.id().equalsIgnoreCase(wanted)) return stage;
        }
        return null;
    }

    /** The same, refusing a name that is no stage. */
    public static Stage find(String name) {
        Stage stage = findOrNull(name);
        if (stage == null) throw new UsageError("unknown stage: " + name);
        return stage;
    }

    /** How a stage's name is written in the list: {@code b02}, {@code B-2} and {@code B-2.py} are {@code B2}. */
    public static String canonical(String name) {
        return name.toUpperCase(Locale.ROOT)
                .replaceFirst("^B-(\\d+)(\\.PY)?$", "B$1")
                .replaceFirst("^B0(?=\\d)", "B");
    }

    /** The newest numbered stage: the one a tool starts when it is told none (a lesson such as keys is no node). */
    public static Stage newest() {
        return ALL.stream().filter(stage -> stage.number() >= 0).reduce((first, second) -> second).orElseThrow();
    }
}

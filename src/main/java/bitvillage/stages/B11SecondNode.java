package bitvillage.stages;

import bitvillage.stages.B10Consensus.Blockchain;
import bitvillage.util.NodeAddress;
import bitvillage.util.Options;
import bitvillage.util.PyJson;
import bitvillage.util.WebApp;
import bitvillage.util.World;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stage B11 (book section B-5, file B-11.py): a second villager. The book copies B-10.py and
 * changes only the port; copying a whole class to change one number would hide that the two
 * villagers run the very same node. So B11 builds B10's blockchain and serves B10's routes, on
 * another default port, 5002, optionally knowing some neighbours from the start ({@code --peer}).
 */
public final class B11SecondNode {
    private B11SecondNode() {}

    // tag::options[]
    /** The port B-11.py listens on. */
    static final int DEFAULT_PORT = 5002;

    private static final Options.Option PORT = new Options.Option(WebApp.PORT.name(), "N",
            "port to listen on (default " + DEFAULT_PORT + ", as in B-11.py; 0 picks a free one)");
    private static final Options.Option PEER = new Options.Option("--peer", "URL",
            "a neighbour to know from the start, like 127.0.0.1:5000 (repeatable)");

    /** B10's options, with this --port instead of B10's, and --peer. */
    public static final List<Options.Option> OPTIONS = Stream.concat(
            B10Consensus.OPTIONS.stream().map(option -> option.equals(WebApp.PORT) ? PORT : option),
            Stream.of(PEER)).toList();

    /** The port to listen on: --port, or 5002. */
    static int port(Options options) {
        return WebApp.fromOptions(options, World.real(), DEFAULT_PORT).wantedPort();
    }
    // end::options[]

    // tag::start[]
    /**
     * Starts B10's node on port 5002 (or --port), listening on 127.0.0.1 unless --host says
     * otherwise, with every --peer already registered as a neighbour.
     */
    public static WebApp start(Options options, World world) {
        WebApp app = WebApp.fromOptions(options, world, DEFAULT_PORT); // a --port that is no port stops us before we print
        int zeros = options.number("--zeros", 4, 1, 12);
        Duration timeout = Duration.ofSeconds(options.number("--timeout", 5, 1, 600));
        String nodeId = world.nodeIds().get();
        Blockchain blockchain = new Blockchain(world.clock(), zeros);
        if (options.all("--peer").size() > B10Consensus.MAX_NEIGHBOURS) {
            throw new Options.UsageError("--peer: a node keeps at most " + B10Consensus.MAX_NEIGHBOURS + " neighbours");
        }
        for (String peer : options.all("--peer")) {
            try {
                blockchain.addNode(NodeAddress.normalise(peer)); // written as B9 stores an address
            } catch (IllegalArgumentException e) {
                throw new Options.UsageError("--peer: " + e.getMessage());
            }
        }
        world.out().println("This node's id: " + nodeId);
        world.out().println("Pending transactions: " + PyJson.pretty(blockchain.currentTransactions()));
        world.out().println("Chain: " + PyJson.pretty(blockchain.chain()));
        world.out().println("Neighbours: " + PyJson.pretty(blockchain.nodes()));
        world.out().println("Index of the last block: " + blockchain.lastBlock().get("index"));
        return B10Consensus.routes(app, blockchain, nodeId, world, timeout).start();
    }
    // end::start[]

    public static void main(String[] args) {
        WebApp app = start(Options.parse(args, OPTIONS), World.real());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close)); // Ctrl+C stops the server cleanly
    }
}

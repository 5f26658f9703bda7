package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Stage B11 (book section B-5, file B-11.py): a second villager. The book copies B-10.py and
 * changes only the port; copying a whole class to change one number would hide that the two
 * villagers run the very same node. So B11 builds B10's blockchain and serves B10's routes, on
 * another default port, 5002, optionally knowing some neighbours from the start ({@code --neighbour}).
 */
public final class B11SecondNode {
    private B11SecondNode() {}

    // tag::options[]
    /** B10's --port, but 5002 unless told, the port B-11.py listens on. */
    private static final Options.Option PORT = WebApp.PORT.withDefault(5002).noting("as in B-11.py");
    private static final Options.Option NEIGHBOUR = new Options.Option("--neighbour", "URL",
            "a neighbour to know from the start, like 127.0.0.1:5000 (repeatable)");

    /** B10's options, with this --port instead of B10's, and --neighbour. */
    public static final List<Options.Option> OPTIONS = Stream.concat(
            B10Consensus.OPTIONS.stream().map(option -> option.equals(WebApp.PORT) ? PORT : option),
            Stream.of(NEIGHBOUR)).toList();

    // end::options[]

    // tag::start[]
    /**
     * Starts B10's node on port 5002 (or --port), listening on 127.0.0.1 unless --host says
     * otherwise, with every --neighbour registered as B10's {@code POST /nodes/register} registers one.
     */
    public static WebApp start(Options options, World world) {
        WebApp app = WebApp.fromOptions(options, world, PORT); // a --port that is no port stops us before we print
        List<String> neighbours = options.all(NEIGHBOUR.name());
        return B10Consensus.start(options, world, app, blockchain -> {
            if (neighbours.isEmpty()) return;
            try {
                B10Consensus.registerNodes(blockchain, Map.of("nodes", neighbours));
            } catch (WebApp.Rejected e) {
                throw new Options.UsageError(NEIGHBOUR.name() + ": " + e.getMessage());
            }
        });
    }
    // end::start[]

    public static void main(String[] args) {
        WebApp app = start(Options.parse(args, OPTIONS), World.real());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close)); // Ctrl+C stops the server cleanly
    }
}

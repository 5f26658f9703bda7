package bitvillage.stages;

import bitvillage.util.NodeAddress;
import bitvillage.util.Options;
import bitvillage.util.WebApp;
import bitvillage.util.World;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage B11 (book section B-5, file B-11.py): a second villager. The book copies B-10.py and
 * changes only the port; copying a whole class to change one number would hide that the two
 * villagers run the very same node. So B11 is B10's node with another default port, 5002, and
 * optionally some neighbours it knows from the start ({@code --peer}).
 */
public final class B11SecondNode {
    private B11SecondNode() {}

    // tag::options[]
    /** B10's options, with port 5002 by default, and --peer. */
    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST,
            new Options.Option("--port", "N", "port to listen on (default 5002, as in B-11.py; 0 picks a free one)"),
            new Options.Option("--zeros", "N", "leading zeros a valid nonce's hash needs (default 4, as in the book)"),
            new Options.Option("--timeout", "N", "seconds to wait for the neighbours' chains (default 5)"),
            new Options.Option("--peer", "URL", "a neighbour to know from the start, like 127.0.0.1:5000 (repeatable)"));
    // end::options[]

    // tag::start[]
    /**
     * Starts B10's node on port 5002 (or --port), listening on 127.0.0.1 unless --host says
     * otherwise, with every --peer already registered as a neighbour.
     */
    public static WebApp start(Options options, World world) {
        List<String> neighbours = new ArrayList<>();
        for (String peer : options.all("--peer")) {
            try {
                neighbours.add(NodeAddress.normalise(peer));
            } catch (IllegalArgumentException e) {
                throw new Options.UsageError("--peer: " + e.getMessage());
            }
        }
        WebApp app = new WebApp(options.text(WebApp.HOST.name(), "127.0.0.1"),
                options.number(WebApp.PORT.name(), 5002, 0, 65535), world);
        return B10Consensus.start(options, world, app, neighbours);
    }
    // end::start[]

    public static void main(String[] args) {
        WebApp app = start(Options.parse(args, OPTIONS), World.real());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close)); // Ctrl+C stops the server cleanly
    }
}

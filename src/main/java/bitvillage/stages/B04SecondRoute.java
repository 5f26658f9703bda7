package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.util.List;

/**
 * Stage B4 (book section B-3-1, file B-4.py): a second route. A site answers as many paths as it
 * names, each with its own handler; {@code GET /new} answers a name, as in the book. Later stages
 * give each part of the blockchain's work a route of its own in the same way.
 */
public final class B04SecondRoute {
    private B04SecondRoute() {}

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT);

    // tag::routes[]
    /** The site's route table: the greeting of B3, and a second path that answers with a GET. */
    public static WebApp routes(WebApp app) {
        return app
                .get("/", request -> WebApp.Reply.text("Hello Spark!"))
                .get("/new", request -> WebApp.Reply.text("Mary!"));
    }
    // end::routes[]

    // tag::start[]
    /** Starts the site on the host and port of the command line (127.0.0.1:5000 unless told). */
    public static WebApp start(Options options, World world) {
        return routes(WebApp.fromOptions(options, world)).start();
    }
    // end::start[]

    public static void main(String[] args) {
        WebApp app = start(Options.parse(args, OPTIONS), World.real());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close)); // Ctrl+C stops the server cleanly
    }
}

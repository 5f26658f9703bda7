package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.util.List;

/**
 * Stage B3 (book section B-3-1, file B-3.py): the smallest web site. Spark plays the part Flask
 * plays in the book: we name a path, say what it answers, and start a server that listens for
 * requests until Ctrl+C. No blockchain yet; that comes back online in B7.
 */
public final class B03Hello {
    private B03Hello() {}

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT);

    // tag::routes[]
    /** The site's route table: a GET on the root path {@code /} answers a greeting. */
    public static WebApp routes(WebApp app) {
        return app.get("/", request -> WebApp.Reply.text("Hello Spark!"));
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

package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.web.WebApp;
import java.util.List;

/**
 * Stage B5 (book section B-3-1, file B-5.py): a route that takes POST only. A client POSTs when it
 * sends the site something, as villagers will send addresses and transactions. A browser asks with
 * GET, so it now gets 405 Method Not Allowed, with an {@code Allow} header naming the methods the
 * path does take; a path that does not exist still answers 404.
 */
public final class B05Post {
    private B05Post() {}

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT);

    // tag::routes[]
    /** The site's route table: {@code /new} now answers a POST, and only a POST. */
    public static WebApp routes(WebApp app) {
        return app
                .get("/", request -> WebApp.Reply.text("Hello Spark!"))
                .post("/new", request -> WebApp.Reply.text("Mary!"));
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

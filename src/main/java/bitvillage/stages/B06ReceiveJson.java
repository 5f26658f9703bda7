package bitvillage.stages;

import bitvillage.util.cli.Options;
import bitvillage.util.cli.World;
import bitvillage.util.guard.JsonFields;
import bitvillage.util.web.WebApp;
import java.util.List;
import java.util.Map;

/**
 * Stage B6 (book section B-3-2, file B-6.py): receiving JSON. A client POSTs
 * {@code {"nodes": ["http://127.0.0.1:5002"]}} to {@code /nodes/register} and the site echoes the
 * object it read. The body is read as JSON whatever Content-Type the client sent, and a body
 * without a proper {@code nodes} list is answered 400 with a message that says what is wrong.
 */
public final class B06ReceiveJson {
    private B06ReceiveJson() {}

    public static final List<Options.Option> OPTIONS = List.of(WebApp.HOST, WebApp.PORT);

    // tag::register-nodes[]
    /**
     * {@code POST /nodes/register}: the JSON object of the body must have {@code nodes}, a
     * non-empty list of strings. For now the site only echoes what it got; B9 will keep the nodes.
     */
    public static Map<String, Object> registerNodes(Map<String, Object> values) {
        JsonFields.texts(values, "nodes"); // a 400 that names the problem when nodes is not as it should be
        return values;
    }
    // end::register-nodes[]

    // tag::routes[]
    /** The site's route table: B5's two routes, and one that reads a JSON body. */
    public static WebApp routes(WebApp app) {
        return app
                .get("/", request -> WebApp.Reply.text("Hello Spark!"))
                .post("/new", request -> WebApp.Reply.text("Mary!"))
                .post("/nodes/register", request ->
                        WebApp.Reply.json(200, registerNodes(WebApp.jsonObject(request))));
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

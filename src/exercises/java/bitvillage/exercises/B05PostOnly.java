package bitvillage.exercises;

import bitvillage.util.web.WebApp;

/** Exercise B05.1: a route that takes POST and only POST, as {@code methods=['POST']} does in Flask. */
public final class B05PostOnly {
    private B05PostOnly() {}

    /** GET {@code /} answers {@code Hello Spark!}; POST {@code /new} answers {@code Mary!}, and a GET there gets 405. */
    public static WebApp routes(WebApp app) {
        throw new UnsupportedOperationException("exercise B05.1: write B05PostOnly.routes");
    }
}

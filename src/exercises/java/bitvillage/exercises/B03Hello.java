package bitvillage.exercises;

import bitvillage.util.web.WebApp;

/** Exercise B03.1: the book's first Flask route, {@code @app.route('/')}. */
public final class B03Hello {
    private B03Hello() {}

    /** Adds to {@code app} a GET route on {@code /} that answers the text {@code Hello Spark!}, and returns the app. */
    public static WebApp routes(WebApp app) {
        throw new UnsupportedOperationException("exercise B03.1: write B03Hello.routes");
    }
}

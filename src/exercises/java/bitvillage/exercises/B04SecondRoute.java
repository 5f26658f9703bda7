package bitvillage.exercises;

import bitvillage.util.web.WebApp;

/** Exercise B04.1: two routes on one site. */
public final class B04SecondRoute {
    private B04SecondRoute() {}

    /** GET {@code /} answers {@code Hello Spark!} and GET {@code /new} answers {@code Mary!}; returns the app. */
    public static WebApp routes(WebApp app) {
        throw new UnsupportedOperationException("exercise B04.1: write B04SecondRoute.routes");
    }
}

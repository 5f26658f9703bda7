package bitvillage.exercises;

import bitvillage.util.web.WebApp;

/** Answer B04.1: the stage's own route table (region routes of B04SecondRoute). */
public final class B04SecondRoute {
    private B04SecondRoute() {}

    public static WebApp routes(WebApp app) {
        return bitvillage.stages.B04SecondRoute.routes(app);
    }
}

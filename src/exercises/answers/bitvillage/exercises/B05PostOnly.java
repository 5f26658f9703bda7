package bitvillage.exercises;

import bitvillage.util.web.WebApp;

/** Answer B05.1: the stage's own route table (region routes of B05Post). */
public final class B05PostOnly {
    private B05PostOnly() {}

    public static WebApp routes(WebApp app) {
        return bitvillage.stages.B05Post.routes(app);
    }
}

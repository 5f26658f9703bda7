package bitvillage.exercises;

import bitvillage.util.web.WebApp;

/** Answer B03.1: the stage's own route table (region routes of B03Hello). */
public final class B03Hello {
    private B03Hello() {}

    public static WebApp routes(WebApp app) {
        return bitvillage.stages.B03Hello.routes(app);
    }
}

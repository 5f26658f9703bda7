package bitvillage.exercises;

import bitvillage.util.web.WebApp;
import java.util.Map;

/** Exercise B06.1: check the body of POST /nodes/register before trusting it. */
public final class B06RegisterNodes {
    private B06RegisterNodes() {}

    /**
     * Answers {@code values} when its {@code nodes} is a non-empty list of strings; otherwise throws
     * {@code new WebApp.Rejected(400, reason)}, which the node answers as a 400 with the reason. A
     * missing {@code nodes}, a {@code null}, a string, an empty list and a list holding a number are
     * all refused.
     */
    public static Map<String, Object> registerNodes(Map<String, Object> values) {
        throw new UnsupportedOperationException("exercise B06.1: write B06RegisterNodes.registerNodes");
    }
}

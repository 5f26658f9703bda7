package bitvillage.exercises;

import bitvillage.util.web.WebApp;
import java.util.Map;

/** The book's own check, {@code if nodes is None}: only an explicit null is refused. */
public final class B06RegisterNodes {
    private B06RegisterNodes() {}

    public static Map<String, Object> registerNodes(Map<String, Object> values) {
        if (values.containsKey("nodes") && values.get("nodes") == null) throw new WebApp.Rejected(400, "nodes is null");
        return values;
    }
}

package bitvillage.exercises;

import bitvillage.stages.B06ReceiveJson;
import java.util.Map;

/** Answer B06.1: the stage's own method (region register-nodes of B06ReceiveJson, and util.guard.JsonFields.texts). */
public final class B06RegisterNodes {
    private B06RegisterNodes() {}

    public static Map<String, Object> registerNodes(Map<String, Object> values) {
        return B06ReceiveJson.registerNodes(values);
    }
}

package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import bitvillage.util.python.PyJson;
import bitvillage.util.web.WebApp;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B06.1")
class B06RegisterNodesTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String json) {
        return (Map<String, Object>) PyJson.loads(json);
    }

    @Test
    void theBooksBodyIsEchoed() {
        Map<String, Object> values = body("{\"nodes\": [\"http://127.0.0.1:5002\"]}");
        assertEquals(values, B06RegisterNodes.registerNodes(values));
    }

    @Test
    void everyOddNodesIsA400() {
        for (String json : new String[] {"{}", "{\"nodes\": null}", "{\"nodes\": \"http://127.0.0.1:5002\"}",
                "{\"nodes\": []}", "{\"nodes\": [5002]}", "{\"node\": [\"http://127.0.0.1:5002\"]}"}) {
            WebApp.Rejected refused = assertThrows(WebApp.Rejected.class,
                    () -> B06RegisterNodes.registerNodes(body(json)), json);
            assertEquals(400, refused.status(), json);
        }
    }

    /** The same over HTTP: the node answers the refusal as a 400 and stays up. */
    @Test
    void overHttp() throws Exception {
        try (WebApp app = Facts.serve(site -> site.post("/nodes/register", request ->
                WebApp.Reply.json(200, B06RegisterNodes.registerNodes(WebApp.jsonObject(request)))))) {
            assertEquals(400, Facts.send(app, "POST", "/nodes/register", "{\"nodes\": null}").statusCode());
            assertEquals(200, Facts.send(app, "POST", "/nodes/register", "{\"nodes\": [\"127.0.0.1:5002\"]}").statusCode());
        }
    }
}

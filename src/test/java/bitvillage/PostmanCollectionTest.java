package bitvillage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitvillage.util.python.PyJson;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Postman collection and the walkthrough tell the same story: the same requests in the same
 * order, for the book's two addresses. (CI runs the collection's own test scripts with newman.)
 */
class PostmanCollectionTest {
    static final Path COLLECTION = Path.of("chapters/postman/bitvillage-walkthrough.postman_collection.json");

    @SuppressWarnings("unchecked")
    static Map<String, Object> collection() throws Exception {
        return (Map<String, Object>) PyJson.loads(Files.readString(COLLECTION, StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items() throws Exception {
        return (List<Map<String, Object>>) collection().get("item");
    }

    /** The collection's variables, as Postman substitutes them into {{name}}. */
    @SuppressWarnings("unchecked")
    static Map<String, String> variables() throws Exception {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Object variable : (List<Object>) collection().get("variable")) {
            Map<String, Object> entry = (Map<String, Object>) variable;
            variables.put((String) entry.get("key"), (String) entry.get("value"));
        }
        return variables;
    }

    static String substitute(String text, Map<String, String> variables) {
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            text = text.replace("{{" + variable.getKey() + "}}", variable.getValue());
        }
        return text;
    }

    /** Each request as the walkthrough prints it: METHOD URL, then the body as one line of JSON. */
    @SuppressWarnings("unchecked")
    static List<String> requestLines() throws Exception {
        Map<String, String> variables = variables();
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> item : items()) {
            Map<String, Object> request = (Map<String, Object>) item.get("request");
            String url = substitute((String) ((Map<String, Object>) request.get("url")).get("raw"), variables);
            String line = request.get("method") + " " + url;
            Map<String, Object> body = (Map<String, Object>) request.get("body");
            if (body != null) line += " " + PyJson.dumps(PyJson.loads(substitute((String) body.get("raw"), variables)));
            lines.add(line);
        }
        return lines;
    }

    @Test
    @SuppressWarnings("unchecked")
    void isACollectionInPostmansFormatWithTheBooksAddresses() throws Exception {
        Map<String, Object> info = (Map<String, Object>) collection().get("info");
        assertEquals("https://schema.getpostman.com/json/collection/v2.1.0/collection.json", info.get("schema"));
        assertEquals("http://127.0.0.1:5000", variables().get("nodeA"));
        assertEquals("http://127.0.0.1:5002", variables().get("nodeB"));
    }

    @Test
    void sendsTheWalkthroughsRequestsInOrderThenTheExtra405() throws Exception {
        List<String> walkthrough = WalkthroughTest.walkthrough(InputStream.nullInputStream()).out().lines()
                .filter(line -> line.matches("(GET|POST) http.*")).toList();
        List<String> collection = requestLines();
        assertEquals(walkthrough, collection.subList(0, walkthrough.size()));
        assertEquals(List.of("GET http://127.0.0.1:5000/nodes/register"),
                collection.subList(walkthrough.size(), collection.size()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRequestHasATestScriptAndEveryBodyIsDeclaredJson() throws Exception {
        for (Map<String, Object> item : items()) {
            String name = (String) item.get("name");
            List<Map<String, Object>> events = (List<Map<String, Object>>) item.get("event");
            Map<String, Object> test = events.stream().filter(event -> "test".equals(event.get("listen")))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " has no test script"));
            String script = String.join("\n", (List<String>) ((Map<String, Object>) test.get("script")).get("exec"));
            assertTrue(script.contains("pm.test(") && script.contains("pm.response.to.have.status("), name);

            Map<String, Object> request = (Map<String, Object>) item.get("request");
            if (request.get("body") != null) {
                assertEquals("raw", ((Map<String, Object>) request.get("body")).get("mode"), name);
                assertEquals(List.of(Map.of("key", "Content-Type", "value", "application/json")),
                        request.get("header"), name);
            }
        }
    }
}

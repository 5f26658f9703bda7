package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.util.web.WebApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B03.1")
class B03HelloTest {

    @Test
    void theRootSaysHello() throws Exception {
        try (WebApp app = Facts.serve(B03Hello::routes)) {
            HttpResponse<String> answer = Facts.send(app, "GET", "/", null);
            assertEquals(200, answer.statusCode());
            assertEquals("Hello Spark!", answer.body());
        }
    }

    @Test
    void anyOtherPathIsNotFound() throws Exception {
        try (WebApp app = Facts.serve(B03Hello::routes)) {
            assertEquals(404, Facts.send(app, "GET", "/new", null).statusCode());
        }
    }
}

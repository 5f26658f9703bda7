package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.util.web.WebApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B04.1")
class B04SecondRouteTest {

    @Test
    void twoPathsTwoAnswers() throws Exception {
        try (WebApp app = Facts.serve(B04SecondRoute::routes)) {
            assertEquals("Hello Spark!", Facts.send(app, "GET", "/", null).body());
            assertEquals(200, Facts.send(app, "GET", "/new", null).statusCode());
            assertEquals("Mary!", Facts.send(app, "GET", "/new", null).body());
            assertEquals(404, Facts.send(app, "GET", "/old", null).statusCode());
        }
    }
}

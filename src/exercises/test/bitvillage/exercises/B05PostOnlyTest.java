package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.util.web.WebApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B05.1")
class B05PostOnlyTest {

    @Test
    void aPostIsAnswered() throws Exception {
        try (WebApp app = Facts.serve(B05PostOnly::routes)) {
            HttpResponse<String> answer = Facts.send(app, "POST", "/new", null);
            assertEquals(200, answer.statusCode());
            assertEquals("Mary!", answer.body());
            assertEquals("Hello Spark!", Facts.send(app, "GET", "/", null).body());
        }
    }

    /** 405 Method Not Allowed, not 404: the path is there, the method is not, and Allow says which is. */
    @Test
    void aGetIsRefusedWith405() throws Exception {
        try (WebApp app = Facts.serve(B05PostOnly::routes)) {
            HttpResponse<String> answer = Facts.send(app, "GET", "/new", null);
            assertEquals(405, answer.statusCode());
            assertEquals("OPTIONS, POST", answer.headers().firstValue("Allow").orElse(""));
        }
    }
}

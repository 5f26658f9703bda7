package bitvillage.check;

import bitvillage.util.python.PyJson;
import java.io.PrintStream;
import java.util.Map;

/** The contract of B3 to B6: the Flask site of B-3.py ... B-6.py, its routes and their methods. */
final class WebContract extends Contract {
    static final String ROOT = "GET / answers 200";

    WebContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    @Override
    void checks() {
        check(ROOT, () -> status("GET", "/", null, 200));
        check("POST / answers 405", () -> status("POST", "/", null, 405));
        if (stage == 4) {
            check("GET /new answers 200", () -> status("GET", "/new", null, 200));
            check("POST /new answers 405", () -> status("POST", "/new", null, 405));
        }
        if (stage >= 5) {
            check("POST /new answers 200", () -> status("POST", "/new", null, 200));
            check("GET /new answers 405", () -> status("GET", "/new", null, 405));
        }
        unknownPath();
        if (stage == 6) receiveJson();
    }

    private void receiveJson() {
        check("POST /nodes/register echoes the JSON it got", () -> {
            String sent = "{\"nodes\": [\"http://127.0.0.1:5002\"]}";
            Map<String, Object> answer = object(expect("POST", "/nodes/register", sent, 200), "the answer");
            need(PyJson.dumps(answer).equals(PyJson.dumps(PyJson.loads(sent))), "it answered " + PyJson.dumps(answer));
            return null;
        });
        check("POST /nodes/register with \"nodes\": null answers 400",
                () -> status("POST", "/nodes/register", "{\"nodes\": null}", 400));
        check("GET /nodes/register answers 405", () -> status("GET", "/nodes/register", null, 405));
    }

    @Override
    void strictRefusals() {
        if (stage == 6) {
            check(ConsensusContract.STRICT_NO_NODES,
                    () -> refused("POST", "/nodes/register", "{\"neighbours\": [\"http://127.0.0.1:5002\"]}"));
            check(ConsensusContract.STRICT_NOT_JSON,
                    () -> refused("POST", "/nodes/register", "{'nodes': ['http://127.0.0.1:5002']}"));
        }
    }
}

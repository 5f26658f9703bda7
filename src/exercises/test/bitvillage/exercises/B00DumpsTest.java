package bitvillage.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("B00.2")
class B00DumpsTest {

    @Test
    void keysSortedSeparatorsSpaced() {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("2", "dog");
        block.put("1", "cat");
        assertEquals("{\"1\": \"cat\", \"2\": \"dog\"}", B00Dumps.dumps(block));
    }

    @Test
    void twoThousandValuesAsCPythonWroteThem() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map<String, Object> row : Facts.pythonDumps()) {
            String got = B00Dumps.dumps(PyJson.loads((String) row.get("input")));
            if (!got.equals(row.get("dumps"))) wrong.add("expected " + row.get("dumps") + "\n     got " + got);
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(3, wrong.size())), wrong.size() + " of 2000 differ");
    }

    /** Every previous_hash in the book's Python node's chain is the SHA-256 of your dumps of the block before. */
    @Test
    void theBookNodesLinksComeOutOfYourBytes() throws Exception {
        List<Map<String, Object>> chain = Facts.bookNodeChain();
        for (int i = 1; i < chain.size(); i++) {
            assertEquals(chain.get(i).get("previous_hash"), Sha256.hex(B00Dumps.dumps(chain.get(i - 1))),
                    "block " + (i + 1) + "'s previous_hash");
        }
    }
}

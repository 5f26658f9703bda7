package bitvillage.exercises;

import bitvillage.stages.B10Consensus.Blockchain;
import bitvillage.util.python.PyJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hashes every block first, then links: each hash is of a block whose own link was about to change. */
public final class B12Relink {
    private B12Relink() {}

    public static List<Map<String, Object>> relink(List<Map<String, Object>> chain) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> copy = (List<Map<String, Object>>) PyJson.loads(PyJson.dumps(chain));
        List<String> hashes = new ArrayList<>();
        for (Map<String, Object> block : copy) hashes.add(Blockchain.hash(block));
        for (int i = 1; i < copy.size(); i++) copy.get(i).put("previous_hash", hashes.get(i - 1));
        return copy;
    }
}

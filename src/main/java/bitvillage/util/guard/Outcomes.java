package bitvillage.util.guard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a resolve found each neighbour's chain to be, for the {@code "neighbours"} part of its
 * answer: skipped (and why), adopted, or not better (and why), in the order the neighbours are
 * listed, whatever the order their answers came in.
 */
public final class Outcomes {
    private final List<String> nodes;
    private final Map<String, String> problems = new LinkedHashMap<>();
    private final Map<String, Integer> lengths = new LinkedHashMap<>();
    private String adopted;
    private int ourLength;
    private String whyAsLongLoses;

    public Outcomes(List<String> nodes) {
        this.nodes = nodes;
    }

    public List<String> nodes() {
        return nodes;
    }

    /** The neighbour's chain was not read, or not valid: the reason says which. */
    public void skipped(String node, String problem) {
        problems.put(node, problem);
    }

    /** The neighbour offered a valid chain of this many blocks. */
    public void offered(String node, int length) {
        lengths.put(node, length);
    }

    /** The choice: {@code adopted}'s chain (or null: ours stands), against our {@code ourLength} blocks. */
    public void decided(String adopted, int ourLength) {
        decided(adopted, ourLength, "as long as ours, but its last block is not earlier than ours"); // B10's tie-break
    }

    /** The same, with the reason a chain as long as ours did not replace it, for a stage with another rule. */
    public void decided(String adopted, int ourLength, String whyAsLongLoses) {
        this.adopted = adopted;
        this.ourLength = ourLength;
        this.whyAsLongLoses = whyAsLongLoses;
    }

    /** Each neighbour's outcome, once the choice was made. */
    public List<Map<String, Object>> neighbours() {
        List<Map<String, Object>> outcomes = new ArrayList<>();
        for (String node : nodes) {
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("node", node);
            Integer length = lengths.get(node);
            if (length == null) {
                outcome.put("outcome", "skipped");
                outcome.put("reason", problems.getOrDefault(node, "no answer"));
            } else {
                outcome.put("length", (long) length);
                outcome.put("outcome", node.equals(adopted) ? "adopted" : "not better");
                if (!node.equals(adopted)) outcome.put("reason", whyNotBetter(length));
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private String whyNotBetter(int length) {
        if (adopted != null) return "the chain of " + adopted + " ranked first";
        if (length < ourLength) return "shorter than ours (" + ourLength + " blocks)";
        return whyAsLongLoses;
    }
}

package bitvillage.exercises;

import bitvillage.stages.B10Consensus.Blockchain;
import java.util.List;
import java.util.Map;

/** Checks the nonces and forgets the links: previous_hash is never compared. */
public final class B10ValidChain {
    private B10ValidChain() {}

    public static boolean validChain(List<Map<String, Object>> chain, int zeros) {
        for (int i = 1; i < chain.size(); i++) {
            if (!Blockchain.validNonce((long) chain.get(i - 1).get("nonce"), (long) chain.get(i).get("nonce"), zeros)) {
                return false;
            }
        }
        return true;
    }
}

package bitvillage.check;

import bitvillage.util.python.PyJson;
import bitvillage.util.python.Sha256;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract of B13: B12's, but the proof covers the whole block (a block's own hash starts
 * with the zeros), every node starts from one fixed genesis block, the reward comes first, and
 * consensus is the most work: a longer valid chain wins, a chain only as long as ours never does
 * (the chain seen first stands), whatever its last block's time. The chains check serves are
 * pieces of {@link ProofRules#VILLAGE}, mined once.
 */
class ProofContract extends IdsContract {
    static final String PROOF = "each block's own hash starts with 0000 (the proof covers the whole block)";
    static final String GENESIS = "the genesis block is B13's: index 1, timestamp 1546678801.6103268, nonce 100, previous_hash 1, "
            + "no transactions";
    static final String TIME = "no block is earlier than the block before it";
    static final String BAD_PROOF = "a longer chain whose last block's hash does not start with 0000 is refused";
    static final String BROKEN_LAST_LINK = "a longer chain whose last block does not link to the block before is refused, "
            + "though its proof holds";
    static final String OTHER_GENESIS = "a longer chain from another genesis block is refused";
    static final String TWO_COINS = "a longer chain whose last block pays its miner 2 coins is refused";
    static final String FIRST_SEEN = "a chain as long as ours is refused, though its last block is earlier (the chain seen first stands)";

    ProofContract(int stage, boolean strict, NodeClient node, PrintStream out) {
        super(stage, strict, node, out);
    }

    /** In the book's place of its nonces: the proof of the blocks the node mined, and of all before them. */
    @Override
    void minedProof() {
        check(PROOF, () -> {
            needMined();
            chainAfter = chainAnswer(); // the checks of the chain after mining read this same answer
            List<Map<String, Object>> chain = blocks(chainAfter);
            for (int i = 1; i < chain.size(); i++) {
                String hash = BookRules.hash(chain.get(i));
                need(hash.startsWith("0".repeat(ProofRules.ZEROS)), "block " + (i + 1) + "'s own hash is " + hash
                        + ": its nonce must make the hash of the whole block start with 0000, not fit the nonce before");
            }
            return "blocks 2 to " + chain.size();
        });
    }

    @Override
    String rewardRule() {
        return "a mined block pays the miner 1 coin from sender \"0\", first";
    }

    @Override
    boolean rewardFirst() {
        return true;
    }

    @Override
    void genesis() {
        check(GENESIS, () -> {
            Map<String, Object> genesis = chainSeen().get(0);
            need(same(genesis, ProofRules.genesis()), "it is " + PyJson.dumps(genesis) + ": a node that makes its own "
                    + "genesis block shares no history with the village");
            return null;
        });
    }

    /** In the place of the book's nonces fitting: time never goes back (the proof was checked above). */
    @Override
    void chainProof() {
        check(TIME, () -> {
            List<Map<String, Object>> chain = chainSeen();
            for (int i = 1; i < chain.size(); i++) {
                Object before = chain.get(i - 1).get("timestamp");
                Object time = chain.get(i).get("timestamp");
                need(before instanceof Number earlier && time instanceof Number later
                        && later.doubleValue() >= earlier.doubleValue(),
                        "block " + (i + 1) + "'s timestamp " + PyJson.dumps(time) + " is earlier than block " + i + "'s, " + PyJson.dumps(before));
            }
            return null;
        });
    }

    /** B13's consensus: the most work (the most blocks, at one difficulty) wins; a tie keeps the chain seen first. */
    @Override
    void consensus() {
        check(KEEPS, () -> resolve((length, last) -> serve(village(length - 1)), false));
        check(RESOLVE_405, () -> status("POST", "/nodes/resolve", null, 405));
        check(BROKEN_LAST_LINK, () -> resolve((length, last) -> {
            List<Map<String, Object>> chain = village(length + 1);
            Map<String, Object> unlinked = ProofRules.after(chain, villagerReward(chain, 1));
            unlinked.put("previous_hash", Sha256.hex("not block " + chain.size()));
            chain.add(ProofRules.mine(unlinked));
            return serve(chain);
        }, false));
        check(BAD_PROOF, () -> resolve((length, last) -> {
            List<Map<String, Object>> chain = village(length + 2);
            Map<String, Object> unproven = new LinkedHashMap<>(chain.get(chain.size() - 1));
            long nonce = (long) unproven.get("nonce");
            do {
                unproven.put("nonce", ++nonce);
            } while (ProofRules.proven(unproven));
            chain.set(chain.size() - 1, unproven); // the last block, so no link after it changes
            return serve(chain);
        }, false));
        check(OTHER_GENESIS, () -> resolve((length, last) -> serve(ProofRules.ELSEWHERE.first(length + 2)), false));
        check(TWO_COINS, () -> resolve((length, last) -> {
            List<Map<String, Object>> chain = village(length);
            chain.add(ProofRules.next(chain, villagerReward(chain, 2)));
            return serve(chain);
        }, false));
        check(FIRST_SEEN, () -> resolve((length, last) -> serve(village(length)), false));
        if (strict) {
            check(LENGTH_LIE, () -> resolve((length, last) -> {
                List<Map<String, Object>> chain = village(length - 1);
                villager.serve(chain, (long) length + 10, chain.get(chain.size() - 1).get("timestamp"));
                return chain;
            }, false));
            check(NO_NONCE_BLOCK, () -> resolve((length, last) -> {
                List<Map<String, Object>> chain = village(length + 2);
                Map<String, Object> noNonce = new LinkedHashMap<>(chain.get(chain.size() - 1));
                noNonce.remove("nonce");
                chain.set(chain.size() - 1, noNonce);
                return serve(chain);
            }, false));
        }
        boolean adopted = check(LONGER, () -> resolve((length, last) -> serve(longerChain(length, last)), true));
        afterAdopting(adopted);
        check(GOES_ON, () -> {
            if (!adopted) throw new Skipped("needs: " + LONGER);
            Map<String, Object> mined = mineAfter(lastBlock());
            List<Map<String, Object>> now = blocks(chainAnswer());
            Map<String, Object> block = now.get(now.size() - 1);
            need(same(block.get("previous_hash"), mined.get("previous_hash")), "GET /chain does not end with it");
            need(ProofRules.proven(block), "its own hash " + BookRules.hash(block) + " does not start with 0000");
            return "block " + mined.get("index") + ", its hash " + BookRules.hash(block).substring(0, 12) + "…";
        });
    }

    /** The village's chain of {@code length} blocks (the genesis block at least), mined by the villager. */
    static List<Map<String, Object>> village(int length) {
        return ProofRules.VILLAGE.first(Math.max(1, length));
    }

    /** The transactions of a villager's block after {@code chain}: only its reward, of {@code coins}. */
    static List<Map<String, Object>> villagerReward(List<Map<String, Object>> chain, long coins) {
        return List.of(ProofRules.reward("village reward " + (chain.size() + 1) + " of " + coins, coins));
    }

    @Override
    List<Map<String, Object>> longerChain(int length, double last) {
        return village(length + 2);
    }
}

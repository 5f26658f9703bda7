package bitvillage.exercises;

import bitvillage.stages.B07MineRoute.Blockchain;
import bitvillage.stages.B07MineRoute;
import bitvillage.util.cli.World;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/** Answer B07.1: the stage's own method (region mine of B07MineRoute), which answers the route's reply; we answer the block. */
public final class B07Mine {
    private B07Mine() {}

    public static Map<String, Object> mine(Blockchain blockchain, String nodeId) {
        World quiet = new World(new PrintStream(OutputStream.nullOutputStream()), () -> 0.0, () -> nodeId);
        long index = (long) B07MineRoute.mine(blockchain, nodeId, quiet).get("index");
        return blockchain.chain().get((int) index - 1);
    }
}

package bitvillage.exercises;

import bitvillage.util.guard.NodeAddress;

/** Answer B09.1: util.guard.NodeAddress.normalise, which B9's register route calls. */
public final class B09NodeAddress {
    private B09NodeAddress() {}

    public static String normalise(String address) {
        return NodeAddress.normalise(address);
    }
}

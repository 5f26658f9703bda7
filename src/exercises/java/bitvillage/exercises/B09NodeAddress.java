package bitvillage.exercises;

/** Exercise B09.1: one way to write a neighbour's address, so that a set keeps each neighbour once. */
public final class B09NodeAddress {
    private B09NodeAddress() {}

    /**
     * The address as {@code http://host:port}, host in lowercase: {@code http://127.0.0.1:5002/},
     * {@code 127.0.0.1:5002} and {@code http://LOCALHOST:5002} become {@code http://127.0.0.1:5002}
     * and {@code http://localhost:5002}. Throws IllegalArgumentException for another scheme, a
     * missing port, or a path, query or fragment.
     */
    public static String normalise(String address) {
        throw new UnsupportedOperationException("exercise B09.1: write B09NodeAddress.normalise");
    }
}

package bitvillage.exercises;

/** The book's way: keep the address as it was typed (here only with a scheme added). */
public final class B09NodeAddress {
    private B09NodeAddress() {}

    public static String normalise(String address) {
        return address.contains("://") ? address : "http://" + address;
    }
}

package bitvillage.exercises;

/**
 * Exercise B00.1: the book's {@code sha256(text.encode('utf-8')).hexdigest()}. Use the JDK's
 * {@code java.security.MessageDigest} (bitvillage.util.python.Sha256 does this; try without it).
 */
public final class B00Sha256 {
    private B00Sha256() {}

    /** SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex digits. */
    public static String hex(String text) {
        throw new UnsupportedOperationException("exercise B00.1: write B00Sha256.hex");
    }
}

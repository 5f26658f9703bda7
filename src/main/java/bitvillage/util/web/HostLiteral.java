package bitvillage.util.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host that is an IP address written out: the one reader of host literals that a node's guards
 * (the Host header), its list of neighbours and the checker share, so that they agree on what is
 * an address. Browsers, curl and the system's resolver (C's inet_aton) read more spellings of an
 * IPv4 address than four numbers: one number for all four bytes ({@code 2130706433}), hex and octal
 * parts ({@code 0x7f.0.0.1}, {@code 0177.0.0.1}), and fewer parts, the last filling the bytes left
 * ({@code 127.1}, {@code 0x7f.1}). All of these name 127.0.0.1, and are read here as it. As a
 * browser reads a URL, a host whose last part is a number is meant as an IPv4 address, and is one
 * or is refused ({@code 999.1.1.1}, {@code 1.2.3.4.5}); any other host without brackets is a name.
 * An IPv6 address stands in brackets, {@code [::1]}, without a zone ({@code %eth0}).
 */
public final class HostLiteral {
    private HostLiteral() {}

    private static final Pattern NUMBER = Pattern.compile("[0-9]+|0x[0-9a-f]+");
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[[0-9a-f.]*:[0-9a-f:.]*]");

    /**
     * The address {@code host} spells, or null when it is a name: only DNS could say what a name
     * stands for, and nothing here asks it. Case and one final dot make no difference.
     *
     * @throws IllegalArgumentException saying why, when {@code host} is meant as an address and is none
     */
    public static InetAddress read(String host) {
        String text = host.toLowerCase(Locale.ROOT);
        if (text.startsWith("[")) return ipv6(text);
        if (text.endsWith(".")) text = text.substring(0, text.length() - 1);
        String[] parts = text.split("\\.", -1);
        if (!NUMBER.matcher(parts[parts.length - 1]).matches()) return null; // a name: example.org, 127.0.0.1.example
        return ipv4(parts);
    }

    /** The address as a URL writes its host: 127.0.0.1; [::1] (RFC 5952); an IPv4-mapped IPv6 address as its IPv4 address. */
    public static String write(InetAddress address) {
        return address instanceof Inet6Address ? "[" + compressed(address.getAddress()) + "]" : address.getHostAddress();
    }

    private static InetAddress ipv6(String bracketed) {
        if (bracketed.contains("%")) throw new IllegalArgumentException("no IPv6 zone (%) names a host for others");
        if (!BRACKETED_IPV6.matcher(bracketed).matches()) throw new IllegalArgumentException("not an IPv6 address");
        try {
            return InetAddress.getByName(bracketed); // a bracketed host is parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address");
        }
    }

    /** One to four parts, as inet_aton reads them: each decimal, 0x hex or 0 octal; the last fills the bytes left. */
    private static InetAddress ipv4(String[] parts) {
        if (parts.length > 4) throw new IllegalArgumentException("an IPv4 address has four parts at most, like 127.0.0.1");
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            int bytesLeft = i < parts.length - 1 ? 1 : 4 - i;
            long number = number(parts[i]);
            if (number >= 1L << 8 * bytesLeft) throw new IllegalArgumentException("not an IPv4 address");
            value = value << 8 * bytesLeft | number;
        }
        byte[] bytes = {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an IPv4 address
        }
    }

    private static long number(String part) {
        if (!NUMBER.matcher(part).matches()) throw new IllegalArgumentException("not an IPv4 address");
        try {
            if (part.startsWith("0x")) return Long.parseLong(part.substring(2), 16);
            if (part.length() > 1 && part.startsWith("0")) return Long.parseLong(part.substring(1), 8);
            return Long.parseLong(part);
        } catch (NumberFormatException e) { // 08, or too many digits
            throw new IllegalArgumentException("not an IPv4 address");
        }
    }

    /** The sixteen bytes as RFC 5952 writes them: lowercase hex, the longest run of zero groups (two or more) as "::". */
    private static String compressed(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}

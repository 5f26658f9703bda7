package bitvillage.util.guard;

import bitvillage.util.web.WebApp;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A neighbour's address, written one way only: {@code http://host:port}. Villagers type
 * {@code http://127.0.0.1:5002/}, {@code 127.0.0.1:5002} or {@code localhost:5002}; stored alike,
 * the same neighbour is not listed twice, and {@code address + "/chain"} is always a URL to ask.
 * Literal spellings of one address are stored alike too: {@code [::ffff:127.0.0.1]} and
 * {@code 2130706433} as {@code 127.0.0.1}, {@code [0:0:0:0:0:0:0:1]} as {@code [::1]},
 * {@code localhost.} as {@code localhost}. Names are never looked up: {@code localhost} and
 * {@code 127.0.0.1} stay two neighbours, since only DNS could say they are one.
 */
public final class NodeAddress {
    private NodeAddress() {}

    /**
     * A request's {@code "nodes"}, each written as {@code http://host:port}; one bad address is a
     * 400 whose message ends in {@code nothingDone}, since the route then does nothing.
     */
    public static List<String> all(Map<String, Object> values, String nothingDone) {
        List<String> addresses = new ArrayList<>();
        for (String node : JsonFields.texts(values, "nodes")) {
            try {
                addresses.add(normalise(node));
            } catch (IllegalArgumentException e) {
                throw new WebApp.Rejected(400, e.getMessage() + "; " + nothingDone);
            }
        }
        return addresses;
    }

    /**
     * The address as {@code http://host:port}: the scheme may be left out, the host is lowercased,
     * a final {@code /} dropped. Anything else is refused with the reason: another scheme (nodes talk
     * plain HTTP), no port (guessing one would list a neighbour who is not there), a path, query,
     * fragment or user name (a node is a host and a port, nothing more).
     *
     * @throws IllegalArgumentException saying what is wrong with the address
     */
    public static String normalise(String address) {
        String text = address.strip();
        // Without a scheme, "localhost:5002" would read as scheme "localhost" and path "5002".
        String withScheme = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = new URI(withScheme).parseServerAuthority();
        } catch (URISyntaxException e) {
            throw invalid(address, "write it as host:port, like 127.0.0.1:5002");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) throw invalid(address, "nodes talk plain http://");
        if (uri.getHost() == null) throw invalid(address, "write it as host:port, like 127.0.0.1:5002");
        if (uri.getRawUserInfo() != null) throw invalid(address, "a node address has no user name");
        if (uri.getPort() == -1) throw invalid(address, "the port is missing, like the 5002 in 127.0.0.1:5002");
        if (uri.getPort() < 1 || uri.getPort() > 65535) throw invalid(address, "a port is a number from 1 to 65535");
        if (!uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw invalid(address, "give only host and port, without a path like " + uri.getRawPath());
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(address, "give only host and port, without ? or #");
        }
        return "http://" + canonicalHost(address, uri.getHost()) + ":" + uri.getPort();
    }

    /** The host in one spelling: an IP literal as its address is usually written, a name lowercased without a final dot. */
    private static String canonicalHost(String address, String host) {
        if (host.startsWith("[")) {
            if (host.contains("%")) throw invalid(address, "a node address has no IPv6 zone (%)");
            InetAddress ip = literal(address, host);
            return ip instanceof Inet6Address ? "[" + compressed(ip.getAddress()) + "]" : ip.getHostAddress();
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        if (name.matches("[0-9]+|0x[0-9a-f]+|[0-9.]+")) return ipv4(address, name);
        return name;
    }

    /** An IPv6 literal in brackets; InetAddress reads a literal without asking DNS. */
    private static InetAddress literal(String address, String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw invalid(address, "not an IPv6 address");
        }
    }

    /**
     * A host of digits is an IPv4 address in one of the old forms C's inet_aton reads (and so the
     * system's resolver): one number for all four bytes (2130706433), or dotted decimal.
     */
    private static String ipv4(String address, String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 1 && parts.length != 4) throw invalid(address, "an IPv4 address has four parts, like 127.0.0.1");
        long value = 0;
        for (String part : parts) {
            long number;
            try {
                number = part.startsWith("0x") ? Long.parseLong(part.substring(2), 16)
                        : part.length() > 1 && part.startsWith("0") ? Long.parseLong(part.substring(1), 8)
                        : Long.parseLong(part);
            } catch (NumberFormatException e) {
                throw invalid(address, "not an IPv4 address");
            }
            long limit = parts.length == 1 ? 0xffffffffL : 255;
            if (number > limit) throw invalid(address, "not an IPv4 address");
            value = parts.length == 1 ? number : value << 8 | number;
        }
        byte[] bytes = {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
        try {
            return Inet4Address.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an IPv4 address
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

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("not a node address: '" + address + "': " + why);
    }
}

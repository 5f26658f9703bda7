package bitvillage.util.guard;

import bitvillage.util.cli.Options;
import bitvillage.util.web.HostLiteral;
import bitvillage.util.web.WebApp;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A neighbour's address, written one way only: {@code http://host:port}. Villagers type
 * {@code http://127.0.0.1:5002/}, {@code 127.0.0.1:5002} or {@code localhost:5002}; stored alike,
 * the same neighbour is not listed twice, and {@code address + "/chain"} is always a URL to ask.
 * Literal spellings of one address are stored alike too, as {@link HostLiteral} reads them (the
 * same reading that lets a request's Host header in): {@code [::ffff:127.0.0.1]}, {@code 2130706433}
 * and {@code 0x7f.1} as {@code 127.0.0.1}, {@code [0:0:0:0:0:0:0:1]} as {@code [::1]}, and
 * {@code 0.0.0.0}, where a node listens on all its addresses, as {@code 127.0.0.1};
 * {@code localhost.} as {@code localhost}. Names are never looked up: {@code localhost} and
 * {@code 127.0.0.1} stay two neighbours, since only DNS could say they are one.
 */
public final class NodeAddress {
    private NodeAddress() {}

    /** A host name: labels of letters, digits and inner hyphens, joined by dots. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

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

    /** A node address given on the command line as {@code option}, written as a neighbour's is; null when none is given. */
    public static String ofOption(Options options, String option) {
        String address = options.text(option, null);
        try {
            return address == null ? null : normalise(address);
        } catch (IllegalArgumentException e) {
            throw new Options.UsageError(option + ": " + e.getMessage());
        }
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
            uri = new URI(withScheme); // the host and port are read below: java.net.URI takes 0x7f.1 for no host
        } catch (URISyntaxException e) {
            throw invalid(address, "write it as host:port, like 127.0.0.1:5002");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) throw invalid(address, "nodes talk plain http://");
        String authority = uri.getRawAuthority();
        if (authority == null) throw invalid(address, "write it as host:port, like 127.0.0.1:5002");
        if (authority.contains("@")) throw invalid(address, "a node address has no user name");
        int colon = authority.lastIndexOf(':');
        if (colon < authority.lastIndexOf(']')) colon = -1; // the colons of [::1]
        String host = colon < 0 ? authority : authority.substring(0, colon);
        String port = colon < 0 ? "" : authority.substring(colon + 1);
        if (host.isEmpty() || !port.matches("[0-9]*")) throw invalid(address, "write it as host:port, like 127.0.0.1:5002");
        if (port.isEmpty()) throw invalid(address, "the port is missing, like the 5002 in 127.0.0.1:5002");
        if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw invalid(address, "a port is a number from 1 to 65535");
        }
        if (!uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw invalid(address, "give only host and port, without a path like " + uri.getRawPath());
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(address, "give only host and port, without ? or #");
        }
        return "http://" + canonicalHost(address, host) + ":" + Integer.parseInt(port);
    }

    /**
     * The host in one spelling: an IP address as {@link HostLiteral} writes it, a name lowercased
     * without a final dot. The unspecified address (0.0.0.0, 0, [::]), where a node listens on every
     * address it has, names this computer when a node is asked there: it is stored as the loopback
     * address, 127.0.0.1 or [::1].
     */
    private static String canonicalHost(String address, String host) {
        InetAddress ip;
        try {
            ip = HostLiteral.read(host);
        } catch (IllegalArgumentException e) {
            throw invalid(address, e.getMessage());
        }
        if (ip == null) {
            String name = host.toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
            if (!NAME.matcher(name).matches()) throw invalid(address, "write it as host:port, like 127.0.0.1:5002");
            return name;
        }
        if (ip.isAnyLocalAddress()) return ip instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        return HostLiteral.write(ip);
    }

    /**
     * Whether a request from {@code remoteIp} may speak for the neighbour at {@code address} (written
     * by {@link #normalise}): its host is that IP address, or it is a name and the request came from
     * this computer. Names are never looked up, so a neighbour known by another name is not believed.
     */
    public static boolean sentFrom(String address, String remoteIp) {
        String host = URI.create(address).getHost();
        try {
            InetAddress ip = HostLiteral.read(host);
            InetAddress remote = HostLiteral.read(remoteIp.contains(":") ? "[" + remoteIp + "]" : remoteIp);
            return remote != null && (ip == null ? "localhost".equals(host) && remote.isLoopbackAddress() : ip.equals(remote));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("not a node address: '" + address + "': " + why);
    }
}

package bitvillage.util;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A neighbour's address, written one way only: {@code http://host:port}. Villagers type
 * {@code http://127.0.0.1:5002/}, {@code 127.0.0.1:5002} or {@code localhost:5002}; stored alike,
 * the same neighbour is not listed twice, and {@code address + "/chain"} is always a URL to ask.
 */
public final class NodeAddress {
    private NodeAddress() {}

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
        return "http://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
    }

    private static IllegalArgumentException invalid(String address, String why) {
        return new IllegalArgumentException("not a node address: '" + address + "': " + why);
    }
}

package dev.replica.backend.auth;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which {@code Host} header values this server answers: the defence against DNS rebinding, where a web page's own
 * domain is re-pointed at 127.0.0.1 so that the browser treats this server as that page's origin. Such a request
 * names the attacker's domain in its {@code Host}; so only localhost, IP literals (a rebinding needs a name), the
 * name the server was started with ({@code --host}) and the configured {@code replica.auth.allowed-hosts} pass.
 *
 * @param boundHost the address or name the server listens on
 * @param allowed further names; {@code *} allows every name
 */
public record HostCheck(String boundHost, List<String> allowed) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+(%[0-9a-z]+)?]");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    public HostCheck {
        allowed = allowed.stream()
                .map(a -> a.trim().toLowerCase(Locale.ROOT))
                .filter(a -> !a.isEmpty())
                .toList();
    }

    /** Whether a request with this {@code Host} header may be answered; a missing header passes (not a browser). */
    public boolean allows(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return true;
        }
        String name = hostName(hostHeader);
        if (name == null) {
            return false;
        }
        if (name.equals("localhost")
                || IPV4.matcher(name).matches()
                || IPV6.matcher(name).matches()) {
            return true;
        }
        return name.equals(boundHost.toLowerCase(Locale.ROOT)) || allowed.contains(name) || allowed.contains("*");
    }

    /** The lower-case name of a {@code Host} header without its port or trailing dot; null when malformed. */
    static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name;
        String port = null;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return null;
            }
            name = h.substring(0, end + 1);
            String rest = h.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
        } else {
            int colon = h.indexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
            port = colon < 0 ? null : h.substring(colon + 1);
        }
        if (port != null && !PORT.matcher(port).matches()) {
            return null;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.isEmpty() ? null : name;
    }
}

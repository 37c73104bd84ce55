package dev.replica.backend.auth;

import dev.replica.backend.config.ReplicaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The access rules this server runs under, decided once from its configuration: whether writes and reads need
 * a token, which {@code Host} names it answers to and which foreign origins may call it (docs/security.md).
 */
@ApplicationScoped
public class AuthPolicy {

    /** The addresses a default {@code replica serve} listens on; any other {@code --host} turns tokens on. */
    static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]");

    @Inject
    ReplicaConfig config;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String host;

    @ConfigProperty(name = "quarkus.http.cors.origins")
    java.util.Optional<List<String>> corsOrigins;

    /** Whether every write needs a WRITE token or session. */
    public boolean tokensRequired() {
        return config.auth().required().orElse(!isLocal(host));
    }

    /** Whether reads need a token or session too (only where tokens are required). */
    public boolean readsProtected() {
        return tokensRequired() && config.auth().protectReads();
    }

    private volatile HostCheck hostCheck;

    /**
     * The host names requests may carry; see {@link HostCheck}. A server on every interface (0.0.0.0, ::) also
     * answers to this machine's own name.
     */
    public HostCheck hostCheck() {
        HostCheck check = hostCheck;
        if (check == null) {
            List<String> allowed =
                    new java.util.ArrayList<>(config.auth().allowedHosts().orElse(List.of()));
            if (WILDCARD_HOSTS.contains(host)) {
                try {
                    java.net.InetAddress self = java.net.InetAddress.getLocalHost();
                    allowed.add(self.getHostName());
                    allowed.add(self.getCanonicalHostName());
                } catch (java.net.UnknownHostException e) {
                    // no name of its own: IP addresses and the allowed names still work
                }
            }
            check = new HostCheck(host, allowed);
            hostCheck = check;
        }
        return check;
    }

    /** Origins other than the server's own that CORS was opened to ({@code quarkus.http.cors.origins}). */
    public List<String> foreignOrigins() {
        return corsOrigins.orElse(List.of()).stream()
                .map(o -> o.trim().toLowerCase(Locale.ROOT))
                .filter(o -> !o.isEmpty())
                .toList();
    }

    static boolean isLocal(String host) {
        return LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    }
}

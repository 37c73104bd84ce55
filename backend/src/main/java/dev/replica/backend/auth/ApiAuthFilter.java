package dev.replica.backend.auth;

import dev.replica.backend.api.ProblemExceptionMapper;
import dev.replica.backend.config.ReplicaConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Server mode: writes to {@code /api} need a WRITE token ({@code Authorization: Bearer rpl_…});
 * reads need one only with {@code replica.auth.protect-reads}. Local mode (listening on loopback only)
 * needs none unless {@code replica.auth.required=true}.
 */
public class ApiAuthFilter {

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    TokenService tokens;

    @Inject
    ReplicaConfig config;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String host;

    @ServerRequestFilter
    public Optional<Response> authorize(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api")) {
            return Optional.empty();
        }
        boolean write = !READ_METHODS.contains(request.getMethod());
        boolean required = config.auth().required().orElse(!isLoopback(host));
        if (!required || (!write && !config.auth().protectReads())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.of(ProblemExceptionMapper.problem(
                    401,
                    "Unauthorized",
                    "this server requires an API token: send Authorization: Bearer <token> (create one with `replica token create NAME`)",
                    null));
        }
        Optional<ApiToken.Scope> scope = tokens.verify(header.substring(7).trim());
        if (scope.isEmpty()) {
            return Optional.of(
                    ProblemExceptionMapper.problem(401, "Unauthorized", "unknown or revoked API token", null));
        }
        if (write && scope.get() != ApiToken.Scope.WRITE) {
            return Optional.of(ProblemExceptionMapper.problem(403, "Forbidden", "this token is read-only", null));
        }
        return Optional.empty();
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}

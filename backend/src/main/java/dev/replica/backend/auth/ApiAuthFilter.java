package dev.replica.backend.auth;

import dev.replica.backend.api.ProblemExceptionMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Finds who calls {@code /api} (an API token or the start token as {@code Authorization: Bearer}, scheme in any
 * case, or the session cookie) and applies {@link AuthPolicy}: where tokens are required, writes need WRITE and,
 * with {@code protect-reads}, reads need any. {@code /api/session} stays open so that a browser can sign in.
 *
 * <p>Checking an API token reads the database, so this filter runs on a worker thread: RESTEasy runs filters
 * after it has left the event loop for blocking endpoints, and the one streaming endpoint is marked blocking.
 */
public class ApiAuthFilter {

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    TokenService tokens;

    @Inject
    Sessions sessions;

    @Inject
    AuthPolicy policy;

    @Inject
    Caller caller;

    @ServerRequestFilter
    public Optional<Response> authorize(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api")) {
            return Optional.empty();
        }
        Optional<ApiToken.Scope> scope;
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            Optional<String> token = bearer(header);
            if (token.isEmpty()) {
                return unauthorized("send the token as Authorization: Bearer <token>");
            }
            scope = sessions.isStartToken(token.get()) ? Optional.of(ApiToken.Scope.WRITE) : tokens.verify(token.get());
            if (scope.isEmpty()) {
                return unauthorized("unknown or revoked API token");
            }
        } else {
            Cookie cookie = request.getCookies().get(Sessions.COOKIE);
            scope = sessions.find(cookie == null ? null : cookie.getValue());
        }
        scope.ifPresent(caller::signedIn);
        if (path.equals("/api/session") || path.startsWith("/api/session/")) {
            return Optional.empty();
        }
        boolean write = !READ_METHODS.contains(request.getMethod());
        if (write && policy.tokensRequired() || !write && policy.readsProtected()) {
            if (scope.isEmpty()) {
                return unauthorized("this server requires an API token or a signed-in session: send Authorization:"
                        + " Bearer <token> (create one with `replica token create NAME`) or sign in with the URL"
                        + " `replica serve` printed");
            }
            if (write && scope.get() != ApiToken.Scope.WRITE) {
                return Optional.of(ProblemExceptionMapper.problem(403, "Forbidden", "this token is read-only", null));
            }
        }
        return Optional.empty();
    }

    /** The token of an {@code Authorization} header in the Bearer scheme, whose name is case-insensitive. */
    static Optional<String> bearer(String header) {
        String h = header.trim();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return Optional.empty();
        }
        String token = h.substring(space + 1).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static Optional<Response> unauthorized(String detail) {
        return Optional.of(ProblemExceptionMapper.problem(401, "Unauthorized", detail, null));
    }
}

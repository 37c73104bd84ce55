package dev.replica.backend.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/** Who made the current request, as {@link ApiAuthFilter} found it: an API token, a session or nobody. */
@RequestScoped
public class Caller {

    private ApiToken.Scope scope;

    void signedIn(ApiToken.Scope scope) {
        this.scope = scope;
    }

    /** The caller's scope; empty when it showed no token and no session. */
    public Optional<ApiToken.Scope> scope() {
        return Optional.ofNullable(scope);
    }

    /**
     * Refuses callers without WRITE, whatever the server mode: for what runs programs on this machine, which no
     * other local user and no web page may do ({@code what} names it in the message).
     */
    public void requireWrite(String what) {
        if (scope == ApiToken.Scope.WRITE) {
            return;
        }
        if (scope == ApiToken.Scope.READ) {
            throw new WebApplicationException(
                    what + " needs a WRITE token; this one is read-only", Response.Status.FORBIDDEN);
        }
        throw new WebApplicationException(
                what + " runs a program on this machine, so it needs a token even on loopback: open the sign-in URL"
                        + " that `replica serve` printed, send Authorization: Bearer <token> (`replica token create"
                        + " NAME`), or use `replica run` on this machine",
                Response.Status.UNAUTHORIZED);
    }
}

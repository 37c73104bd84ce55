package dev.replica.backend.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: browser sign-in with the start token or an API token, as an HttpOnly SameSite=Strict cookie. */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Inject
    Sessions sessions;

    @Inject
    TokenService tokens;

    @Inject
    AuthPolicy policy;

    @Inject
    Caller caller;

    /** What this server asks of callers and whether this one is signed in. */
    public record SessionView(boolean tokensRequired, boolean readsProtected, boolean signedIn, String scope) {}

    /** A sign-in: the start token that `replica serve` printed, or an API token. */
    public record SignIn(String token) {}

    @GET
    @Operation(summary = "Whether this server requires tokens and whether the caller is signed in")
    public SessionView get() {
        return view(caller.scope());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign a browser in with a token; sets an HttpOnly SameSite=Strict session cookie")
    public Response signIn(SignIn body, @HeaderParam("X-Forwarded-Proto") String proto, @Context UriInfo uri) {
        ApiToken.Scope scope = scopeOf(body == null ? null : body.token());
        return Response.ok(view(Optional.of(scope)))
                .cookie(cookie(sessions.open(scope), secure(proto, uri)))
                .build();
    }

    @GET
    @Path("/start")
    @Operation(
            summary = "The sign-in URL `replica serve` prints: sets the session cookie and redirects to the workbench")
    public Response start(
            @QueryParam("token") String token, @HeaderParam("X-Forwarded-Proto") String proto, @Context UriInfo uri) {
        if (!sessions.isStartToken(token)) {
            throw new WebApplicationException(
                    "this sign-in link is not (or no longer) valid: use the one `replica serve` printed at its last"
                            + " start",
                    Response.Status.UNAUTHORIZED);
        }
        // a relative Location: behind a proxy the browser stays on the address it used
        return Response.status(Response.Status.SEE_OTHER)
                .header("Location", "/")
                .cookie(cookie(sessions.open(ApiToken.Scope.WRITE), secure(proto, uri)))
                .build();
    }

    @DELETE
    @Operation(summary = "Sign this browser out")
    public Response signOut(@CookieParam(Sessions.COOKIE) String session, @Context UriInfo uri) {
        sessions.close(session);
        return Response.ok(view(Optional.empty()))
                .cookie(new NewCookie.Builder(Sessions.COOKIE)
                        .value("")
                        .path("/")
                        .maxAge(0)
                        .httpOnly(true)
                        .sameSite(NewCookie.SameSite.STRICT)
                        .build())
                .build();
    }

    private ApiToken.Scope scopeOf(String token) {
        if (sessions.isStartToken(token)) {
            return ApiToken.Scope.WRITE;
        }
        return tokens.verify(token)
                .orElseThrow(() -> new WebApplicationException(
                        "unknown or revoked token: paste the token from the URL `replica serve` printed, or one from"
                                + " `replica token create NAME`",
                        Response.Status.UNAUTHORIZED));
    }

    private SessionView view(Optional<ApiToken.Scope> scope) {
        return new SessionView(
                policy.tokensRequired(),
                policy.readsProtected(),
                scope.isPresent(),
                scope.map(Enum::name).orElse(null));
    }

    private static boolean secure(String forwardedProto, UriInfo uri) {
        return "https".equalsIgnoreCase(forwardedProto)
                || "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }

    private static NewCookie cookie(String session, boolean secure) {
        return new NewCookie.Builder(Sessions.COOKIE)
                .value(session)
                .path("/")
                .maxAge((int) Sessions.LIFETIME.toSeconds())
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}

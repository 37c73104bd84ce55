package dev.replica.backend.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.backend.api.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Refuses, before any resource runs, the requests a web page could make through its visitor's browser: a
 * {@code Host} this server does not go by (DNS rebinding), a write or event stream from another origin
 * (CSRF), and a write whose content type a page may send cross-site without a CORS preflight ({@code text/plain},
 * forms, multipart). Clients that are not browsers send no {@code Origin} and name a JSON, YAML or Arrow body, so
 * they pass.
 */
@ApplicationScoped
public class BrowserGuard {

    /** Runs before every other route, the workbench's files included. */
    static final int ORDER = -10_000;

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    /** Content types that browsers send cross-site without asking first (the CORS-safelisted ones). */
    private static final Set<String> SIMPLE_TYPES =
            Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");

    /** Why a request is refused, as problem+json. */
    public record Refusal(int status, String title, String detail) {}

    @Inject
    AuthPolicy policy;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        var request = ctx.request();
        Optional<Refusal> refusal = judge(
                request.method().name(),
                request.path(),
                request.headers()::get,
                policy.hostCheck(),
                policy.foreignOrigins());
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        Refusal r = refusal.get();
        String body;
        try {
            body = json.writeValueAsString(new Problem("about:blank", r.title(), r.status(), r.detail(), null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response()
                .setStatusCode(r.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(body);
    }

    /**
     * The refusal of a request, if any.
     *
     * @param header the request's header of a name, or null
     * @param foreignOrigins origins besides the server's own that may write ({@code quarkus.http.cors.origins})
     */
    public static Optional<Refusal> judge(
            String method, String path, UnaryOperator<String> header, HostCheck hosts, List<String> foreignOrigins) {
        String host = header.apply("Host");
        if (!hosts.allows(host)) {
            return Optional.of(new Refusal(
                    403,
                    "Unknown host",
                    "this server does not answer to the host name in \"Host: " + host
                            + "\" (a defence against DNS rebinding); if the name is yours, add it to"
                            + " replica.auth.allowed-hosts"));
        }
        boolean write = !READ_METHODS.contains(method.toUpperCase(Locale.ROOT));
        boolean stream = path.startsWith("/api/events");
        if (write || stream) {
            String origin = header.apply("Origin");
            if (origin != null) {
                if (!sameOrigin(origin, host)
                        && !foreignOrigins.contains(origin.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(new Refusal(
                            403,
                            "Cross-origin request",
                            "a page from " + origin + " may not " + (write ? "change" : "stream events from")
                                    + " this server; open the workbench from the server itself, or list that origin in"
                                    + " quarkus.http.cors.origins"));
                }
            } else if ("cross-site".equalsIgnoreCase(header.apply("Sec-Fetch-Site"))) {
                return Optional.of(
                        new Refusal(403, "Cross-origin request", "a cross-site request may not change this server"));
            }
        }
        if (write && path.startsWith("/api")) {
            String type = mediaType(header.apply("Content-Type"));
            boolean body = header.apply("Transfer-Encoding") != null
                    || (header.apply("Content-Length") != null
                            && !header.apply("Content-Length").trim().equals("0"));
            if (type == null ? body : SIMPLE_TYPES.contains(type)) {
                return Optional.of(new Refusal(
                        415,
                        "Unsupported content type",
                        "writes take a JSON, YAML or Arrow body with its Content-Type (application/json,"
                                + " application/yaml, application/vnd.apache.arrow.stream); "
                                + (type == null ? "this one named none" : type + " is refused")
                                + " because any web page can send it without asking"));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code origin} (scheme://host[:port]) names the same host and port as the {@code Host} header. */
    static boolean sameOrigin(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        String scheme = uri.getScheme();
        if (uri.getHost() == null || scheme == null) {
            return false; // "null" (sandboxed frames, file: pages) and anything malformed
        }
        int defaultPort = scheme.equalsIgnoreCase("https") ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String name = HostCheck.hostName(hostHeader);
        String h = hostHeader.trim();
        int hostPort = defaultPort;
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) {
            try {
                hostPort = Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        String originName = uri.getHost().toLowerCase(Locale.ROOT);
        return originName.equals(name) && originPort == hostPort;
    }

    private static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }
}

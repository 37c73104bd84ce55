package dev.replica.backend.auth;

import dev.replica.backend.config.ReplicaConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The start-up token and the browser sessions it opens, as Jupyter hands its token to the browser: {@code replica
 * serve} prints a URL carrying the start token; opening it sets an HttpOnly, SameSite=Strict cookie naming a
 * session. Sessions live in memory only: a restart signs every browser out.
 */
@ApplicationScoped
public class Sessions {

    /** The cookie that names a browser's session. */
    public static final String COOKIE = "replica_session";

    /** How long a session lasts without a restart. */
    static final Duration LIFETIME = Duration.ofDays(7);

    /** At most this many open sessions; the oldest goes first. */
    static final int MAX_SESSIONS = 1000;

    private static final String START_PREFIX = "rps_";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> open = new ConcurrentHashMap<>();
    Clock clock = Clock.systemUTC();

    @Inject
    ReplicaConfig config;

    private String startToken;

    /** A signed-in browser: what it may do and until when. */
    record Session(ApiToken.Scope scope, Instant expires) {}

    @PostConstruct
    void init() {
        startToken = config.auth().startToken().filter(t -> !t.isBlank()).orElseGet(() -> START_PREFIX + secret());
    }

    /** The secret of the sign-in URL; it grants WRITE to whoever holds it. */
    public String startToken() {
        return startToken;
    }

    /** Whether {@code token} is the start token (compared in constant time). */
    public boolean isStartToken(String token) {
        return token != null
                && MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8), startToken.getBytes(StandardCharsets.UTF_8));
    }

    /** Opens a session with {@code scope}; returns the cookie value naming it. */
    public String open(ApiToken.Scope scope) {
        Instant now = clock.instant();
        open.values().removeIf(s -> s.expires().isBefore(now));
        while (open.size() >= MAX_SESSIONS) {
            open.entrySet().stream()
                    .min(Comparator.comparing(e -> e.getValue().expires()))
                    .ifPresent(e -> open.remove(e.getKey()));
        }
        String id = secret();
        open.put(id, new Session(scope, now.plus(LIFETIME)));
        return id;
    }

    /** The scope of an open, unexpired session. */
    public Optional<ApiToken.Scope> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = open.get(id);
        if (s == null || s.expires().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(s.scope());
    }

    public void close(String id) {
        if (id != null) {
            open.remove(id);
        }
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

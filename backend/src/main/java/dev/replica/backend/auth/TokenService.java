package dev.replica.backend.auth;

import dev.replica.experiments.spec.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Creates, checks and revokes API tokens. Tokens are 32 random bytes; the database keeps their SHA-256. */
@ApplicationScoped
public class TokenService {

    private static final String PREFIX = "rpl_";
    private final SecureRandom random = new SecureRandom();

    /** A new token: {@code token} is the secret, shown once. */
    public record NewToken(long id, String name, ApiToken.Scope scope, String token) {}

    /** A stored token, without its secret. */
    public record TokenView(
            long id, String name, String scope, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {}

    @Transactional
    public NewToken create(String name, ApiToken.Scope scope) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new InvalidInputException(
                    "name", "token name must be 1–100 letters, digits, '.', '_' or '-', got " + name);
        }
        if (ApiToken.count("name", name) > 0) {
            throw new InvalidInputException("name", "a token named " + name + " exists already");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken t = new ApiToken();
        t.name = name;
        t.scope = scope;
        t.tokenHash = sha256(token);
        t.createdAt = Instant.now();
        t.persist();
        return new NewToken(t.id, name, scope, token);
    }

    /** The scope of a valid, unrevoked token. */
    @Transactional
    public Optional<ApiToken.Scope> verify(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        Optional<ApiToken> t = ApiToken.<ApiToken>find("tokenHash = ?1 and revokedAt is null", sha256(token))
                .firstResultOptional();
        t.ifPresent(x -> x.lastUsedAt = Instant.now());
        return t.map(x -> x.scope);
    }

    @Transactional
    public boolean revoke(String name) {
        Optional<ApiToken> t =
                ApiToken.<ApiToken>find("name = ?1 and revokedAt is null", name).firstResultOptional();
        t.ifPresent(x -> x.revokedAt = Instant.now());
        return t.isPresent();
    }

    @Transactional
    public List<TokenView> list() {
        return ApiToken.<ApiToken>listAll().stream()
                .map(t -> new TokenView(t.id, t.name, t.scope.name(), t.createdAt, t.lastUsedAt, t.revokedAt))
                .toList();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.replica.backend.profiles;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The server database: a real PostgreSQL (127.0.0.1:5432, database {@code replica_test}; {@code .ci/run}
 * starts the server). Test classes using it carry {@code @ExtendWith(RequirePostgres.class)}, which creates the
 * database when it is missing and skips them, with the reason, when the server is unreachable. Flyway cleans it at
 * boot so every run starts empty.
 * Override with REPLICA_TEST_PG_URL / REPLICA_TEST_PG_USER / REPLICA_TEST_PG_PASSWORD.
 */
public class PostgresProfile implements QuarkusTestProfile {

    /** A fresh data directory per test JVM: metric files never outlive the database they belong to. */
    private static final String HOME = "target/replica-home-pg-" + System.nanoTime();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", url(),
                "quarkus.datasource.username", user(),
                "quarkus.datasource.password", password(),
                "quarkus.flyway.clean-at-start", "true",
                "quarkus.flyway.clean-disabled", "false",
                "replica.home", HOME,
                "quarkus.http.host-enabled", "true",
                "quarkus.http.test-port", "0",
                "replica.auth.required", "true");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }

    static String url() {
        return env("REPLICA_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/replica_test");
    }

    static String user() {
        return env("REPLICA_TEST_PG_USER", "postgres");
    }

    static String password() {
        return env("REPLICA_TEST_PG_PASSWORD", "");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

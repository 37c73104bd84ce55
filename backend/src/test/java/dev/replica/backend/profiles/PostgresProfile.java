package dev.replica.backend.profiles;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The server database: a real PostgreSQL (127.0.0.1:5432, database {@code replica_test}; {@code .ci/run}
 * starts the server and creates the database). Flyway cleans it at boot so every run starts empty.
 * Override with REPLICA_TEST_PG_URL / REPLICA_TEST_PG_USER / REPLICA_TEST_PG_PASSWORD.
 */
public class PostgresProfile implements QuarkusTestProfile {

    /** A fresh data directory per test JVM: metric files never outlive the database they belong to. */
    private static final String HOME = "target/replica-home-pg-" + System.nanoTime();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url",
                        env("REPLICA_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/replica_test"),
                "quarkus.datasource.username", env("REPLICA_TEST_PG_USER", "postgres"),
                "quarkus.datasource.password", env("REPLICA_TEST_PG_PASSWORD", ""),
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

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

package dev.replica.backend.profiles;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The embedded default: H2, here in memory, with token auth switched on so server-mode rules are tested. */
public class H2Profile implements QuarkusTestProfile {

    /** A fresh data directory per test JVM: metric files never outlive the database they belong to. */
    private static final String HOME = "target/replica-home-h2-" + System.nanoTime();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "h2",
                "quarkus.datasource.jdbc.url", "jdbc:h2:mem:replica-test;DB_CLOSE_DELAY=-1",
                "replica.home", HOME,
                "quarkus.http.host-enabled", "true",
                "quarkus.http.test-port", "0",
                "replica.auth.required", "true");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}

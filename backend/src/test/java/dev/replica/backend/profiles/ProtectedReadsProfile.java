package dev.replica.backend.profiles;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Server mode at its strictest: H2, tokens required for writes and reads, the scheduler on. */
public class ProtectedReadsProfile implements QuarkusTestProfile {

    private static final String HOME = "target/replica-home-protected-" + System.nanoTime();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "h2",
                "quarkus.datasource.jdbc.url", "jdbc:h2:mem:replica-protected;DB_CLOSE_DELAY=-1",
                "replica.home", HOME,
                "quarkus.http.host-enabled", "true",
                "quarkus.http.test-port", "0",
                "replica.auth.required", "true",
                "replica.auth.protect-reads", "true",
                "replica.scheduler.enabled", "true");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}

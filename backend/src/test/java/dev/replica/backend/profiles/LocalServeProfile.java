package dev.replica.backend.profiles;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A default {@code replica serve}: H2, listening on 127.0.0.1 with token auth off (local mode) and the scheduler
 * on, so that a stored {@code command} experiment really runs: what a web page could attack.
 */
public class LocalServeProfile implements QuarkusTestProfile {

    private static final String HOME = "target/replica-home-local-" + System.nanoTime();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "h2",
                "quarkus.datasource.jdbc.url", "jdbc:h2:mem:replica-local;DB_CLOSE_DELAY=-1",
                "replica.home", HOME,
                "quarkus.http.host-enabled", "true",
                "quarkus.http.test-port", "0",
                "replica.scheduler.enabled", "true");
    }

    @Override
    public String getConfigProfile() {
        return "test";
    }
}

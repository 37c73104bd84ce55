package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentFilterTest {

    @Test
    void recordsOnlyAllowListedNamesAndNeverOnesNamedLikeSecrets() {
        Map<String, String> kept = EnvironmentFilter.filter(Map.of(
                "REPLICA_HOME", "/data/replica",
                "CUDA_VISIBLE_DEVICES", "0,1",
                "HOME", "/home/u",
                "AWS_SECRET_ACCESS_KEY", "abc",
                "REPLICA_API_TOKEN", "rpl_x",
                "REPLICA_DB_PASSWORD", "pw",
                "REPLICA_DB_PWD", "pw",
                "REPLICA_S3_CREDENTIALS", "c"));
        assertThat(kept).containsOnlyKeys("REPLICA_HOME", "CUDA_VISIBLE_DEVICES");
        assertThat(kept).containsEntry("REPLICA_HOME", "/data/replica");
    }

    @Test
    void scrubsPasswordsOutOfJdbcUrls() {
        assertThat(EnvironmentFilter.scrub(
                        "jdbc:postgresql://db:5432/replica?user=u&password=demo-secret-123&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/replica?user=u&password=***&ssl=true");
        assertThat(EnvironmentFilter.scrub("postgresql://u:demo-secret-123@db/replica"))
                .isEqualTo("postgresql://u:***@db/replica");
        assertThat(EnvironmentFilter.scrub("jdbc:sqlserver://db;user=u;password=demo-secret-123;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://db;user=u;password=***;encrypt=true");
        assertThat(EnvironmentFilter.scrub("jdbc:h2:file:/home/u/.replica/db/replica;AUTO_SERVER=TRUE"))
                .isEqualTo("jdbc:h2:file:/home/u/.replica/db/replica;AUTO_SERVER=TRUE");
    }

    @Test
    void scrubsSecretSystemPropertiesOutOfJavaOptions() {
        assertThat(EnvironmentFilter.scrub(
                        "-Xmx8g -Djavax.net.ssl.keyStorePassword=hunter22 -Dquarkus.datasource.password=\"a b\""
                                + " -Dreplica.kernels.backend=jvm"))
                .isEqualTo("-Xmx8g -Djavax.net.ssl.keyStorePassword=*** -Dquarkus.datasource.password=***"
                        + " -Dreplica.kernels.backend=jvm");
        assertThat(EnvironmentFilter.scrub("--api-key: k-123 --token=t-456")).isEqualTo("--api-key: *** --token=***");
    }

    @Test
    void scrubsTokensRecognisableByTheirShape() {
        String github = "ghp_" + "a".repeat(36);
        String replica = "rpl_" + "B".repeat(43);
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";
        assertThat(EnvironmentFilter.scrub("opts " + github + " " + replica + " AKIAABCDEFGHIJKLMNOP " + jwt))
                .isEqualTo("opts *** *** *** ***");
        assertThat(EnvironmentFilter.scrub("Authorization: Bearer abcdefgh12345678"))
                .isEqualTo("Authorization: Bearer ***");
    }
}

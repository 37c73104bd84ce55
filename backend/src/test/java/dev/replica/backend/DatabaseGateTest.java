package dev.replica.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first open of the database before Quarkus starts: it waits and retries, and fails with one line. */
class DatabaseGateTest {

    @TempDir
    Path dir;

    @Test
    void opensAFreshH2Home() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db/replica") + ";AUTO_SERVER=TRUE";
        DatabaseGate.await(url, "sa", "", Duration.ofSeconds(5));
        assertThat(dir.resolve("db/replica.mv.db")).exists();
    }

    @Test
    void endsWithOneLineNamingTheDatabaseWhenItNeverOpens() throws Exception {
        Files.writeString(dir.resolve("db"), "a file where the database folder should be");
        String url = "jdbc:h2:file:" + dir.resolve("db/replica");
        long start = System.nanoTime();
        assertThatThrownBy(() -> DatabaseGate.await(url, "sa", "", Duration.ofSeconds(2)))
                .isInstanceOf(DatabaseGate.Unavailable.class)
                .hasMessageStartingWith("cannot open the database " + url + " (")
                .hasMessageContaining(" attempts in 2 s): ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    void waitsUntilTheDatabaseCanBeOpened() throws Exception {
        Path blocker = dir.resolve("db");
        Files.writeString(blocker, "removed while the gate waits");
        String url = "jdbc:h2:file:" + dir.resolve("db/replica");
        CompletableFuture<Void> unblock = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(700);
                Files.delete(blocker);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        DatabaseGate.await(url, "sa", "", Duration.ofSeconds(20));
        unblock.join();
        assertThat(dir.resolve("db/replica.mv.db")).exists();
    }

    @Test
    void resolvesTheUrlAsTheApplicationPropertiesDo() {
        var props = new java.util.Properties();
        props.setProperty("user.home", "/home/u");
        assertThat(DatabaseGate.url(props, java.util.Map.of()))
                .isEqualTo("jdbc:h2:file:/home/u/.replica/db/replica;AUTO_SERVER=TRUE");
        assertThat(DatabaseGate.url(props, java.util.Map.of("REPLICA_HOME", "/data/r")))
                .isEqualTo("jdbc:h2:file:/data/r/db/replica;AUTO_SERVER=TRUE");
        props.setProperty("replica.home", "/opt/h");
        assertThat(DatabaseGate.url(props, java.util.Map.of("REPLICA_HOME", "/data/r")))
                .isEqualTo("jdbc:h2:file:/opt/h/db/replica;AUTO_SERVER=TRUE");
        assertThat(DatabaseGate.url(props, java.util.Map.of("REPLICA_DB_URL", "jdbc:postgresql://db/replica")))
                .isEqualTo("jdbc:postgresql://db/replica");
    }
}

package dev.replica.backend.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code replica} executable ({@code target/quarkus-app/quarkus-run.jar}, built by
 * {@code package} before the integration tests) started as child JVMs on one data directory, with the
 * launcher's JVM flags; and a JDBC view of that directory's H2 file database, which the children share
 * ({@code AUTO_SERVER=TRUE}).
 */
final class ReplicaApp {

    private final Path home;
    private final List<String> properties;
    private final java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();

    ReplicaApp(Path home, String... systemProperties) {
        this.home = home;
        this.properties = List.of(systemProperties);
    }

    /** Sets an environment variable of every child started from now on (e.g. {@code REPLICA_DB_URL}). */
    ReplicaApp withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The data directory the children share. */
    Path home() {
        return home;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("replica.app.jar", "target/quarkus-app/quarkus-run.jar"));
        assertThat(jar)
                .as("the packaged application (run the integration tests through `./mvnw verify`)")
                .exists();
        return jar.toAbsolutePath();
    }

    /** Starts {@code replica ARGS…}; stdout and stderr go to {@code log}. */
    Process start(Path log, String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(List.of(
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        properties.forEach(p -> argv.add("-D" + p));
        argv.add("-jar");
        argv.add(jar().toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("REPLICA_HOME", home.toString());
        pb.environment().remove("REPLICA_DB_URL");
        pb.environment().putAll(environment);
        return pb.start();
    }

    /** Runs {@code replica ARGS…} to its end (at most {@code seconds}); returns its exit code and output. */
    Result run(int seconds, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(home, "replica-", ".log");
        Process p = start(log, args);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("replica " + String.join(" ", args) + " did not end within " + seconds + " s:\n"
                    + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    record Result(int exitCode, String output) {}

    /** A connection to the children's database (H2 serves it to every process that opens the file). */
    Connection database() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:h2:file:" + home.resolve("db/replica") + ";AUTO_SERVER=TRUE", "sa", "");
    }

    /** The state changes of a run in the order they were stored: "QUEUED", "RUNNING", … */
    List<String> events(long runId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = database();
                var s = c.prepareStatement("select to_state from run_event where run_id = ? order by id")) {
            s.setLong(1, runId);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}

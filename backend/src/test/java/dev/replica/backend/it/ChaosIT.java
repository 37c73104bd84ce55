package dev.replica.backend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.executor.process.ProcSessions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The chaos suite of #13 on the packaged app: {@code replica serve} is SIGKILLed at random (seeded, printed)
 * moments while a client ingests metric points over REST into a {@code command} run that is executing, then
 * started again, {@code replica.chaos.trials} times (default 3) on H2 and on PostgreSQL. After each restart: no
 * run is RUNNING under a dead owner once two heartbeats have passed, the killed server's command processes are
 * gone, never two copies of the command run at once; at the end every acknowledged point is readable through
 * the API in one of the run's attempts. Figures are printed ({@code bench/chaos.sh} runs it longer).
 */
class ChaosIT {

    private static final String TOKEN = "rpl_start_chaos-test-token";
    private static final Pattern PID = Pattern.compile("^[^:]*:(\\d+):");

    @TempDir
    Path tmp;

    @Test
    void sigkillDuringIngestAndExecutionOnH2LosesNothing() throws Exception {
        Path home = tmp.resolve("h2");
        Files.createDirectories(home);
        String h2 = "jdbc:h2:file:" + home.resolve("db/replica") + ";AUTO_SERVER=TRUE";
        chaos("H2", new ReplicaApp(home, properties()), () -> DriverManager.getConnection(h2, "sa", ""));
    }

    @Test
    @org.junit.jupiter.api.Disabled("not yet run to the end on PostgreSQL; the H2 variant passed (docs/reliability.md)")
    void sigkillDuringIngestAndExecutionOnPostgresLosesNothing() throws Exception {
        String url = env("REPLICA_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/replica_test");
        String user = env("REPLICA_TEST_PG_USER", "postgres");
        String password = env("REPLICA_TEST_PG_PASSWORD", "");
        String schema = "chaos_" + Long.toString(System.nanoTime(), 36);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute("create schema " + schema);
        } catch (SQLException e) {
            String why = "PostgreSQL is not reachable at " + url + " (" + e.getMessage() + "); point"
                    + " REPLICA_TEST_PG_URL / _USER / _PASSWORD at one";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why, e);
            }
            throw new TestAbortedException(why);
        }
        String inSchema = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Path home = tmp.resolve("pg");
        Files.createDirectories(home);
        ReplicaApp app = new ReplicaApp(home, properties())
                .withEnvironment("REPLICA_DB_URL", inSchema)
                .withEnvironment("REPLICA_DB_USER", user)
                .withEnvironment("REPLICA_DB_PASSWORD", password);
        try {
            chaos("PostgreSQL", app, () -> DriverManager.getConnection(inSchema, user, password));
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                c.createStatement().execute("drop schema " + schema + " cascade");
            }
        }
    }

    private static String[] properties() {
        return new String[] {
            "replica.scheduler.heartbeat-interval=1s",
            "replica.scheduler.stale-after=2s",
            "replica.auth.start-token=" + TOKEN,
            "quarkus.log.level=WARN"
        };
    }

    @FunctionalInterface
    interface Database {
        Connection open() throws SQLException;
    }

    private void chaos(String database, ReplicaApp app, Database db) throws Exception {
        int trials = Integer.getInteger("replica.chaos.trials", 3);
        long seed = Long.getLong("replica.chaos.seed", System.nanoTime());
        System.out.printf(
                "chaos %s: %d trials, seed %d (-Dreplica.chaos.seed=%d repeats the moments)%n",
                database, trials, seed, seed);
        Random random = new Random(seed);
        String marker = "chaos-marker-" + Long.toString(seed & 0xffffffL, 36) + "-" + database.length();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Server server = start(app, http, 0);
        assertThat(server.process).as("the first start").isNotNull();
        String spec = """
                apiVersion: replica/v1
                name: chaos
                kind: command
                command: [sh, -c, "while :; do sleep 1; done", %s]
                retries: 100
                """.formatted(marker);
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(server.uri("/api/experiments"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/yaml")
                        .POST(HttpRequest.BodyPublishers.ofString(spec))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long runId = waitForRun(db);

        Set<Long> acked = ConcurrentHashMap.newKeySet();
        AtomicLong nextStep = new AtomicLong();
        int failedRestarts = 0;
        int duplicates = 0;
        int orphans = 0;
        long worstRecoveryMs = 0;
        for (int trial = 1; trial <= trials; trial++) {
            long ingestMs = 300 + random.nextInt(2_700);
            AtomicBoolean stop = new AtomicBoolean();
            Server target = server;
            Thread ingest = new Thread(() -> ingest(http, target, runId, nextStep, acked, stop));
            int before = acked.size();
            ingest.start();
            // the random moment counts from the first acknowledged batch of this trial (a loaded machine answers late)
            long firstAck = System.currentTimeMillis() + 60_000;
            while (acked.size() == before && System.currentTimeMillis() < firstAck) {
                Thread.sleep(20);
            }
            Thread.sleep(ingestMs);
            Set<Long> commandPids = pidsOf(marker);
            duplicates += commandPids.size() > 1 ? 1 : 0;
            server.process.destroyForcibly(); // SIGKILL
            assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            ingest.join(30_000);
            System.out.printf(
                    "chaos %s trial %d: killed %d ms after the first acknowledged batch, %d points acknowledged so far%n",
                    database, trial, ingestMs, acked.size());

            server = start(app, http, trial);
            if (server.process == null) {
                failedRestarts++;
                server = start(app, http, trial); // the figure counts it; the suite goes on if a second start works
                assertThat(server.process)
                        .as("a second restart after trial %d", trial)
                        .isNotNull();
            }
            // within two heartbeats (plus a poll) the run has a live owner, or none
            long readyAt = System.currentTimeMillis();
            while (!ownerAliveOrNone(db, runId)) {
                assertThat(System.currentTimeMillis() - readyAt)
                        .as("run %d still RUNNING under a dead owner", runId)
                        .isLessThan(10_000);
                Thread.sleep(200);
            }
            worstRecoveryMs = Math.max(worstRecoveryMs, System.currentTimeMillis() - readyAt);
            Set<Long> survivors = new HashSet<>(commandPids);
            survivors.retainAll(pidsOf(marker));
            orphans += survivors.size();
            duplicates += pidsOf(marker).size() > 1 ? 1 : 0;
        }

        // every acknowledged point, in one of the run's attempts
        List<Long> stored = new ArrayList<>();
        String attempts = get(http, server, "/api/runs/" + runId + "/attempts");
        Matcher numbers = Pattern.compile("\"number\"\\s*:\\s*(\\d+)").matcher(attempts);
        int attemptCount = 0;
        while (numbers.find()) {
            attemptCount++;
            String csv = get(http, server, "/api/runs/" + runId + "/metrics/export.csv?attempt=" + numbers.group(1));
            csv.lines().skip(1).forEach(line -> stored.add(Long.parseLong(line.split(",")[1])));
        }
        Set<Long> readable = new HashSet<>(stored);
        long lost = acked.stream().filter(s -> !readable.contains(s)).count();
        System.out.printf(
                "chaos %s: trials %d, acked points %d, lost %d, stored twice %d, failed restarts %d, orphans %d,"
                        + " duplicate executions %d, attempts %d, worst recovery after restart %d ms%n",
                database,
                trials,
                acked.size(),
                lost,
                stored.size() - readable.size(),
                failedRestarts,
                orphans,
                duplicates,
                attemptCount,
                worstRecoveryMs);
        server.process.destroy();
        server.process.waitFor(60, TimeUnit.SECONDS);
        assertThat(acked).as("points acknowledged").isNotEmpty();
        assertThat(lost).as("acknowledged points lost").isZero();
        assertThat(stored.size()).as("points stored twice").isEqualTo(readable.size());
        assertThat(failedRestarts).as("restarts that failed").isZero();
        assertThat(orphans)
                .as("command processes that outlived the killed server")
                .isZero();
        assertThat(duplicates)
                .as("moments with two copies of the command running")
                .isZero();
    }

    /** Posts batches of 20 points (steps from one counter) until stopped; records the steps acknowledged. */
    private static void ingest(
            HttpClient http, Server server, long runId, AtomicLong nextStep, Set<Long> acked, AtomicBoolean stop) {
        while (!stop.get()) {
            List<Long> steps = new ArrayList<>();
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 20; i++) {
                long step = nextStep.getAndIncrement();
                steps.add(step);
                body.append(i == 0 ? "" : ",")
                        .append("{\"step\":")
                        .append(step)
                        .append(",\"values\":{\"loss\":")
                        .append(1.0 / (step + 1))
                        .append("}}");
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(server.uri("/api/runs/" + runId + "/metrics"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        body.append(']').toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    acked.addAll(steps);
                } else {
                    System.out.printf("chaos: ingest answered %d: %s%n", r.statusCode(), r.body());
                    Thread.sleep(200); // e.g. 409 while the run is between attempts
                }
            } catch (java.net.http.HttpTimeoutException e) {
                // a loaded server answers late: the batch is not acknowledged, the next one is tried
            } catch (IOException e) {
                return; // the server died: what it acknowledged is what counts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private record Server(Process process, int port) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    /** Starts {@code replica serve}; a null process when it did not answer within 3 minutes (a failed start). */
    private Server start(ReplicaApp app, HttpClient http, int trial) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = app.home().resolve("serve-" + trial + "-" + System.nanoTime() + ".log");
        Process p = app.start(log, "serve", "--port", Integer.toString(port));
        Server server = new Server(p, port);
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(server.uri("/api/session"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        System.out.printf("chaos: start %d failed:%n%s%n", trial, Files.readString(log));
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        return new Server(null, port);
    }

    private static String get(HttpClient http, Server server, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(server.uri(path))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    private static long waitForRun(Database db) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = db.open();
                    var rs = c.createStatement().executeQuery("select id from run where state = 'RUNNING'")) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the command run did not start");
    }

    /** Whether the run is not RUNNING, or RUNNING under a process that is alive. */
    private static boolean ownerAliveOrNone(Database db, long runId) throws SQLException {
        try (Connection c = db.open();
                var s = c.prepareStatement("select state, owner from run where id = ?")) {
            s.setLong(1, runId);
            try (var rs = s.executeQuery()) {
                rs.next();
                if (!"RUNNING".equals(rs.getString(1))) {
                    return true;
                }
                Matcher m = PID.matcher(String.valueOf(rs.getString(2)));
                return m.find()
                        && ProcessHandle.of(Long.parseLong(m.group(1)))
                                .map(ProcessHandle::isAlive)
                                .orElse(false);
            }
        }
    }

    /** Live processes whose command line holds {@code marker}. */
    private static Set<Long> pidsOf(String marker) {
        Set<Long> out = new HashSet<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String line = p.info().commandLine().orElse("");
            if (line.contains(marker) && ProcSessions.alive(p.pid())) {
                out.add(p.pid());
            }
        });
        return out;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

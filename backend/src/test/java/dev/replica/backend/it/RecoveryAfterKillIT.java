package dev.replica.backend.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code replica run} is SIGKILLed while its run is RUNNING; the next process on the same database
 * recovers the run (RUNNING → INTERRUPTED → QUEUED, per {@code retries:}) and runs it to the end.
 */
class RecoveryAfterKillIT {

    @TempDir
    Path home;

    @Test
    void aRunWhoseProcessWasKilledIsInterruptedRequeuedAndRunToTheEnd() throws Exception {
        Path spec = home.resolve("long.yaml");
        Files.writeString(spec, """
                apiVersion: replica/v1
                name: killed-mid-run
                kind: optimizer-sweep
                params: {task: teacher-stream, optimizer: adamw, steps: 400, batch: 64, width: 64, eval_every: 50}
                retries: 1
                """);
        ReplicaApp app =
                new ReplicaApp(home, "replica.scheduler.heartbeat-interval=1s", "replica.scheduler.stale-after=3s");
        Path firstLog = home.resolve("first.log");
        Process first = app.start(firstLog, "run", spec.toString());
        long runId = -1;
        String owner = null;
        long deadline = System.currentTimeMillis() + 120_000;
        while (owner == null) {
            assertThat(first.isAlive())
                    .as("replica run ended early:\n%s", Files.readString(firstLog))
                    .isTrue();
            assertThat(System.currentTimeMillis())
                    .as("the run did not start:\n%s", Files.readString(firstLog))
                    .isLessThan(deadline);
            Thread.sleep(300);
            if (Files.readString(firstLog).contains("Stored experiment")) {
                try (Connection c = app.database();
                        var rs =
                                c.createStatement().executeQuery("select id, owner from run where state = 'RUNNING'")) {
                    if (rs.next()) {
                        runId = rs.getLong(1);
                        owner = rs.getString(2);
                    }
                }
            }
        }
        Path metrics = home.resolve("metrics/" + runId + ".arrows");
        while (!Files.exists(metrics) || Files.size(metrics) == 0) {
            assertThat(System.currentTimeMillis()).as("no metrics were written").isLessThan(deadline);
            Thread.sleep(100);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook records anything
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(app.events(runId)).containsExactly("QUEUED", "RUNNING");

        ReplicaApp.Result second = app.run(300, "worker", "--run", Long.toString(runId));
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("run " + runId + ": SUCCEEDED");
        assertThat(app.events(runId))
                .containsExactly("QUEUED", "RUNNING", "INTERRUPTED", "QUEUED", "RUNNING", "SUCCEEDED");
        try (Connection c = app.database();
                var s = c.prepareStatement(
                        "select message from run_event where run_id = ? and to_state in ('INTERRUPTED', 'QUEUED') order by id")) {
            s.setLong(1, runId);
            try (var rs = s.executeQuery()) {
                rs.next();
                rs.next();
                assertThat(rs.getString(1)).startsWith("owner " + owner + " stopped (no heartbeat since");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("retry 1 of 1");
            }
        }
        // the killed attempt's metrics are kept aside; the retry wrote a complete stream of its own
        assertThat(home.resolve("metrics/" + runId + ".attempt-1.arrows")).exists();
        assertThat(app.run(120, "show", Long.toString(runId)).output())
                .contains("state     SUCCEEDED")
                .contains("attempt   1");
    }
}

package dev.replica.backend.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl-C and a terminal closing send too) of a real {@code replica run}: the running run and the
 * queued ones all end CANCELLED, recorded before the process exits, so nothing is left for recovery to retry.
 */
class StopCancelsRunsIT {

    @TempDir
    Path home;

    @Test
    void sigtermOfReplicaRunCancelsItsRunningAndQueuedRuns() throws Exception {
        Path spec = home.resolve("long.yaml");
        Files.writeString(spec, """
                apiVersion: replica/v1
                name: stopped-by-the-user
                kind: optimizer-sweep
                params: {task: teacher-stream, optimizer: adamw, steps: 1000000, batch: 64, width: 64, eval_every: 1000}
                seeds: [0, 1, 2]
                retries: 2
                """);
        ReplicaApp app = new ReplicaApp(home, "replica.scheduler.heartbeat-interval=1s");
        Path log = home.resolve("run.log");
        Process run = app.start(log, "run", spec.toString());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(log).contains("Stored experiment")
                || states(app).stream().noneMatch("RUNNING"::equals)) {
            assertThat(run.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(System.currentTimeMillis())
                    .as("no run started:\n%s", Files.readString(log))
                    .isLessThan(deadline);
            Thread.sleep(300);
        }
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(60, TimeUnit.SECONDS))
                .as("replica run did not stop")
                .isTrue();
        assertThat(states(app)).as(Files.readString(log)).containsExactly("CANCELLED", "CANCELLED", "CANCELLED");
        assertThat(Files.readString(log)).contains("replica: cancelling the runs");
    }

    private static List<String> states(ReplicaApp app) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = app.database();
                var rs = c.createStatement().executeQuery("select state from run order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}

package dev.replica.backend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.executor.process.ProcSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code replica run} of a {@code command} whose program leaves processes behind (an orphaned grandchild,
 * a background child) is SIGKILLed: none of those processes survives it.
 */
class OrphansAfterKillIT {

    @TempDir
    Path home;

    @Test
    void noProcessOfACommandRunSurvivesASigkillOfReplicaRun() throws Exception {
        boolean isolated =
                dev.replica.backend.executor.process.CommandSessions.shared().isolated();
        if (!isolated) {
            System.out.println("OrphansAfterKillIT skipped: no setsid (util-linux) or no /proc on this machine");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(isolated, "no setsid (util-linux) or no /proc here");
        Path script =
                Path.of("src/test/resources/process/spawn-grandchildren.sh").toAbsolutePath();
        Path pids = home.resolve("pids.txt");
        Path spec = home.resolve("orphans.yaml");
        Files.writeString(spec, """
                apiVersion: replica/v1
                name: leaves-processes-behind
                kind: command
                command: [sh, "%s", "%s"]
                """.formatted(script, pids));
        ReplicaApp app = new ReplicaApp(home);
        Path log = home.resolve("run.log");
        Process run = app.start(log, "run", spec.toString());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(pids) || Files.readAllLines(pids).size() < 3) {
            assertThat(run.isAlive())
                    .as("replica run ended early:\n%s", Files.readString(log))
                    .isTrue();
            assertThat(System.currentTimeMillis())
                    .as("the command did not start:\n%s", Files.readString(log))
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        List<Long> tree = Files.readAllLines(pids).stream()
                .map(String::trim)
                .map(Long::parseLong)
                .toList();
        assertThat(tree).allMatch(ProcSessions::alive);

        run.destroyForcibly(); // SIGKILL
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

        long gone = System.currentTimeMillis() + 10_000;
        while (tree.stream().anyMatch(ProcSessions::alive) && System.currentTimeMillis() < gone) {
            Thread.sleep(50);
        }
        assertThat(tree.stream().filter(ProcSessions::alive).toList())
                .as("processes of the command still alive after replica run was killed")
                .isEmpty();
    }
}

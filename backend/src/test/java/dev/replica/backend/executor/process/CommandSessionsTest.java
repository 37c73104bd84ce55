package dev.replica.backend.executor.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands in sessions of their own: stopping one stops its whole tree, orphaned grandchildren included, and a
 * SIGKILL of the JVM that started it takes the tree down through the watchdog.
 */
class CommandSessionsTest {

    @TempDir
    Path dir;

    Path script;
    Path pids;

    @BeforeEach
    void needsSessions() throws URISyntaxException {
        boolean isolated = CommandSessions.shared().isolated();
        if (!isolated) {
            System.out.println("CommandSessionsTest skipped: no setsid (util-linux) or no /proc on this machine");
        }
        assumeTrue(isolated, "no setsid (util-linux) or no /proc on this machine");
        script = Path.of(
                getClass().getResource("/process/spawn-grandchildren.sh").toURI());
        pids = dir.resolve("pids.txt");
    }

    @Test
    void stoppingACommandStopsItsGrandchildrenEvenWhenTheirParentHasExited() throws Exception {
        CommandSession session = CommandSessions.shared().start(command());
        List<Long> tree = awaitPids(3);
        // The first pid's parent (a shell) has exited: it is init's child now, not a descendant of ours.
        assertThat(session.process().descendants().map(ProcessHandle::pid).toList())
                .doesNotContain(tree.get(0));

        session.stop(3000);

        assertAllGone(tree);
    }

    @Test
    void whatACommandLeavesRunningIsStoppedWhenItExits() throws Exception {
        CommandSession session = CommandSessions.shared().start(command("exit"));
        assertThat(session.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<Long> tree = awaitPids(3);
        assertThat(ProcSessions.members(session.process().pid()))
                .as("left behind")
                .hasSize(2);

        session.close();

        assertAllGone(tree);
    }

    @Test
    void sigkillOfTheOwnerJvmStopsItsCommandsWholeTree() throws Exception {
        Process owner = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SessionOwnerMain.class.getName(),
                        script.toString(),
                        pids.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the owner JVM's first line").startsWith("started ");
            List<Long> tree = awaitPids(3);
            assertThat(tree).allMatch(ProcSessions::alive);

            owner.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
            assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertAllGone(tree);
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void aMissingProgramIsNamedInsteadOfShowingAsExitCode127() {
        assertThatThrownBy(() -> CommandSessions.shared().start(new ProcessBuilder("no-such-program-xyz")))
                .hasMessage("not found on PATH");
        assertThatThrownBy(() ->
                        CommandSessions.shared().start(new ProcessBuilder("./missing.sh").directory(dir.toFile())))
                .hasMessage("no executable file at " + dir.resolve("./missing.sh"));
    }

    private ProcessBuilder command(String... extra) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", script.toString(), pids.toString()));
        argv.addAll(List.of(extra));
        return new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }

    private List<Long> awaitPids(int n) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            List<String> lines = Files.exists(pids) ? Files.readAllLines(pids) : List.of();
            if (lines.size() >= n) {
                return lines.stream().map(String::trim).map(Long::parseLong).toList();
            }
            assertThat(System.currentTimeMillis()).as("pids written: %s", lines).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void assertAllGone(List<Long> tree) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (tree.stream().anyMatch(ProcSessions::alive) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(tree.stream().filter(ProcSessions::alive).toList())
                .as("processes still alive")
                .isEmpty();
    }
}

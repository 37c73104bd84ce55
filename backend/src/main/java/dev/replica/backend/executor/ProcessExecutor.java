package dev.replica.backend.executor;

import dev.replica.backend.executor.process.CommandSession;
import dev.replica.backend.executor.process.CommandSessions;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.metrics.JsonLinesParser;
import dev.replica.experiments.metrics.MetricSink;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code kind: command}: runs the spec's argv template as a child process — never through a shell.
 * Metrics come from JSON lines on stdout ({@code {"step": 10, "train/loss": 0.53}}); every other stdout
 * line and all of stderr go to {@code stdout.log} / {@code stderr.log} in the run folder. The command runs in a
 * session of its own ({@link CommandSessions}): cancel and timeout stop the whole session (TERM, then KILL after
 * a grace period), the end of the run stops whatever it left behind, and a watchdog stops it if this JVM dies.
 */
@ApplicationScoped
public class ProcessExecutor implements RunExecutor {

    static final long GRACE_MS = 3000;

    /** Set by `replica serve`: lets a command post metrics to the API instead of printing them. */
    @ConfigProperty(name = "replica.server.url")
    java.util.Optional<String> serverUrl;

    @Override
    public String name() {
        return "process";
    }

    @Override
    public boolean supports(String kind) {
        return KindRegistry.COMMAND.equals(kind);
    }

    @Override
    public Outcome execute(RunLaunch launch, MetricSink metrics, CancellationToken token, ProgressListener progress)
            throws IOException, InterruptedException {
        List<String> argv = launch.commandArgv();
        Files.writeString(launch.runDir().resolve("command.txt"), String.join("\n", argv) + "\n");

        ProcessBuilder pb =
                new ProcessBuilder(argv).directory(workingDirectory(launch).toFile());
        Map<String, String> env = pb.environment();
        env.putAll(launch.commandEnvironment());
        serverUrl.ifPresent(url -> env.put("REPLICA_URL", url));
        Path stdoutLog = launch.runDir().resolve("stdout.log");
        pb.redirectError(launch.runDir().resolve("stderr.log").toFile());
        CommandSession session;
        try {
            session = CommandSessions.shared().start(pb);
        } catch (IOException e) {
            return Outcome.failed(null, "cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        Process process = session.process();
        progress.processes(launch.runId(), session::pids);
        try {
            Thread reader =
                    new Thread(() -> pumpStdout(process, stdoutLog, metrics), "run-" + launch.runId() + "-stdout");
            reader.start();
            while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                if (token.isCancelled()) {
                    session.stop(GRACE_MS);
                    reader.join(GRACE_MS);
                    return token.outcome();
                }
            }
            session.close(); // leftovers of the command would hold stdout open, and must not outlive the run
            reader.join();
        } finally {
            session.close();
        }
        int exit = process.exitValue();
        return exit == 0
                ? Outcome.succeeded("exit code 0")
                : Outcome.failed(
                        exit,
                        "exit code " + exit + StderrTail.of(launch.runDir().resolve("stderr.log")));
    }

    private Path workingDirectory(RunLaunch launch) {
        Path dir = launch.workingDirectory();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("workdir " + dir + " does not exist");
        }
        return dir;
    }

    /** Metric lines to the sink; other lines, and malformed metric lines with their error, to stdout.log. */
    private static void pumpStdout(Process process, Path stdoutLog, MetricSink metrics) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter log = Files.newBufferedWriter(stdoutLog)) {
            new JsonLinesParser()
                    .ingest(
                            in,
                            metrics,
                            line -> write(log, line.text()),
                            error -> write(log, "[replica] ignored metric line: " + error.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            metrics.flush();
        }
    }

    private static void write(BufferedWriter log, String line) {
        try {
            log.write(line);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

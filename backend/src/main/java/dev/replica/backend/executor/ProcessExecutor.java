package dev.replica.backend.executor;

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
 * line and all of stderr go to {@code stdout.log} / {@code stderr.log} in the run folder. Cancel and
 * timeout stop the whole process tree (TERM, then KILL after a grace period).
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
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return Outcome.failed(null, "cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        Thread reader = new Thread(() -> pumpStdout(process, stdoutLog, metrics), "run-" + launch.runId() + "-stdout");
        reader.start();
        while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            if (token.isCancelled()) {
                stopTree(process);
                reader.join(GRACE_MS);
                return token.outcome();
            }
        }
        reader.join();
        int exit = process.exitValue();
        return exit == 0
                ? Outcome.succeeded("exit code 0")
                : Outcome.failed(exit, "exit code " + exit + tail(launch.runDir()));
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

    /** TERM the whole tree, then KILL what is left after the grace period. */
    static void stopTree(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /** The last lines of stderr, so a failure's cause shows in `replica show`. */
    private static String tail(Path runDir) {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve("stderr.log"));
            if (lines.isEmpty()) {
                return "";
            }
            return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}

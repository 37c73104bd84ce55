package dev.replica.backend.executor;

import dev.replica.backend.executor.slurm.SlurmAvailability;
import dev.replica.backend.executor.slurm.SlurmClient;
import dev.replica.backend.executor.slurm.SlurmJob;
import dev.replica.backend.executor.slurm.SlurmResources;
import dev.replica.backend.executor.slurm.SlurmTask;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.metrics.JsonLinesParser;
import dev.replica.experiments.metrics.MetricParseException;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.spec.Resources;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code kind: command} on a Slurm cluster: each run is submitted with {@code sbatch} (the argv exec'd by
 * the generated batch script, never interpreted by a shell), resources mapped to {@code --gres},
 * {@code --cpus-per-task}, {@code --mem}, {@code --time}, {@code --partition}. The task's stdout file is
 * followed while it runs: JSON metric lines go to the sink as they appear. States come from
 * {@code squeue}; cancel and timeout use {@code scancel}. Enabled with
 * {@code replica.scheduler.executors=slurm,…} (see {@link dev.replica.backend.scheduler.SchedulerConfig}).
 */
@ApplicationScoped
public class SlurmExecutor implements RunExecutor {

    static final long POLL_MS = 500;

    @ConfigProperty(name = "replica.slurm.bin-dir")
    Optional<Path> binDir;

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public boolean supports(String kind) {
        return KindRegistry.COMMAND.equals(kind);
    }

    /** Why Slurm cannot be used here, or empty when it can. */
    public Optional<String> unavailableReason(Path scratch) {
        SlurmAvailability a = client(scratch).available();
        return a.usable() ? Optional.empty() : Optional.of(a.reason());
    }

    private SlurmClient client(Path scriptDir) {
        return binDir.map(b -> new SlurmClient(b, scriptDir)).orElseGet(() -> new SlurmClient(scriptDir));
    }

    @Override
    public Outcome execute(RunLaunch launch, MetricSink metrics, CancellationToken token, ProgressListener progress)
            throws IOException, InterruptedException {
        SlurmClient slurm = client(launch.runDir().resolve("slurm"));
        SlurmAvailability availability = slurm.available();
        if (!availability.usable()) {
            return new Outcome(RunState.FAILED, null, "Slurm is not usable: " + availability.reason());
        }
        List<String> argv = launch.commandArgv();
        Files.writeString(launch.runDir().resolve("command.txt"), String.join("\n", argv) + "\n");

        Map<String, String> env = launch.commandEnvironment();
        Path workDir = launch.workingDirectory();
        SlurmJob job = SlurmJob.single("replica-run-" + launch.runId(), argv, resources(launch), launch.runDir())
                .withWorkDir(workDir).withEnvironment(env);
        String jobId = slurm.submit(job);
        Files.writeString(launch.runDir().resolve("slurm-job.txt"), jobId + "\n");

        OutputFollower stdout = new OutputFollower(job.stdoutFile(jobId, 0), launch.runDir().resolve("stdout.log"), metrics);
        boolean cancelSent = false;
        while (true) {
            Optional<SlurmTask> task = slurm.status(jobId, null);
            stdout.poll();
            if (token.isCancelled() && !cancelSent) {
                slurm.cancel(jobId);
                cancelSent = true;
            }
            if (task.isPresent() && task.get().state().isFinal()) {
                stdout.poll();
                stdout.close();
                copyStderr(job.stderrFile(jobId, 0), launch.runDir().resolve("stderr.log"));
                if (cancelSent) {
                    return token.outcome();
                }
                SlurmTask t = task.get();
                return new Outcome(t.runState(), t.exitCode(), t.message());
            }
            if (task.isEmpty() && cancelSent) {
                stdout.close();
                return token.outcome();
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static SlurmResources resources(RunLaunch launch) {
        Resources r = launch.spec().resources();
        SlurmResources out = SlurmResources.DEFAULT.withCpusPerTask(r.cpus());
        if (r.gpus() > 0) {
            out = out.withGpus(r.gpus());
        }
        if (r.memoryMb() > 0) {
            out = out.withMemoryMb(r.memoryMb());
        }
        var limit = r.time() != null ? r.time() : launch.spec().timeout();
        if (limit != null) {
            out = out.withTimeLimit(limit);
        }
        if (r.partition() != null) {
            out = out.withPartition(r.partition());
        }
        return out;
    }

    private static void copyStderr(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Follows a growing output file: complete lines are parsed as they appear, metric lines to the sink. */
    private static final class OutputFollower {
        private final Path file;
        private final BufferedWriter log;
        private final MetricSink metrics;
        private final JsonLinesParser parser = new JsonLinesParser();
        private final StringBuilder partial = new StringBuilder();
        private long offset;
        private long lineNumber;

        OutputFollower(Path file, Path log, MetricSink metrics) throws IOException {
            this.file = file;
            this.log = Files.newBufferedWriter(log);
            this.metrics = metrics;
        }

        void poll() throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length <= offset) {
                    return;
                }
                byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 24)];
                in.seek(offset);
                in.readFully(bytes);
                offset += bytes.length;
                partial.append(new String(bytes, StandardCharsets.UTF_8));
            }
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                accept(partial.substring(0, newline));
                partial.delete(0, newline + 1);
            }
        }

        private void accept(String line) throws IOException {
            lineNumber++;
            try {
                if (parser.parse(lineNumber, line) instanceof JsonLinesParser.MetricLine m) {
                    metrics.log(m.row());
                    return;
                }
            } catch (MetricParseException e) {
                log.write("[replica] ignored metric line: " + e.getMessage());
                log.newLine();
            }
            log.write(line);
            log.newLine();
        }

        void close() throws IOException {
            if (!partial.isEmpty()) {
                accept(partial.toString());
                partial.setLength(0);
            }
            metrics.flush();
            log.close();
        }
    }
}

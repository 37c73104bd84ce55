package dev.replica.backend.executor.slurm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs a command as an argv (never through a shell) and collects what it prints. */
final class CommandRunner {

    record Result(List<String> argv, int exitCode, String stdout, String stderr) {

        boolean ok() {
            return exitCode == 0;
        }

        /** For error messages: "sbatch exited with 1: sbatch: error: Batch job submission failed: ...". */
        String describe() {
            String said = !stderr.isBlank() ? stderr.strip() : stdout.strip();
            return argv.get(0) + " exited with " + exitCode + (said.isEmpty() ? "" : ": " + said);
        }
    }

    /** Two readers per command; daemon threads, so a stuck command never keeps the JVM alive. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "slurm-command-output");
        thread.setDaemon(true);
        return thread;
    });

    private CommandRunner() {}

    /**
     * Runs {@code argv} with stdin closed and waits at most {@code timeout}.
     *
     * @throws SlurmException when the program cannot be started or does not finish in time
     */
    static Result run(List<String> argv, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new SlurmException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), READERS);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), READERS);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new SlurmException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s: "
                        + String.join(" ", argv));
            }
            return new Result(List.copyOf(argv), process.exitValue(), stdout.get(), stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while waiting for " + argv.get(0), e);
        } catch (ExecutionException e) {
            throw new SlurmException(
                    "cannot read the output of " + argv.get(0) + ": "
                            + e.getCause().getMessage(),
                    e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.replica.experiments.manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program as an argument vector (never through a shell) and collects its output. */
final class Processes {
    private Processes() {}

    /** Exit status and output of a finished program. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** The program could not be started (not installed) or did not finish in time. */
    static final class Failure extends Exception {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs {@code argv} in {@code directory} with {@code extraEnv} added to the environment; stdin is
     * empty.
     *
     * @throws Failure when the program cannot be started or runs longer than {@code timeout}
     */
    static Result run(List<String> argv, Path directory, Map<String, String> extraEnv, Duration timeout)
            throws Failure {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        pb.environment().putAll(extraEnv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new Failure(argv.get(0) + " not found (" + e.getMessage() + ")", e);
        }
        try {
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errDrain = new Thread(() -> drain(p.getErrorStream(), err), "drain-" + argv.get(0));
            errDrain.setDaemon(true);
            errDrain.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread outDrain = new Thread(() -> drain(p.getInputStream(), out), "drain-" + argv.get(0));
            outDrain.setDaemon(true);
            outDrain.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new Failure(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s", null);
            }
            outDrain.join();
            errDrain.join();
            return new Result(
                    p.exitValue(),
                    out.toByteArray(),
                    err.toString(StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            p.destroyForcibly();
            throw new Failure("cannot talk to " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while running " + argv.get(0), e);
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

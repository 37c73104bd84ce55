package dev.replica.backend.sysmetrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * GPU utilisation and memory as {@code nvidia-smi} reports them, one reading per GPU. These are figures of the
 * whole device (every process on it), which is what a run that was given the GPU sees.
 */
final class NvidiaSmi {

    /** The query: one CSV line per GPU, {@code index, utilization.gpu [%], memory.used [MiB]}. */
    static final List<String> QUERY =
            List.of("--query-gpu=index,utilization.gpu,memory.used", "--format=csv,noheader,nounits");

    private static final long TIMEOUT_MS = 5000;

    /**
     * One GPU: its index as {@code nvidia-smi} numbers it and the values it reported (empty where it printed
     * {@code [N/A]} or similar).
     */
    record Reading(int index, OptionalDouble utilPercent, OptionalDouble memoryMb) {}

    private final Path program;

    private NvidiaSmi(Path program) {
        this.program = program;
    }

    /** The program {@code name} (looked up on PATH unless it holds a '/'), if it exists and can be executed. */
    static Optional<NvidiaSmi> find(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(new NvidiaSmi(p)) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(new NvidiaSmi(p));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the query.
     *
     * @throws IOException when the program cannot run, times out or exits non-zero (no driver, no GPU)
     */
    List<Reading> read() throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(QUERY);
        Process p = new ProcessBuilder(argv)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IOException(program + " did not answer within " + TIMEOUT_MS + " ms");
            }
            if (p.exitValue() != 0) {
                throw new IOException(program + " exited with " + p.exitValue());
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Parses the query's output. Lines that do not have three fields or whose index is not a number are
     * skipped; a value that is not a number ({@code [N/A]}, {@code [Not Supported]}) is left empty.
     */
    static List<Reading> parse(String csv) {
        List<Reading> out = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] f = line.split(",");
            if (f.length != 3) {
                continue;
            }
            try {
                out.add(new Reading(Integer.parseInt(f[0].trim()), number(f[1]), number(f[2])));
            } catch (NumberFormatException e) {
                // a header or a message, not a GPU line
            }
        }
        return out;
    }

    private static OptionalDouble number(String field) {
        try {
            double v = Double.parseDouble(field.trim());
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}

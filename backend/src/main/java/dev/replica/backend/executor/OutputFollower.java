package dev.replica.backend.executor;

import dev.replica.experiments.metrics.JsonLinesParser;
import dev.replica.experiments.metrics.MetricParseException;
import dev.replica.experiments.metrics.MetricSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Follows a growing output file (a Slurm task's stdout): complete lines are parsed as they appear, JSON
 * metric lines go to the sink, every other line to the run's {@code stdout.log}.
 */
final class OutputFollower {
    private final Path file;
    private final BufferedWriter log;
    private final MetricSink metrics;
    private final JsonLinesParser parser = new JsonLinesParser();
    private final StringBuilder partial = new StringBuilder();
    private final long resumeAfterStep;
    private long offset;
    private long lineNumber;

    /**
     * @param resumeAfterStep metric lines up to this step are not logged again (a follower that takes over
     *                        from one that died re-reads the file from its start); {@link Long#MIN_VALUE}: none
     */
    OutputFollower(Path file, Path log, MetricSink metrics, long resumeAfterStep) throws IOException {
        this.file = file;
        this.log = Files.newBufferedWriter(log);
        this.metrics = metrics;
        this.resumeAfterStep = resumeAfterStep;
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
                if (m.row().step() > resumeAfterStep) {
                    metrics.log(m.row());
                }
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
        poll();
        if (!partial.isEmpty()) {
            accept(partial.toString());
            partial.setLength(0);
        }
        metrics.flush();
        log.close();
    }
}

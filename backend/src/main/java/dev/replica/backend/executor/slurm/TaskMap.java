package dev.replica.backend.executor.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which run each task of a Replica job array executes: task {@code i} ({@code SLURM_ARRAY_TASK_ID=i}) runs
 * {@code runIds.get(i)}. Written next to the job's logs in the shared data directory before {@code sbatch};
 * a {@code replica worker --task-map FILE} in the array reads its own line. {@code owner} is the scheduler
 * that claimed the runs for the array; a worker takes a run over only while that owner still holds it.
 *
 * <p>The file is tab-separated text, one task a line, after an {@code owner} line:
 * <pre>
 * owner	head01:4711:1f2e3d4c
 * 0	101
 * 1	102
 * </pre>
 */
public record TaskMap(String owner, List<Long> runIds) {

    public TaskMap {
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank() || owner.contains("\t") || owner.contains("\n")) {
            throw new IllegalArgumentException("owner must be one line without tabs, got '" + owner + "'");
        }
        runIds = List.copyOf(runIds);
        if (runIds.isEmpty()) {
            throw new IllegalArgumentException("a task map needs at least one run");
        }
    }

    /** The run of task {@code task}. */
    public long runFor(int task) {
        if (task < 0 || task >= runIds.size()) {
            throw new IllegalArgumentException(
                    "the job array has tasks 0-" + (runIds.size() - 1) + ", not task " + task);
        }
        return runIds.get(task);
    }

    /** The task that runs {@code runId}, or -1. */
    public int taskOf(long runId) {
        return runIds.indexOf(runId);
    }

    public void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder("owner\t").append(owner).append('\n');
        for (int i = 0; i < runIds.size(); i++) {
            text.append(i).append('\t').append(runIds.get(i)).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Reads a file written by {@link #write}.
     *
     * @throws IllegalArgumentException naming the file and line when it is not one
     */
    public static TaskMap read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith("owner\t")) {
            throw new IllegalArgumentException(file + ":1: not a Replica task map (it starts with an owner line)");
        }
        String owner = lines.get(0).substring("owner\t".length());
        List<Long> runs = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t");
            if (cells.length != 2 || !cells[0].equals(Integer.toString(runs.size())) || !cells[1].matches("[0-9]+")) {
                throw new IllegalArgumentException(
                        file + ":" + (n + 1) + ": expected '" + runs.size() + "<TAB>RUN_ID', got '" + line + "'");
            }
            runs.add(Long.parseLong(cells[1]));
        }
        return new TaskMap(owner, runs);
    }
}

package dev.replica.backend.executor.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parsers for what the Slurm commands print. Pure functions, tested with recorded outputs. */
final class SlurmOutput {

    /**
     * The {@code squeue -O} format {@link #parseSqueue} reads: one record per line, fields ended by
     * {@code |}. {@code exit_code} is the raw wait status (exit 3 prints 768).
     */
    static final String SQUEUE_FORMAT = "JobID:|,ArrayJobID:|,ArrayTaskID:|,State:|,exit_code:|,Reason:|,NodeList:|";

    /** {@code sinfo --noheader --Node --format=SINFO_NODE_FORMAT}: name, state, reason time, reason. */
    static final String SINFO_NODE_FORMAT = "%N|%T|%H|%E";

    private SlurmOutput() {}

    /** The job id in {@code sbatch --parsable}'s output: {@code 37} or {@code 37;cluster}. */
    static String parseSubmit(String stdout) {
        String line = stdout.strip();
        int newline = line.lastIndexOf('\n');
        if (newline >= 0) {
            line = line.substring(newline + 1).strip();
        }
        int semicolon = line.indexOf(';');
        String id = semicolon >= 0 ? line.substring(0, semicolon) : line;
        if (!id.matches("[0-9]+")) {
            throw new SlurmException("sbatch did not print a job id; it printed: '" + stdout.strip() + "'");
        }
        return id;
    }

    /**
     * Reads {@code squeue -h --states=all -j ID -O SQUEUE_FORMAT}: one {@link SlurmTask} per plain job or
     * array task, sorted by task index. A collapsed record of pending array tasks ({@code 37} with task
     * ids {@code 2-5%2}, or {@code [2-5%2]}) is expanded into one task per index, all in its state: that
     * is also how tasks cancelled while pending appear.
     */
    static List<SlurmTask> parseSqueue(String stdout) {
        Map<String, SlurmTask> plain = new TreeMap<>();
        Map<String, Map<Integer, SlurmTask>> arrays = new TreeMap<>();
        Map<String, Map<Integer, SlurmTask>> collapsed = new TreeMap<>();
        for (String line : stdout.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] field = line.split("\\|", -1);
            if (field.length < 6) {
                throw new SlurmException("unexpected squeue line (wanted " + SQUEUE_FORMAT + "): '" + line + "'");
            }
            String jobId = field[0].strip();
            String arrayJobId = field[1].strip();
            String taskIds = field[2].strip();
            SlurmState state = SlurmState.parse(field[3]);
            String reason = field[5].strip();
            reason = reason.isEmpty() || "None".equals(reason) || "(null)".equals(reason) ? null : reason;
            String node = field.length > 6 ? field[6].strip() : "";
            node = node.isEmpty() || "(null)".equals(node) ? null : node;
            Integer exitCode = null;
            Integer signal = null;
            if (state.isFinal()) {
                int status = parseInt(field[4].strip(), line);
                signal = status & 0x7f;
                exitCode = (status >> 8) & 0xff;
                if (signal == 0) {
                    signal = null;
                } else {
                    exitCode = null;
                }
            }
            if (taskIds.isEmpty() || "N/A".equals(taskIds)) {
                plain.put(jobId, new SlurmTask(jobId, null, state, exitCode, signal, reason, node));
            } else if (taskIds.matches("[0-9]+")) {
                int index = Integer.parseInt(taskIds);
                arrays.computeIfAbsent(arrayJobId, k -> new TreeMap<>())
                        .put(index, new SlurmTask(arrayJobId, index, state, exitCode, signal, reason, node));
            } else {
                SlurmTask template = new SlurmTask(arrayJobId, null, state, exitCode, signal, reason, node);
                Map<Integer, SlurmTask> tasks = collapsed.computeIfAbsent(arrayJobId, k -> new TreeMap<>());
                for (int index : expandTaskIds(taskIds)) {
                    tasks.put(index, template.withTaskIndex(index));
                }
            }
        }
        // A task's own record wins over the collapsed record it left.
        collapsed.forEach((id, tasks) -> {
            Map<Integer, SlurmTask> merged = arrays.computeIfAbsent(id, k -> new TreeMap<>());
            tasks.forEach(merged::putIfAbsent);
        });
        List<SlurmTask> result = new ArrayList<>(plain.values());
        arrays.values().forEach(tasks -> result.addAll(tasks.values()));
        return result;
    }

    /**
     * Expands Slurm's array task id expression: {@code [2-5%2]} or {@code 2-5%2} gives 2, 3, 4, 5;
     * {@code 0,3,7-9} gives 0, 3, 7, 8, 9; {@code 0-10:5} (a step) gives 0, 5, 10.
     */
    static List<Integer> expandTaskIds(String expression) {
        String text = expression.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int throttle = text.indexOf('%');
        if (throttle >= 0) {
            text = text.substring(0, throttle);
        }
        List<Integer> indexes = new ArrayList<>();
        for (String part : text.split(",")) {
            String range = part.strip();
            if (range.isEmpty()) {
                continue;
            }
            int step = 1;
            int colon = range.indexOf(':');
            if (colon >= 0) {
                step = parseInt(range.substring(colon + 1), expression);
                range = range.substring(0, colon);
            }
            int dash = range.indexOf('-');
            if (dash < 0) {
                indexes.add(parseInt(range, expression));
                continue;
            }
            int first = parseInt(range.substring(0, dash), expression);
            int last = parseInt(range.substring(dash + 1), expression);
            if (step < 1 || last < first) {
                throw new SlurmException("unexpected array task range '" + expression + "'");
            }
            for (int i = first; i <= last; i += step) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /**
     * The first state {@code sinfo -h -o %T} prints per line, for {@link SlurmClient#available}: nodes
     * that can run work are {@code idle}, {@code mixed}, {@code allocated} or {@code completing} (a
     * {@code *} suffix means the node does not respond).
     */
    /**
     * Reads {@code sinfo --noheader --Node --format=SINFO_NODE_FORMAT}: one {@link SlurmNode} per node (a node in
     * several partitions is listed once). "Unknown" times and "none" reasons become null.
     */
    static List<SlurmNode> parseSinfoNodes(String stdout) {
        Map<String, SlurmNode> nodes = new TreeMap<>();
        for (String line : stdout.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] field = line.split("\\|", 4);
            if (field.length < 4) {
                throw new SlurmException("unexpected sinfo line (wanted " + SINFO_NODE_FORMAT + "): '" + line + "'");
            }
            String since = field[2].strip();
            String reason = field[3].strip();
            nodes.putIfAbsent(
                    field[0].strip(),
                    new SlurmNode(
                            field[0].strip(),
                            field[1].strip(),
                            since.isEmpty() || "Unknown".equalsIgnoreCase(since) ? null : since,
                            reason.isEmpty() || "none".equalsIgnoreCase(reason) ? null : reason));
        }
        return List.copyOf(nodes.values());
    }

    static boolean anyNodeUsable(String sinfoStates) {
        for (String line : sinfoStates.split("\n")) {
            String state = line.strip();
            if (state.matches("(idle|mixed|allocated|completing|planned)")) {
                return true;
            }
        }
        return false;
    }

    private static int parseInt(String text, String context) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new SlurmException("unexpected number '" + text + "' in '" + context + "'", e);
        }
    }
}

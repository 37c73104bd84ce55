package dev.replica.experiments.metrics;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.regex.Pattern;

/** Rules for metric names and run ids, shared by every way metrics come in. */
public final class MetricNames {
    /** Reserved column name of the step. */
    public static final String STEP = "step";
    /** Reserved column name of the wall-clock time in milliseconds. */
    public static final String TIME_MS = "time_ms";
    /** Longest metric name accepted. */
    public static final int MAX_NAME_LENGTH = 256;
    /**
     * Prefix of the system metrics the workbench samples for every run (CPU, memory, GPU): they measure the
     * machine, not the computation, so reproduction checks and the metric-name cap leave them out.
     */
    public static final String SYSTEM_PREFIX = "sys/";
    /**
     * Distinct {@code sys/} names one run may have, on top of its cap on its own names: enough for CPU, memory and
     * two figures for each of 30 GPUs, and still a bound.
     */
    public static final int MAX_SYSTEM_NAMES = 64;

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private MetricNames() {}

    /** Whether {@code name} is an acceptable metric name; see {@link #requireValid(String)}. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "metric name is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "metric name is longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (name.equals(STEP) || name.equals(TIME_MS) || name.equals("time")) {
            return "metric name '" + name + "' is reserved";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "metric name contains a control character";
            }
        }
        return null;
    }

    /**
     * Checks a metric name: 1 to 256 characters, no control characters, and not one of the reserved
     * names {@code step}, {@code time_ms}, {@code time}.
     *
     * @throws InvalidInputException naming the problem
     */
    public static String requireValid(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new InvalidInputException("metric", problem);
        }
        return name;
    }

    /** Whether {@code name} is a system metric ({@link #SYSTEM_PREFIX}). */
    public static boolean isSystem(String name) {
        return name.startsWith(SYSTEM_PREFIX);
    }

    /**
     * Checks a run id: 1 to 128 characters from {@code [A-Za-z0-9._-]}, not starting with a dot or
     * dash, so that {@code <dir>/<runId>.arrows} can never escape the metrics directory.
     */
    public static String requireValidRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException(
                    "run id must be 1-128 characters of [A-Za-z0-9._-] not starting with '.' or '-': " + runId);
        }
        return runId;
    }
}

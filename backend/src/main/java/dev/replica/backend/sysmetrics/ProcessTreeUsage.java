package dev.replica.backend.sysmetrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * CPU and resident memory of a set of processes (a run's process tree), from one sample to the next.
 *
 * <p>CPU is the processor time the processes used since the previous sample over the wall time between them,
 * in percent of one core (200 = two cores busy), as {@code top} shows it. Time is kept per pid, so a process
 * that exits between samples takes its last interval with it instead of making the sum go backwards, and a
 * process that appeared counts all its time. Memory is the sum of {@code VmRSS} in {@code /proc/PID/status}
 * (Linux only; elsewhere there is no memory figure). Not thread-safe: one instance per sampled run.
 */
final class ProcessTreeUsage {

    private static final Path PROC = Path.of("/proc");

    private Map<Long, Long> previousCpuNanos;
    private long previousAtNanos;

    /** One sample. */
    record Sample(OptionalDouble cpuPercent, OptionalDouble rssMb) {}

    /** Samples {@code pids} at monotonic time {@code nowNanos}; the first sample has no CPU figure. */
    Sample sample(List<Long> pids, long nowNanos) {
        Map<Long, Long> cpu = new HashMap<>();
        long rssKb = 0;
        boolean anyRss = false;
        for (long pid : pids) {
            ProcessHandle.of(pid)
                    .flatMap(p -> p.info().totalCpuDuration())
                    .map(Duration::toNanos)
                    .ifPresent(nanos -> cpu.put(pid, nanos));
            long kb = residentKb(pid);
            if (kb >= 0) {
                rssKb += kb;
                anyRss = true;
            }
        }
        OptionalDouble cpuPercent = OptionalDouble.empty();
        if (previousCpuNanos != null && nowNanos > previousAtNanos) {
            long used = 0;
            for (Map.Entry<Long, Long> e : cpu.entrySet()) {
                used += Math.max(0, e.getValue() - previousCpuNanos.getOrDefault(e.getKey(), 0L));
            }
            cpuPercent = OptionalDouble.of(100.0 * used / (nowNanos - previousAtNanos));
        }
        previousCpuNanos = cpu;
        previousAtNanos = nowNanos;
        return new Sample(cpuPercent, anyRss ? OptionalDouble.of(rssKb / 1024.0) : OptionalDouble.empty());
    }

    /** {@code VmRSS} of {@code pid} in kB, or -1 when it cannot be read (no /proc, process gone, kernel thread). */
    static long residentKb(long pid) {
        try {
            for (String line :
                    Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(
                            line.substring("VmRSS:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            // the process ended while we looked, or this is not Linux
        }
        return -1;
    }
}

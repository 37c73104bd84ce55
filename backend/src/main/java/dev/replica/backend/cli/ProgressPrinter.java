package dev.replica.backend.cli;

import dev.replica.backend.run.RunState;
import dev.replica.backend.scheduler.RunProgress;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Progress of an experiment on the terminal: a redrawn status line with a bar when stdout is a terminal,
 * otherwise one plain line whenever a run finishes (logs and CI stay readable).
 */
final class ProgressPrinter {

    private final PrintWriter out;
    private final int total;
    private final boolean tty = System.console() != null && System.getenv("CI") == null;
    private final long startMs = System.currentTimeMillis();
    private long lastFinished = -1;
    private long lastDraw;

    ProgressPrinter(PrintWriter out, int total) {
        this.out = out;
        this.total = total;
    }

    void update(Map<RunState, Long> counts, List<RunProgress> running) {
        long finished = finished(counts);
        long now = System.currentTimeMillis();
        if (tty) {
            if (now - lastDraw < 200 && finished == lastFinished) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(counts, running, finished, now) + "\u001b[K");
            out.flush();
        } else if (finished != lastFinished) {
            out.println(line(counts, running, finished, now));
            out.flush();
        }
        lastFinished = finished;
    }

    /** Prints a line of its own (e.g. an early-stopping decision) above the progress line. */
    void note(String line) {
        out.println((tty ? "\r\u001b[K" : "") + line);
        out.flush();
        lastDraw = 0; // redraw the progress line below it
    }

    void finish(Map<RunState, Long> counts) {
        if (tty) {
            out.println();
        }
        out.println("Done in " + seconds(System.currentTimeMillis() - startMs) + ": " + describe(counts) + ".");
        out.flush();
    }

    private String line(Map<RunState, Long> counts, List<RunProgress> running, long finished, long now) {
        StringBuilder sb = new StringBuilder();
        sb.append(bar(finished, total))
                .append(' ')
                .append(finished)
                .append('/')
                .append(total)
                .append(" runs  ")
                .append(describe(counts));
        if (finished > 0 && finished < total) {
            long elapsed = now - startMs;
            sb.append("  ETA ").append(seconds(elapsed * (total - finished) / finished));
        }
        for (RunProgress p : running) {
            if (p.fraction() >= 0) {
                sb.append(String.format("  run %d %3.0f%%", p.runId(), 100 * p.fraction()));
            }
        }
        return sb.toString();
    }

    private static String bar(long done, long total) {
        int width = 24;
        int filled = total == 0 ? width : (int) (width * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    private static long finished(Map<RunState, Long> counts) {
        return counts.getOrDefault(RunState.SUCCEEDED, 0L)
                + counts.getOrDefault(RunState.FAILED, 0L)
                + counts.getOrDefault(RunState.CANCELLED, 0L)
                + counts.getOrDefault(RunState.PRUNED, 0L);
    }

    private static String describe(Map<RunState, Long> counts) {
        StringBuilder sb = new StringBuilder();
        for (RunState s : RunState.values()) {
            long n = counts.getOrDefault(s, 0L);
            if (n > 0) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(n).append(' ').append(s.name().toLowerCase());
            }
        }
        return sb.isEmpty() ? "no runs" : sb.toString();
    }

    private static String seconds(long ms) {
        long s = ms / 1000;
        return s >= 60
                ? (s / 60) + "m" + (s % 60) + "s"
                : (ms < 10_000 ? String.format("%.1fs", ms / 1000.0) : s + "s");
    }
}

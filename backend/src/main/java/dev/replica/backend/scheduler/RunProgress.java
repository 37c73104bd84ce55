package dev.replica.backend.scheduler;

/** A running run's progress as its kind reports it (done of total, in the kind's unit), and when it started. */
public record RunProgress(long runId, long done, long total, long startedAtMs) {

    /** Fraction done in [0, 1], or -1 when the kind has not reported a total. */
    public double fraction() {
        return total <= 0 ? -1 : Math.min(1.0, (double) done / total);
    }
}

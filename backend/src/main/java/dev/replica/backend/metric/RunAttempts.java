package dev.replica.backend.metric;

import dev.replica.backend.run.RunEvent;
import dev.replica.backend.run.RunRepository;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.spec.InvalidInputException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The attempts of a run, derived rather than stored (ADR 0008): attempt N is the N-th start of the run
 * (its N-th RUNNING event) and ends with the next event that leaves RUNNING. The latest attempt's metrics
 * are {@code metrics/<run>.arrows}; an earlier attempt N's are {@code metrics/<run>.attempt-N.arrows},
 * set aside by {@link MetricService#startAttempt} when attempt N+1 starts.
 */
@ApplicationScoped
public class RunAttempts {

    @Inject
    RunRepository runs;

    @Inject
    MetricStore store;

    /** One execution of a run; {@code ended}, {@code reason} are null while it runs. */
    public record Attempt(
            int number, String state, Instant started, Instant ended, String reason, long points, boolean latest) {}

    /** Every attempt of the run, oldest first; empty when it never started; absent when there is no such run. */
    public Optional<List<Attempt>> list(long runId) {
        Optional<List<Step>> history = QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(runId)
                        .map(r -> runs.findEvents(runId).stream()
                                .sorted(Comparator.comparing((RunEvent e) -> e.at)
                                        .thenComparing(e -> e.id))
                                .map(e -> new Step(e.fromState, e.toState, e.message, e.at))
                                .toList()));
        return history.map(steps -> fromHistory(runId, steps));
    }

    /** Like {@link #list} for a run that must exist. */
    public List<Attempt> require(long runId) {
        return list(runId).orElseThrow(() -> new NotFoundException("no run with id " + runId));
    }

    /** The number of the run's latest attempt: how many times it started (at least 1, for metrics logged unstarted). */
    public int latest(long runId) {
        return Math.max(1, require(runId).size());
    }

    /**
     * The metric-store key holding attempt {@code attempt} of the run; null means the latest.
     *
     * @throws InvalidInputException naming the attempt when the run has no such attempt
     */
    public String metricKey(long runId, Integer attempt) {
        String key = Long.toString(runId);
        if (attempt == null) {
            return key;
        }
        int latest = latest(runId);
        if (attempt < 1 || attempt > latest) {
            throw new InvalidInputException(
                    "attempt", "attempt must be in [1, " + latest + "] for run " + runId + ", got " + attempt);
        }
        return attempt == latest ? key : attemptKey(runId, attempt);
    }

    /** The key an earlier attempt's metrics are kept under. */
    public static String attemptKey(long runId, int attempt) {
        return runId + ".attempt-" + attempt;
    }

    private record Step(RunState from, RunState to, String message, Instant at) {}

    private List<Attempt> fromHistory(long runId, List<Step> steps) {
        List<Attempt> out = new ArrayList<>();
        Step start = null;
        for (Step s : steps) {
            if (s.to() == RunState.RUNNING) {
                if (start != null) { // a start with no recorded end: an imported or damaged history
                    out.add(attempt(out.size() + 1, start, null));
                }
                start = s;
            } else if (start != null) {
                out.add(attempt(out.size() + 1, start, s));
                start = null;
            }
        }
        if (start != null) {
            out.add(attempt(out.size() + 1, start, null));
        }
        if (out.isEmpty() && store.exists(Long.toString(runId))) {
            // metrics logged over REST for a run no scheduler started: one attempt, still open
            out.add(new Attempt(1, RunState.QUEUED.name(), null, null, null, points(Long.toString(runId)), true));
        }
        int latest = out.size();
        List<Attempt> numbered = new ArrayList<>();
        for (Attempt a : out) {
            boolean isLatest = a.number() == latest;
            String key = isLatest ? Long.toString(runId) : attemptKey(runId, a.number());
            numbered.add(new Attempt(a.number(), a.state(), a.started(), a.ended(), a.reason(), points(key), isLatest));
        }
        return numbered;
    }

    private static Attempt attempt(int number, Step start, Step end) {
        return end == null
                ? new Attempt(number, RunState.RUNNING.name(), start.at(), null, null, 0, false)
                : new Attempt(number, end.to().name(), start.at(), end.at(), end.message(), 0, false);
    }

    private long points(String key) {
        return store.exists(key) ? store.rowCount(key) : 0;
    }
}

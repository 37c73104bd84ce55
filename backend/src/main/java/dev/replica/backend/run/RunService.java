package dev.replica.backend.run;

import dev.replica.backend.event.RunEventBus;
import dev.replica.backend.executor.Outcome;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.StaleObjectStateException;

/**
 * Every state change of runs: each is stored with its event in its own transaction and published to
 * live watchers after commit. Claims use the run's version, so two schedulers (a server and a CLI on the
 * same database) never start the same run.
 */
@ApplicationScoped
public class RunService {

    @Inject
    RunRepository runs;

    @Inject
    RunEventBus bus;

    Clock clock = Clock.systemUTC();

    /**
     * {@code replica.slurm.retry-backoff}: how long a Slurm run's first automatic retry waits before it is
     * claimed again, doubling with each further retry up to {@code replica.slurm.retry-backoff-max} (default 30
     * min), so a node failure or a slurmd outage does not burn every retry within a second. {@code 0s} retries at
     * once. Default 30s.
     */
    @ConfigProperty(name = "replica.slurm.retry-backoff", defaultValue = "30s")
    Duration slurmRetryBackoff = Duration.ofSeconds(30);

    @ConfigProperty(name = "replica.slurm.retry-backoff-max", defaultValue = "30m")
    Duration slurmRetryBackoffMax = Duration.ofMinutes(30);

    /** Executor name of runs submitted to Slurm (see {@code SlurmExecutor}). */
    static final String SLURM_EXECUTOR = "slurm";

    /** Executor of runs an external tracking client (MLflow's) owns and ends; recovery leaves them alone. */
    public static final String EXTERNAL_EXECUTOR = "mlflow";

    /** What a transition did, for publishing after commit. */
    private record Change(long runId, long experimentId, RunState from, RunState to, String message, Instant at) {}

    /**
     * Moves a run to {@code target}, recording why.
     *
     * @return the new state, or empty when no run has this id
     * @throws IllegalTransitionException when the life cycle does not allow it
     */
    public Optional<RunState> transition(long runId, RunState target, String why) {
        Optional<Change> change = retryingConflicts(() ->
                QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId).map(r -> apply(r, target, why))));
        change.ifPresent(this::publish);
        return change.map(Change::to);
    }

    /** The experiment a run belongs to; empty when no run has this id. */
    public Optional<Long> experimentOf(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId).map(r -> r.experiment.id));
    }

    /** A run's state; empty when no run has this id. */
    public Optional<RunState> stateOf(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId).map(r -> r.state));
    }

    /** A run's state and owner in words ("RUNNING held by host:pid:boot"), or "gone". */
    public String describe(long runId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(runId)
                        .map(r -> r.state + (r.owner == null ? "" : " held by " + r.owner))
                        .orElse("gone"));
    }

    /** QUEUED → RUNNING for {@code owner}; empty when another scheduler claimed it first or it is not QUEUED. */
    public Optional<Run> claim(long runId, String owner, String executor) {
        try {
            Optional<Change> change = QuarkusTransaction.requiringNew().call(() -> {
                Run r = runs.findRun(runId).orElse(null);
                if (r == null || r.state != RunState.QUEUED) {
                    return Optional.<Change>empty();
                }
                Change c = apply(r, RunState.RUNNING, "started by " + owner + " (" + executor + ")");
                r.owner = owner;
                r.executor = executor;
                r.exitCode = null;
                runs.flush();
                return Optional.of(c);
            });
            change.ifPresent(this::publish);
            return change.isPresent()
                    ? QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId))
                    : Optional.empty();
        } catch (RuntimeException e) {
            if (isOptimisticLockFailure(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Whether {@code e} is a lost optimistic race on a run's version (another process changed the run
     * first). The conflict may surface at commit, where the transaction manager reports it as a
     * suppressed exception of its rollback, so causes and suppressed exceptions are both searched.
     */
    static boolean isOptimisticLockFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleObjectStateException) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (isOptimisticLockFailure(s)) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Runs a read-modify-write of a run again when another process changed the run in between (for
     * instance a scheduler claiming it while a user cancels it), so callers see the outcome on the
     * run's current state instead of a conflict error.
     */
    private static <T> T retryingConflicts(java.util.function.Supplier<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return change.get();
            } catch (RuntimeException e) {
                if (attempt >= 5 || !isOptimisticLockFailure(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Claims several runs for one submission (a Slurm job array): each claim is the same optimistic
     * QUEUED → RUNNING as {@link #claim}, so a run another scheduler took first is simply left out.
     *
     * @return the runs won, in the order asked
     */
    public List<Run> claimAll(List<Long> runIds, String owner, String executor) {
        List<Run> won = new ArrayList<>();
        for (long id : runIds) {
            claim(id, owner, executor).ifPresent(won::add);
        }
        return won;
    }

    /**
     * Hands a RUNNING run from the process that claimed it to the process that executes it (a Slurm array
     * task's {@code replica worker}): succeeds only while the run is RUNNING and still held by
     * {@code expectedOwner}, so a run that recovery re-queued after its submitter died (or that another
     * worker took) is never run twice. The heartbeat starts afresh under {@code newOwner}.
     *
     * @return the run, or empty when it is not RUNNING under {@code expectedOwner}
     */
    public Optional<Run> adopt(long runId, String expectedOwner, String newOwner) {
        try {
            boolean adopted = QuarkusTransaction.requiringNew().call(() -> {
                Run r = runs.findRun(runId).orElse(null);
                if (r == null || r.state != RunState.RUNNING || !expectedOwner.equals(r.owner)) {
                    return false;
                }
                r.owner = newOwner;
                r.heartbeatAt = clock.instant();
                runs.flush();
                return true;
            });
            return adopted ? QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId)) : Optional.empty();
        } catch (RuntimeException e) {
            if (isOptimisticLockFailure(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * RUNNING → the outcome's state; a FAILED or INTERRUPTED run with retries left is queued again.
     *
     * @return the run's state afterwards
     */
    public RunState finish(long runId, Outcome outcome) {
        List<Change> changes = QuarkusTransaction.requiringNew().call(() -> {
            List<Change> out = new ArrayList<>();
            Run r = runs.findRun(runId).orElseThrow();
            if (r.state != RunState.RUNNING) {
                return out; // cancelled or recovered meanwhile: the stored state stands
            }
            Outcome result = outcome;
            if (outcome.state() == RunState.INTERRUPTED && r.cancelRequested) {
                // stopped because it was asked to be cancelled (e.g. scancel of its Slurm task): not a retry
                result = Outcome.cancelled(r.message == null ? "cancelled on request" : r.message);
            }
            if (r.prunedAtResource != null && result.state() == RunState.SUCCEEDED) {
                // its configuration was pruned while it ran: it ends with the decision, however close to the end
                result = Outcome.pruned(r.message);
            }
            out.add(apply(r, result.state(), result.message()));
            r.exitCode = result.exitCode();
            maybeRetry(r, out);
            return out;
        });
        changes.forEach(this::publish);
        return QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId).orElseThrow().state);
    }

    /**
     * Cancels a run: QUEUED (or FAILED/INTERRUPTED awaiting nothing) ends CANCELLED at once; a RUNNING run
     * gets {@code cancel_requested}, which its owner acts on.
     *
     * @return the state after the request, empty when no run has this id
     */
    public Optional<RunState> requestCancel(long runId, String why) {
        Optional<Change> change = retryingConflicts(() -> QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(runId).map(r -> {
                    if (r.state == RunState.RUNNING) {
                        r.cancelRequested = true;
                        r.message = why; // the owner ends the run with this reason
                        return new Change(r.id, r.experiment.id, r.state, r.state, why, clock.instant());
                    }
                    if (r.state.canTransitionTo(RunState.CANCELLED)) {
                        return apply(r, RunState.CANCELLED, why);
                    }
                    return new Change(r.id, r.experiment.id, r.state, r.state, why, clock.instant());
                })));
        change.filter(c -> c.from() != c.to()).ifPresent(this::publish);
        return change.map(Change::to);
    }

    /**
     * Replaces the message of a RUNNING run without changing its state, e.g. "waiting: node n1 down since …"
     * while its Slurm task waits on a failed node; does nothing once the run has ended.
     */
    public void note(long runId, String message) {
        // a bulk update leaves the version alone: a worker finishing the run meanwhile must not fail its commit
        QuarkusTransaction.requiringNew()
                .run(() -> Run.update("message = ?1 where id = ?2 and state = ?3", message, runId, RunState.RUNNING));
    }

    /**
     * Early stopping decided against a run's configuration at the rung at {@code resource}: a QUEUED run ends
     * PRUNED at once; a RUNNING run keeps the rung, and its owner stops it (ending PRUNED with the reason).
     * Finished runs keep their state.
     *
     * @return the state after the decision, empty when no run has this id
     */
    public Optional<RunState> prune(long runId, long resource, String why) {
        Optional<Change> change = retryingConflicts(() -> QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(runId).map(r -> {
                    if (r.state == RunState.RUNNING) {
                        r.prunedAtResource = resource;
                        r.message = why; // the owner ends the run PRUNED with this reason
                    }
                    if (r.state == RunState.QUEUED) {
                        r.prunedAtResource = resource;
                        return apply(r, RunState.PRUNED, why);
                    }
                    return new Change(r.id, r.experiment.id, r.state, r.state, why, clock.instant());
                })));
        change.filter(c -> c.from() != c.to()).ifPresent(this::publish);
        return change.map(Change::to);
    }

    /** Puts a FAILED, CANCELLED or INTERRUPTED run back in the queue (manual retry). */
    public Optional<RunState> retry(long runId, String why) {
        return transition(runId, RunState.QUEUED, why);
    }

    /**
     * Records that {@code owner} is alive and still runs these runs (those it still holds).
     *
     * @return the runs among them whose cancel was requested, with the reason given
     */
    public java.util.Map<Long, String> heartbeat(String owner, Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return java.util.Map.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Run.update(
                    "heartbeatAt = ?1 where owner = ?2 and id in ?3 and state = ?4",
                    clock.instant(),
                    owner,
                    List.copyOf(runIds),
                    RunState.RUNNING);
            java.util.Map<Long, String> cancelled = new java.util.HashMap<>();
            // not only the owner's: a submitter follows array runs that a worker took over, and cancels their tasks
            for (Run r : Run.<Run>list(
                    "id in ?1 and state = ?2 and cancelRequested = true", List.copyOf(runIds), RunState.RUNNING)) {
                cancelled.put(r.id, r.message == null ? "cancelled on request" : r.message);
            }
            return cancelled;
        });
    }

    /** The runs among {@code runIds} that are still RUNNING under {@code owner} (not recovered meanwhile). */
    public java.util.Set<Long> stillHeld(String owner, Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return java.util.Set.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            java.util.Set<Long> out = new java.util.HashSet<>();
            for (Run r : Run.<Run>list(
                    "id in ?1 and state = ?2 and owner = ?3", List.copyOf(runIds), RunState.RUNNING, owner)) {
                out.add(r.id);
            }
            return out;
        });
    }

    /**
     * Records the Slurm job array whose tasks run these RUNNING runs (its id and folder), so that recovery can
     * adopt the array if the submitter dies instead of submitting a second one.
     */
    public void recordSlurmJob(Collection<Long> runIds, String jobId, String jobDir) {
        if (runIds.isEmpty()) {
            return;
        }
        // a bulk update leaves the version alone: a worker taking a run over meanwhile must not fail its commit
        QuarkusTransaction.requiringNew()
                .run(() -> Run.update(
                        "slurmJobId = ?1, slurmJobDir = ?2 where id in ?3 and state = ?4",
                        jobId,
                        jobDir,
                        List.copyOf(runIds),
                        RunState.RUNNING));
    }

    /** A RUNNING Slurm array task whose owner stopped heart-beating: what recovery needs to adopt its array. */
    public record StaleArrayRun(
            long runId, long experimentId, String owner, Instant heartbeatAt, String jobId, String jobDir) {}

    /** The RUNNING runs with a recorded Slurm job whose owner has not heart-beaten for {@code stale}. */
    public List<StaleArrayRun> staleArrayRuns(Duration stale) {
        Instant cutoff = clock.instant().minus(stale);
        return QuarkusTransaction.requiringNew()
                .call(() -> Run.<Run>list(
                                "state = ?1 and slurmJobId is not null and (heartbeatAt is null or heartbeatAt < ?2)",
                                RunState.RUNNING,
                                cutoff)
                        .stream()
                        .map(r -> new StaleArrayRun(
                                r.id, r.experiment.id, r.owner, r.heartbeatAt, r.slurmJobId, r.slurmJobDir))
                        .toList());
    }

    /**
     * Recovery after a crash: RUNNING runs whose owner has not heart-beaten for {@code stale} become
     * INTERRUPTED and, with retries left, QUEUED again; those whose cancel was requested end CANCELLED.
     *
     * @return how many runs were recovered
     */
    public int recoverStale(Duration stale) {
        return recoverStale(stale, java.util.Set.of());
    }

    /**
     * As {@link #recoverStale(Duration)}, leaving {@code spared} alone: Slurm array tasks that are still alive
     * (adopted by this process, or left for a process that follows arrays), which must not run a second time.
     */
    public int recoverStale(Duration stale, java.util.Set<Long> spared) {
        Instant cutoff = clock.instant().minus(stale);
        List<Change> changes =
                retryingConflicts(() -> QuarkusTransaction.requiringNew().call(() -> {
                    List<Change> out = new ArrayList<>();
                    // runs created through the MLflow API have no Replica owner to heartbeat: their client ends them
                    for (Run r : Run.<Run>list(
                            "state = ?1 and (heartbeatAt is null or heartbeatAt < ?2)"
                                    + " and (executor is null or executor <> ?3)",
                            RunState.RUNNING,
                            cutoff,
                            EXTERNAL_EXECUTOR)) {
                        if (spared.contains(r.id)) {
                            continue;
                        }
                        if (r.cancelRequested) {
                            // a cancel recorded before the owner died is honoured, never turned into a retry
                            out.add(apply(
                                    r, RunState.CANCELLED, r.message == null ? "cancelled on request" : r.message));
                            continue;
                        }
                        out.add(apply(
                                r,
                                RunState.INTERRUPTED,
                                "owner " + r.owner + " stopped (no heartbeat since " + r.heartbeatAt + "); recovered"));
                        maybeRetry(r, out);
                    }
                    return out;
                }));
        changes.forEach(this::publish);
        return (int) changes.stream().filter(c -> c.from() == RunState.RUNNING).count();
    }

    private void maybeRetry(Run r, List<Change> out) {
        boolean retryable = r.state == RunState.FAILED || r.state == RunState.INTERRUPTED;
        if (retryable && r.attempt < r.maxRetries) {
            Duration wait = retryBackoff(r);
            String why = "retry " + (r.attempt + 1) + " of " + r.maxRetries;
            if (wait.isZero()) {
                out.add(apply(r, RunState.QUEUED, why));
                return;
            }
            Change queued = apply(r, RunState.QUEUED, why + " in " + wait.toSeconds() + " s (Slurm back-off)");
            r.notBefore = queued.at().plus(wait);
            out.add(queued);
        }
    }

    /** Slurm runs: base × 2^(retries so far), at most the maximum; other executors retry at once. */
    private Duration retryBackoff(Run r) {
        if (!SLURM_EXECUTOR.equals(r.executor) || slurmRetryBackoff.isZero() || slurmRetryBackoff.isNegative()) {
            return Duration.ZERO;
        }
        Duration wait = slurmRetryBackoff;
        for (int i = 0; i < r.attempt && wait.compareTo(slurmRetryBackoffMax) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(slurmRetryBackoffMax) > 0 ? slurmRetryBackoffMax : wait;
    }

    private Change apply(Run r, RunState target, String why) {
        RunState from = r.state;
        Instant now = clock.instant();
        r.transitionTo(target, why, now).persist();
        return new Change(r.id, r.experiment.id, from, target, why, now);
    }

    private void publish(Change c) {
        bus.state(
                c.runId(),
                c.experimentId(),
                c.from() == null ? null : c.from().name(),
                c.to().name(),
                c.message(),
                c.at());
    }
}

package dev.replica.backend.scheduler;

import static dev.replica.backend.db.Tables.RUN;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.event.RunEventBus;
import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.executor.Outcome;
import dev.replica.backend.executor.RunExecutor;
import dev.replica.backend.executor.RunLaunch;
import dev.replica.backend.executor.SlurmExecutor;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunRepository;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.spec.ExperimentSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * Takes QUEUED runs from the database by priority and age, within the concurrency limits and the free GPU
 * slots, and hands each to the executor for its kind on a worker thread; the queued runs of an
 * {@code executor: slurm} experiment go out together as one Slurm job array. Runs it owns are heart-beaten;
 * cancel requests and timeouts stop them through their {@link CancellationToken}; on start, runs orphaned by
 * a crashed process are recovered. The queue lives in the database, so a server and CLIs can share it.
 * {@link #work} runs one given run in the foreground: what {@code replica worker} does.
 */
@ApplicationScoped
public class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    @Inject
    SchedulerConfig config;

    @Inject
    RunService runService;

    @Inject
    RunRepository runs;

    @Inject
    ExperimentService experiments;

    @Inject
    dev.replica.backend.experiment.ExperimentRepository experimentRepository;

    @Inject
    MetricService metrics;

    @Inject
    RunEventBus bus;

    @Inject
    dev.replica.backend.manifest.ManifestService manifests;

    @Inject
    ReplicaHome home;

    @Inject
    DSLContext dsl;

    @Inject
    Instance<RunExecutor> executors;

    @Inject
    SlurmExecutor slurm;

    @Inject
    MachineGpus gpus;

    private final String owner = ownerName();
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final Map<Long, ExperimentSpec> specs = new ConcurrentHashMap<>();
    private ExecutorService workers;
    private ExecutorService arrays;
    private ScheduledExecutorService timers;
    private volatile boolean background;
    private volatile CancellationToken.Reason stopReason = CancellationToken.Reason.SHUTDOWN;
    private long lastHeartbeat;
    private volatile int maxConcurrent = 1;

    /**
     * A run this process is executing, or following as a task of a Slurm array it submitted ({@code local}
     * false: it takes no local slot). {@code metrics} is the sink this process writes for it, if any.
     */
    private record Running(
            long runId,
            long experimentId,
            CancellationToken token,
            ScheduledFuture<?> timeout,
            RunProgress[] progress,
            List<Integer> gpus,
            boolean local,
            MetricSink metrics) {}

    void onStart(@Observes @Priority(10) StartupEvent event) {
        maxConcurrent = Math.max(1, config.maxConcurrent());
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "replica-run");
            t.setDaemon(true);
            return t;
        });
        arrays = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "replica-slurm-array");
            t.setDaemon(true);
            return t;
        });
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replica-scheduler");
            t.setDaemon(true);
            return t;
        });
        bus.experimentLookup(runId -> QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(runId).map(r -> r.experiment.id).orElse(-1L)));
        int recovered = runService.recoverStale(config.staleAfter());
        if (recovered > 0) {
            LOG.infof("recovered %d run(s) left RUNNING by a stopped process", recovered);
        }
        if (config.enabled()) {
            startBackground();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        background = false;
        stopAll(
                stopReason,
                stopReason == CancellationToken.Reason.CANCELLED ? "cancelled (Ctrl-C)" : "server shut down");
        if (workers != null) {
            workers.shutdown();
            try {
                workers.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            arrays.shutdown();
            try {
                arrays.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timers.shutdownNow();
        }
    }

    /** The background loop of {@code replica serve}: poll the queue until shutdown. */
    public void startBackground() {
        background = true;
        timers.scheduleWithFixedDelay(
                () -> {
                    try {
                        tick(null);
                    } catch (RuntimeException e) {
                        LOG.error("scheduler tick failed", e);
                    }
                },
                0,
                config.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** What a CLI-driven pass over one experiment ended with. */
    public record Summary(Map<RunState, Long> byState) {}

    /**
     * Runs the queued runs of one experiment in the foreground until none is queued or running, calling
     * {@code onTick} with the progress of running runs after each poll.
     */
    public Summary runExperiment(long experimentId, java.util.function.Consumer<List<RunProgress>> onTick)
            throws InterruptedException {
        boolean runnable = executorFor(spec(experimentId)).isPresent();
        while (true) {
            if (runnable) {
                tick(experimentId);
            }
            onTick.accept(progress());
            Map<RunState, Long> states = statesOf(experimentId);
            long waiting = (runnable ? states.getOrDefault(RunState.QUEUED, 0L) : 0L)
                    + states.getOrDefault(RunState.RUNNING, 0L);
            if (waiting == 0 && running.isEmpty()) {
                return new Summary(states);
            }
            Thread.sleep(config.pollInterval().toMillis());
        }
    }

    /** Changes how many runs execute here at once (tests; otherwise {@code replica.scheduler.max-concurrent}). */
    void maxConcurrent(int value) {
        maxConcurrent = Math.max(1, value);
    }

    /** The reason given to runs still running when the application stops (CLI Ctrl-C: CANCELLED). */
    public void stopReason(CancellationToken.Reason reason) {
        this.stopReason = reason;
    }

    /** Whether some executor of this build can run the kind. */
    public boolean canRun(String kind) {
        return executorFor(kind).isPresent();
    }

    public List<RunProgress> progress() {
        List<RunProgress> out = new ArrayList<>();
        for (Running r : running.values()) {
            out.add(r.progress()[0]);
        }
        out.sort(java.util.Comparator.comparingLong(RunProgress::runId));
        return out;
    }

    /**
     * Cancels a run: stops it here if this process runs it, otherwise records the request (QUEUED runs end
     * CANCELLED at once; a run owned by another process is stopped by that process).
     */
    public Optional<RunState> cancel(long runId, String why) {
        Optional<RunState> state = runService.requestCancel(runId, why);
        Running r = running.get(runId);
        if (r != null) {
            r.token().cancel(CancellationToken.Reason.CANCELLED, why);
        }
        return state;
    }

    /** One pass: heartbeat, honour cancel requests, start runs in free slots, submit Slurm arrays. */
    synchronized void tick(Long experimentId) {
        heartbeat();
        int free = maxConcurrent
                - (int) running.values().stream().filter(Running::local).count();
        java.util.Set<Long> submitted = new java.util.HashSet<>();
        for (QueuedRun q : queued(experimentId, Math.max(free, 1) * 4 + 100)) {
            ExperimentSpec spec = spec(q.experimentId());
            Optional<RunExecutor> executor = executorFor(spec);
            if (executor.isEmpty()) {
                continue;
            }
            if (executor.get() == slurm) {
                if (submitted.add(q.experimentId())) {
                    submitArray(q.experimentId(), spec);
                }
                continue;
            }
            if (free <= 0 || !withinExperimentLimit(q.experimentId(), spec)) {
                continue;
            }
            int need = spec.resources().gpus();
            if (need > 0 && need > gpus.count()) {
                runService
                        .claim(q.runId(), owner, executor.get().name())
                        .ifPresent(r -> runService.finish(
                                q.runId(),
                                Outcome.failed(
                                        null,
                                        "resources.gpus: each run needs " + need + " GPU" + (need == 1 ? "" : "s")
                                                + " but this machine has " + gpus.count())));
                continue;
            }
            Optional<List<Integer>> slots =
                    need == 0 ? Optional.of(List.of()) : gpus.slots().acquire(need);
            if (slots.isEmpty()) {
                continue; // waits QUEUED until a running run gives its GPUs back
            }
            Optional<Run> claimed =
                    runService.claim(q.runId(), owner, executor.get().name());
            if (claimed.isEmpty()) {
                release(slots.get());
                continue;
            }
            launch(q.runId(), q.experimentId(), spec, executor.get(), slots.get());
            free--;
        }
    }

    /** Marks the runs held here alive; stops those whose cancel was asked for meanwhile. */
    private void heartbeat() {
        long now = System.currentTimeMillis();
        if (!running.isEmpty()
                && now - lastHeartbeat >= config.heartbeatInterval().toMillis()) {
            lastHeartbeat = now;
            runService.heartbeat(owner, running.keySet()).forEach((id, why) -> {
                Running r = running.get(id);
                if (r != null) {
                    r.token().cancel(CancellationToken.Reason.CANCELLED, why);
                }
            });
        }
    }

    /** Thrown by {@link #work} when the run cannot be taken: what it is doing instead. */
    public static final class WorkRefused extends Exception {
        WorkRefused(String message) {
            super(message);
        }
    }

    /**
     * Runs one run in this process in the foreground, heart-beating it: claims it when QUEUED, or, with
     * {@code heldBy}, takes it over from the scheduler that claimed it for a Slurm array (see
     * {@link RunService#adopt}). Built-in kinds run in-process, commands as a child process.
     *
     * @return the run's state afterwards
     * @throws WorkRefused when the run is not QUEUED (or not held by {@code heldBy})
     */
    public RunState work(long runId, String heldBy) throws WorkRefused, InterruptedException {
        Optional<Long> experimentId =
                QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId).map(r -> r.experiment.id));
        if (experimentId.isEmpty()) {
            throw new WorkRefused("no run with id " + runId);
        }
        ExperimentSpec spec = spec(experimentId.get());
        RunExecutor executor = config.executors().stream()
                .flatMap(name ->
                        executors.stream().filter(x -> x.name().equals(name) && x != slurm && x.supports(spec.kind())))
                .findFirst()
                .or(() -> executors.stream()
                        .filter(x -> x != slurm && x.supports(spec.kind()))
                        .findFirst())
                .orElseThrow(() -> new WorkRefused("no executor of this build runs kind " + spec.kind()));
        Optional<Run> taken = heldBy == null
                ? runService.claim(runId, owner, executor.name())
                : runService.adopt(runId, heldBy, owner);
        if (taken.isEmpty()) {
            String now = QuarkusTransaction.requiringNew()
                    .call(() -> runs.findRun(runId)
                            .map(r -> r.state + (r.owner == null ? "" : " held by " + r.owner))
                            .orElse("gone"));
            throw new WorkRefused("run " + runId + " is " + now
                    + (heldBy == null
                            ? "; only a QUEUED run can be claimed"
                            : "; it is no longer held by " + heldBy + ", so it is not run here"));
        }
        launch(runId, experimentId.get(), spec, executor, List.of());
        while (running.containsKey(runId)) {
            heartbeat();
            Thread.sleep(Math.min(200, config.pollInterval().toMillis()));
        }
        return QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId).orElseThrow().state);
    }

    private boolean withinExperimentLimit(long experimentId, ExperimentSpec spec) {
        OptionalInt limit = spec.concurrency() != null ? OptionalInt.of(spec.concurrency()) : config.maxPerExperiment();
        if (limit.isEmpty()) {
            return true;
        }
        long n = running.values().stream()
                .filter(r -> r.experimentId() == experimentId)
                .count();
        return n < limit.getAsInt();
    }

    /** The run's folder, a fresh metric attempt and what its executor needs. */
    private RunLaunch prepare(long runId, ExperimentSpec spec, List<Integer> slots) {
        Path runDir = home.artifacts().resolve(Long.toString(runId));
        try {
            Files.createDirectories(runDir);
            metrics.startAttempt(runId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + runDir, e);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Run run = runs.findRun(runId).orElseThrow();
            Map<String, Object> params = new LinkedHashMap<>();
            run.params.forEach(p -> params.put(p.name, p.value()));
            String dir = run.experiment.specDir;
            return new RunLaunch(
                    run.id,
                    run.experiment.name,
                    spec,
                    params,
                    run.seed,
                    dir == null ? null : Path.of(dir),
                    runDir,
                    slots);
        });
    }

    /**
     * Registers a run as held here. A local run gets its {@code timeout:} timer; an array task does not, since
     * its run may wait in Slurm's queue: there {@code --time} and the worker's own timer apply.
     */
    private Running track(
            long runId, long experimentId, ExperimentSpec spec, List<Integer> slots, boolean local, MetricSink sink) {
        CancellationToken token = new CancellationToken();
        ScheduledFuture<?> timeout = null;
        Duration limit = spec.timeout();
        if (limit != null && local) {
            timeout = timers.schedule(
                    () -> token.cancel(
                            CancellationToken.Reason.TIMED_OUT,
                            "timed out after " + dev.replica.experiments.spec.Durations.format(limit)),
                    limit.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        RunProgress[] progress = {new RunProgress(runId, 0, 0, System.currentTimeMillis())};
        Running r = new Running(runId, experimentId, token, timeout, progress, slots, local, sink);
        running.put(runId, r);
        return r;
    }

    private void recordManifest(RunLaunch launch, long experimentId, RunExecutor executor) {
        try {
            String[] source = QuarkusTransaction.requiringNew().call(() -> {
                var e = experimentRepository.findExperiment(experimentId).orElseThrow();
                return new String[] {e.specText, e.specJson};
            });
            manifests.record(launch, executor, source[0], source[1]);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("run %d: manifest not recorded: %s", launch.runId(), e.getMessage());
        }
    }

    private void launch(long runId, long experimentId, ExperimentSpec spec, RunExecutor executor, List<Integer> slots) {
        RunLaunch launch;
        try {
            launch = prepare(runId, spec, slots);
        } catch (RuntimeException e) {
            release(slots);
            runService.finish(runId, Outcome.failed(null, "cannot start: " + e.getMessage()));
            return;
        }
        Running r = track(runId, experimentId, spec, slots, true, metrics.sink(runId));
        workers.submit(() -> {
            recordManifest(launch, experimentId, executor);
            execute(launch, executor, r);
        });
    }

    private void execute(RunLaunch launch, RunExecutor executor, Running r) {
        CancellationToken token = r.token();
        RunProgress[] progress = r.progress();
        Outcome outcome;
        try {
            outcome = executor.execute(
                    launch,
                    r.metrics(),
                    token,
                    (id, done, total) -> progress[0] = new RunProgress(id, done, total, progress[0].startedAtMs()));
        } catch (Exception | Error e) {
            outcome = token.isCancelled()
                    ? token.outcome()
                    : Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            LOG.debugf(e, "run %d failed", launch.runId());
        }
        complete(launch.runId(), outcome);
    }

    /**
     * Claims every queued run of a Slurm experiment and submits them as one job array, followed on a thread
     * of its own; the runs stay held (and heart-beaten) here until their tasks end or a worker takes them.
     */
    private void submitArray(long experimentId, ExperimentSpec spec) {
        List<Long> ids =
                queued(experimentId, 100_000).stream().map(QueuedRun::runId).toList();
        List<Run> won = runService.claimAll(ids, owner, slurm.name());
        if (won.isEmpty()) {
            return;
        }
        boolean command = dev.replica.experiments.kind.KindRegistry.COMMAND.equals(spec.kind());
        List<SlurmExecutor.ArrayRun> tasks = new ArrayList<>();
        for (Run run : won) {
            RunLaunch launch;
            try {
                launch = prepare(run.id, spec, List.of());
            } catch (RuntimeException e) {
                runService.finish(run.id, Outcome.failed(null, "cannot start: " + e.getMessage()));
                continue;
            }
            Running r = track(run.id, experimentId, spec, List.of(), false, command ? metrics.sink(run.id) : null);
            recordManifest(launch, experimentId, slurm);
            tasks.add(new SlurmExecutor.ArrayRun(launch, r.metrics(), r.token()));
        }
        if (tasks.isEmpty()) {
            return;
        }
        String name = "replica-" + experimentId + "-" + System.currentTimeMillis();
        Integer max = spec.concurrency() != null
                ? spec.concurrency()
                : config.maxPerExperiment().isPresent()
                        ? Integer.valueOf(config.maxPerExperiment().getAsInt())
                        : null;
        SlurmExecutor.ArrayJob job =
                new SlurmExecutor.ArrayJob(name, home.root().resolve("slurm").resolve(name), owner, tasks, max);
        arrays.submit(() -> {
            try {
                slurm.executeArray(job, this::complete);
            } catch (Exception | Error e) {
                LOG.warnf(e, "Slurm job array %s failed", name);
                for (SlurmExecutor.ArrayRun t : tasks) {
                    if (running.containsKey(t.launch().runId())) {
                        complete(
                                t.launch().runId(),
                                Outcome.failed(null, "Slurm job array " + name + " failed: " + e.getMessage()));
                    }
                }
            }
        });
    }

    /** A run held here has ended: its metrics sealed, its outcome stored, its slots given back. */
    private void complete(long runId, Outcome outcome) {
        Running r = running.get(runId);
        try {
            if (r != null && r.metrics() != null) {
                try {
                    r.metrics().close();
                } catch (RuntimeException e) {
                    LOG.warnf("run %d: metrics not flushed: %s", runId, e.getMessage());
                }
                metrics.closeRun(runId);
            }
            runService.finish(runId, outcome);
        } finally {
            running.remove(runId);
            if (r != null) {
                if (r.timeout() != null) {
                    r.timeout().cancel(false);
                }
                release(r.gpus());
            }
        }
    }

    private void release(List<Integer> slots) {
        if (!slots.isEmpty()) {
            gpus.slots().release(slots);
        }
    }

    private void stopAll(CancellationToken.Reason reason, String why) {
        if (reason == CancellationToken.Reason.CANCELLED) {
            // recorded first, so a Slurm worker that the scancel interrupts ends CANCELLED too, not retried
            running.keySet().forEach(id -> runService.requestCancel(id, why));
        }
        running.values().forEach(r -> r.token().cancel(reason, why));
        long deadline = System.currentTimeMillis() + 12_000;
        while (!running.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Optional<RunExecutor> executorFor(String kind) {
        for (String name : config.executors()) {
            Optional<RunExecutor> e = executors.stream()
                    .filter(x -> x.name().equals(name) && x.supports(kind))
                    .findFirst();
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    /** Slurm when the spec says {@code executor: slurm}; otherwise the first configured executor for the kind. */
    private Optional<RunExecutor> executorFor(ExperimentSpec spec) {
        return spec.onSlurm() ? Optional.of(slurm) : executorFor(spec.kind());
    }

    private ExperimentSpec spec(long experimentId) {
        return specs.computeIfAbsent(
                experimentId,
                id -> QuarkusTransaction.requiringNew().call(() -> {
                    var e = experimentRepository.findExperiment(id).orElseThrow();
                    return experiments.validate(e.specText, e.specFile);
                }));
    }

    private record QueuedRun(long runId, long experimentId) {}

    private List<QueuedRun> queued(Long experimentId, int limit) {
        Condition where = RUN.STATE.eq(RunState.QUEUED.name());
        if (experimentId != null) {
            where = where.and(RUN.EXPERIMENT_ID.eq(experimentId));
        }
        return dsl.select(RUN.ID, RUN.EXPERIMENT_ID)
                .from(RUN)
                .where(where)
                .orderBy(RUN.PRIORITY.desc(), RUN.QUEUED_AT.asc(), RUN.ID.asc())
                .limit(limit)
                .fetch(r -> new QueuedRun(r.value1(), r.value2()));
    }

    /** Runs of an experiment per state. */
    public Map<RunState, Long> states(long experimentId) {
        return statesOf(experimentId);
    }

    private Map<RunState, Long> statesOf(long experimentId) {
        Map<RunState, Long> out = new HashMap<>();
        dsl.select(RUN.STATE, org.jooq.impl.DSL.count())
                .from(RUN)
                .where(RUN.EXPERIMENT_ID.eq(experimentId))
                .groupBy(RUN.STATE)
                .forEach(r -> out.put(RunState.valueOf(r.value1()), r.value2().longValue()));
        return out;
    }

    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}

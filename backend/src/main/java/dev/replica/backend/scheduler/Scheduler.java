package dev.replica.backend.scheduler;

import static dev.replica.backend.db.Tables.RUN;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.event.RunEventBus;
import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.executor.Outcome;
import dev.replica.backend.executor.RunExecutor;
import dev.replica.backend.executor.RunLaunch;
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
 * Takes QUEUED runs from the database by priority and age, within the concurrency limits, and hands
 * each to the executor for its kind on a worker thread. Runs it owns are heart-beaten; cancel requests
 * and timeouts stop them through their {@link CancellationToken}; on start, runs orphaned by a crashed
 * process are recovered. The queue lives in the database, so a server and CLIs can share it.
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

    private final String owner = ownerName();
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final Map<Long, ExperimentSpec> specs = new ConcurrentHashMap<>();
    private ExecutorService workers;
    private ScheduledExecutorService timers;
    private volatile boolean background;
    private volatile CancellationToken.Reason stopReason = CancellationToken.Reason.SHUTDOWN;
    private long lastHeartbeat;

    /** A run this process is executing. */
    private record Running(long runId, long experimentId, CancellationToken token, ScheduledFuture<?> timeout,
                           RunProgress[] progress) {
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        workers = Executors.newFixedThreadPool(Math.max(1, config.maxConcurrent()), r -> {
            Thread t = new Thread(r, "replica-run");
            t.setDaemon(true);
            return t;
        });
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replica-scheduler");
            t.setDaemon(true);
            return t;
        });
        bus.experimentLookup(runId -> QuarkusTransaction.requiringNew().call(() ->
                runs.findRun(runId).map(r -> r.experiment.id).orElse(-1L)));
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
        stopAll(stopReason, stopReason == CancellationToken.Reason.CANCELLED ? "cancelled (Ctrl-C)" : "server shut down");
        if (workers != null) {
            workers.shutdown();
            try {
                workers.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timers.shutdownNow();
        }
    }

    /** The background loop of {@code replica serve}: poll the queue until shutdown. */
    public void startBackground() {
        background = true;
        timers.scheduleWithFixedDelay(() -> {
            try {
                tick(null);
            } catch (RuntimeException e) {
                LOG.error("scheduler tick failed", e);
            }
        }, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What a CLI-driven pass over one experiment ended with. */
    public record Summary(Map<RunState, Long> byState) {
    }

    /**
     * Runs the queued runs of one experiment in the foreground until none is queued or running, calling
     * {@code onTick} with the progress of running runs after each poll.
     */
    public Summary runExperiment(long experimentId, java.util.function.Consumer<List<RunProgress>> onTick)
            throws InterruptedException {
        boolean runnable = canRun(spec(experimentId).kind());
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
        Running r = running.get(runId);
        if (r != null) {
            r.token().cancel(CancellationToken.Reason.CANCELLED, why);
        }
        return runService.requestCancel(runId, why);
    }

    /** One pass: heartbeat, honour cancel requests, start runs in free slots. */
    synchronized void tick(Long experimentId) {
        long now = System.currentTimeMillis();
        if (!running.isEmpty() && now - lastHeartbeat >= config.heartbeatInterval().toMillis()) {
            lastHeartbeat = now;
            runService.heartbeat(owner, running.keySet()).forEach((id, why) -> {
                Running r = running.get(id);
                if (r != null) {
                    r.token().cancel(CancellationToken.Reason.CANCELLED, why);
                }
            });
        }
        int free = Math.max(1, config.maxConcurrent()) - running.size();
        if (free <= 0) {
            return;
        }
        for (QueuedRun q : queued(experimentId, free * 4)) {
            if (free <= 0) {
                break;
            }
            if (!withinExperimentLimit(q.experimentId())) {
                continue;
            }
            ExperimentSpec spec = spec(q.experimentId());
            Optional<RunExecutor> executor = executorFor(spec.kind());
            if (executor.isEmpty()) {
                continue;
            }
            Optional<Run> claimed = runService.claim(q.runId(), owner, executor.get().name());
            if (claimed.isEmpty()) {
                continue;
            }
            launch(q, spec, executor.get());
            free--;
        }
    }

    private boolean withinExperimentLimit(long experimentId) {
        if (config.maxPerExperiment().isEmpty()) {
            return true;
        }
        long n = running.values().stream().filter(r -> r.experimentId() == experimentId).count();
        return n < config.maxPerExperiment().getAsInt();
    }

    private void launch(QueuedRun q, ExperimentSpec spec, RunExecutor executor) {
        Path runDir = home.artifacts().resolve(Long.toString(q.runId()));
        try {
            Files.createDirectories(runDir);
            metrics.startAttempt(q.runId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + runDir, e);
        }
        RunLaunch launch = QuarkusTransaction.requiringNew().call(() -> {
            Run run = runs.findRun(q.runId()).orElseThrow();
            Map<String, Object> params = new LinkedHashMap<>();
            run.params.forEach(p -> params.put(p.name, p.value()));
            String dir = run.experiment.specDir;
            return new RunLaunch(run.id, run.experiment.name, spec, params, run.seed, dir == null ? null : Path.of(dir), runDir);
        });
        CancellationToken token = new CancellationToken();
        ScheduledFuture<?> timeout = null;
        Duration limit = spec.timeout();
        if (limit != null) {
            timeout = timers.schedule(() -> token.cancel(CancellationToken.Reason.TIMED_OUT,
                    "timed out after " + dev.replica.experiments.spec.Durations.format(limit)), limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        RunProgress[] progress = {new RunProgress(q.runId(), 0, 0, System.currentTimeMillis())};
        running.put(q.runId(), new Running(q.runId(), q.experimentId(), token, timeout, progress));
        workers.submit(() -> {
            try {
                String[] source = QuarkusTransaction.requiringNew().call(() -> {
                    var e = experimentRepository.findExperiment(q.experimentId()).orElseThrow();
                    return new String[] {e.specText, e.specJson};
                });
                manifests.record(launch, executor, source[0], source[1]);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("run %d: manifest not recorded: %s", q.runId(), e.getMessage());
            }
            execute(launch, executor, token, progress);
        });
    }

    private void execute(RunLaunch launch, RunExecutor executor, CancellationToken token, RunProgress[] progress) {
        Outcome outcome;
        try (MetricSink sink = metrics.sink(launch.runId())) {
            outcome = executor.execute(launch, sink, token, (id, done, total) ->
                    progress[0] = new RunProgress(id, done, total, progress[0].startedAtMs()));
        } catch (Exception | Error e) {
            outcome = token.isCancelled() ? token.outcome()
                    : Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            LOG.debugf(e, "run %d failed", launch.runId());
        }
        try {
            metrics.closeRun(launch.runId());
            runService.finish(launch.runId(), outcome);
        } finally {
            Running r = running.remove(launch.runId());
            if (r != null && r.timeout() != null) {
                r.timeout().cancel(false);
            }
        }
    }

    private void stopAll(CancellationToken.Reason reason, String why) {
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
            Optional<RunExecutor> e = executors.stream().filter(x -> x.name().equals(name) && x.supports(kind)).findFirst();
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    private ExperimentSpec spec(long experimentId) {
        return specs.computeIfAbsent(experimentId, id -> QuarkusTransaction.requiringNew().call(() -> {
            var e = experimentRepository.findExperiment(id).orElseThrow();
            return experiments.validate(e.specText, e.specFile);
        }));
    }

    private record QueuedRun(long runId, long experimentId) {
    }

    private List<QueuedRun> queued(Long experimentId, int limit) {
        Condition where = RUN.STATE.eq(RunState.QUEUED.name());
        if (experimentId != null) {
            where = where.and(RUN.EXPERIMENT_ID.eq(experimentId));
        }
        return dsl.select(RUN.ID, RUN.EXPERIMENT_ID).from(RUN).where(where)
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
        dsl.select(RUN.STATE, org.jooq.impl.DSL.count()).from(RUN).where(RUN.EXPERIMENT_ID.eq(experimentId))
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
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}

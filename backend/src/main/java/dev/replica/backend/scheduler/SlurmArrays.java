package dev.replica.backend.scheduler;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.executor.Outcome;
import dev.replica.backend.executor.RunLaunch;
import dev.replica.backend.executor.SlurmExecutor;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunService;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.spec.ExperimentSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * {@code executor: slurm} experiments: every queued run of the experiment is claimed and submitted as one job
 * array, followed on a thread of its own. The runs stay held (and heart-beaten) here until their tasks end or
 * a worker takes them over.
 */
@ApplicationScoped
public class SlurmArrays {

    private static final Logger LOG = Logger.getLogger(SlurmArrays.class);

    @Inject
    SlurmExecutor slurm;

    @Inject
    HeldRuns held;

    @Inject
    RunQueue queue;

    @Inject
    LaunchService launches;

    @Inject
    RunService runService;

    @Inject
    MetricService metrics;

    @Inject
    ReplicaHome home;

    private ExecutorService arrays;

    void open() {
        arrays = Executors.newCachedThreadPool(Threads.daemon("replica-slurm-array"));
    }

    void close() {
        Threads.shutdown(arrays, 15);
    }

    /** Claims the experiment's queued runs and submits those won as one array. */
    void submit(long experimentId, ExperimentSpec spec) {
        List<Run> won = queue.claimAll(experimentId, held.owner(), slurm.name());
        if (won.isEmpty()) {
            return;
        }
        boolean command = KindRegistry.COMMAND.equals(spec.kind());
        List<SlurmExecutor.ArrayRun> tasks = new ArrayList<>();
        for (Run run : won) {
            RunLaunch launch;
            try {
                launch = launches.prepare(run.id, spec, List.of());
            } catch (RuntimeException e) {
                runService.finish(run.id, Outcome.failed(null, "cannot start: " + e.getMessage()));
                continue;
            }
            // a command task's metrics come back through this process; a built-in kind's worker writes its own
            HeldRuns.Held h = held.track(run.id, experimentId, List.of(), false, command ? metrics.sink(run.id) : null);
            launches.recordManifest(launch, experimentId, slurm);
            tasks.add(new SlurmExecutor.ArrayRun(launch, h.metrics(), h.token()));
        }
        if (tasks.isEmpty()) {
            return;
        }
        String name = "replica-" + experimentId + "-" + System.currentTimeMillis();
        SlurmExecutor.ArrayJob job = new SlurmExecutor.ArrayJob(
                name, home.root().resolve("slurm").resolve(name), held.owner(), tasks, queue.arrayLimit(spec));
        arrays.submit(() -> {
            try {
                slurm.executeArray(job, new SlurmExecutor.ArrayListener() {
                    @Override
                    public void finished(long runId, Outcome outcome) {
                        held.complete(runId, outcome);
                    }

                    @Override
                    public void waiting(long runId, java.util.Optional<String> note) {
                        runService.note(runId, note.orElse("running on Slurm: its node responds again"));
                    }
                });
            } catch (Exception | Error e) {
                LOG.warnf(e, "Slurm job array %s failed", name);
                for (SlurmExecutor.ArrayRun t : tasks) {
                    if (held.holds(t.launch().runId())) {
                        held.complete(
                                t.launch().runId(),
                                Outcome.failed(null, "Slurm job array " + name + " failed: " + e.getMessage()));
                    }
                }
            }
        });
    }
}

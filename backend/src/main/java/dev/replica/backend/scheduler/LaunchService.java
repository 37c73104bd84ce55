package dev.replica.backend.scheduler;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.executor.RunExecutor;
import dev.replica.backend.executor.RunLaunch;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.manifest.ManifestService;
import dev.replica.backend.metric.AttemptFiles;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunRepository;
import dev.replica.experiments.spec.ExperimentSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What every start of a run needs, whichever executor runs it: its folder, a fresh metric attempt, the
 * {@link RunLaunch} read from the database, and its manifest.
 */
@ApplicationScoped
public class LaunchService {

    private static final Logger LOG = Logger.getLogger(LaunchService.class);

    @Inject
    RunRepository runs;

    @Inject
    ExperimentRepository experiments;

    @Inject
    MetricService metrics;

    @Inject
    ManifestService manifests;

    @Inject
    ReplicaHome home;

    /** The run's folder, a fresh metric attempt and what its executor needs. */
    public RunLaunch prepare(long runId, ExperimentSpec spec, List<Integer> slots) {
        Path runDir = home.artifacts().resolve(Long.toString(runId));
        try {
            Files.createDirectories(runDir);
            AttemptFiles.keep(runDir, metrics.startAttempt(runId));
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

    /** Records the run's manifest; a failure is logged, it does not stop the run. */
    public void recordManifest(RunLaunch launch, long experimentId, RunExecutor executor) {
        try {
            String[] source = QuarkusTransaction.requiringNew().call(() -> {
                var e = experiments.findExperiment(experimentId).orElseThrow();
                return new String[] {e.specText, e.specJson};
            });
            manifests.record(launch, executor, source[0], source[1]);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("run %d: manifest not recorded: %s", launch.runId(), e.getMessage());
        }
    }
}

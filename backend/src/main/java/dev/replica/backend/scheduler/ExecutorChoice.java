package dev.replica.backend.scheduler;

import dev.replica.backend.executor.RunExecutor;
import dev.replica.backend.executor.SlurmExecutor;
import dev.replica.experiments.spec.ExperimentSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;

/** Which executor runs a kind: the first of {@code replica.scheduler.executors} that supports it. */
@ApplicationScoped
public class ExecutorChoice {

    @Inject
    SchedulerConfig config;

    @Inject
    Instance<RunExecutor> executors;

    @Inject
    SlurmExecutor slurm;

    /** The first configured executor for the kind. */
    public Optional<RunExecutor> forKind(String kind) {
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
    public Optional<RunExecutor> forSpec(ExperimentSpec spec) {
        return spec.onSlurm() ? Optional.of(slurm) : forKind(spec.kind());
    }

    /**
     * What runs a run in this process (a Slurm task's {@code replica worker}): never Slurm itself; the configured
     * executors first, then any executor of this build that supports the kind.
     */
    public Optional<RunExecutor> inProcess(String kind) {
        return config.executors().stream()
                .flatMap(
                        name -> executors.stream().filter(x -> x.name().equals(name) && x != slurm && x.supports(kind)))
                .findFirst()
                .or(() -> executors.stream()
                        .filter(x -> x != slurm && x.supports(kind))
                        .findFirst());
    }

    boolean isSlurm(RunExecutor executor) {
        return executor == slurm;
    }
}

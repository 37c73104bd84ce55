package dev.replica.backend.scheduler;

import static dev.replica.backend.db.Tables.RUN;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.spec.ExperimentSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The queue in the database: which QUEUED runs come next (priority, then age), how many runs of an experiment
 * may run at once, and the optimistic claims that make exactly one process start each run.
 */
@ApplicationScoped
public class RunQueue {

    @Inject
    SchedulerConfig config;

    @Inject
    DSLContext dsl;

    @Inject
    RunService runService;

    @Inject
    ExperimentService experiments;

    @Inject
    HeldRuns held;

    private final Map<Long, ExperimentSpec> specs = new ConcurrentHashMap<>();

    /** A queued run and its experiment. */
    record QueuedRun(long runId, long experimentId) {}

    /**
     * Up to {@code limit} QUEUED runs (of one experiment, or of all when null) that may start now (a retry
     * waiting out its back-off may not), next first.
     */
    List<QueuedRun> next(Long experimentId, int limit) {
        Condition where = RUN.STATE
                .eq(RunState.QUEUED.name())
                .and(RUN.NOT_BEFORE
                        .isNull()
                        .or(RUN.NOT_BEFORE.le(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC))));
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
    Map<RunState, Long> states(long experimentId) {
        Map<RunState, Long> out = new HashMap<>();
        dsl.select(RUN.STATE, DSL.count())
                .from(RUN)
                .where(RUN.EXPERIMENT_ID.eq(experimentId))
                .groupBy(RUN.STATE)
                .forEach(r -> out.put(RunState.valueOf(r.value1()), r.value2().longValue()));
        return out;
    }

    /** The experiment's spec; specs never change once stored, so each is parsed once per process. */
    ExperimentSpec spec(long experimentId) {
        return specs.computeIfAbsent(experimentId, experiments::specOf);
    }

    /** Whether one more run of the experiment may start here: {@code concurrency:} or the configured limit. */
    boolean withinExperimentLimit(long experimentId, ExperimentSpec spec) {
        OptionalInt limit = spec.concurrency() != null ? OptionalInt.of(spec.concurrency()) : config.maxPerExperiment();
        return limit.isEmpty() || held.countOf(experimentId) < limit.getAsInt();
    }

    /** The array throttle of a Slurm experiment ({@code %N}): the same limit, or none. */
    Integer arrayLimit(ExperimentSpec spec) {
        if (spec.concurrency() != null) {
            return spec.concurrency();
        }
        return config.maxPerExperiment().isPresent()
                ? Integer.valueOf(config.maxPerExperiment().getAsInt())
                : null;
    }

    /** QUEUED → RUNNING for {@code owner}; empty when another process claimed it first. */
    Optional<Run> claim(long runId, String owner, String executor) {
        return runService.claim(runId, owner, executor);
    }

    /** Claims every queued run of an experiment; those another process took first are left out. */
    List<Run> claimAll(long experimentId, String owner, String executor) {
        List<Long> ids =
                next(experimentId, 100_000).stream().map(QueuedRun::runId).toList();
        return runService.claimAll(ids, owner, executor);
    }
}

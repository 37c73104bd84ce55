package dev.replica.backend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.experiment.ExperimentService;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** State changes are stored with their events, and illegal ones change nothing; once per database. */
public abstract class RunLifecycleContract {

    @Inject
    ExperimentService experiments;

    @Inject
    RunService runService;

    @Inject
    RunRepository runs;

    @Inject
    RunQueries queries;

    private long firstRunOfNewExperiment() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        return queries.list(new RunFilter(experimentId, null, java.util.Map.of(), 1, 0)).get(0).id();
    }

    @Test
    void recordsEveryTransitionInOrder() {
        long id = firstRunOfNewExperiment();
        runService.transition(id, RunState.RUNNING, "started on jvm");
        runService.transition(id, RunState.FAILED, "exit code 3");
        runService.transition(id, RunState.QUEUED, "retry 1 of 2");

        RunDetailView detail = queries.find(id).orElseThrow();
        assertThat(detail.run().state()).isEqualTo("QUEUED");
        assertThat(detail.run().attempt()).isEqualTo(1);
        assertThat(detail.events()).extracting(RunDetailView.Event::to)
                .containsExactly("QUEUED", "RUNNING", "FAILED", "QUEUED");
        assertThat(detail.events()).extracting(RunDetailView.Event::message)
                .containsExactly("planned", "started on jvm", "exit code 3", "retry 1 of 2");
    }

    @Test
    void refusesIllegalTransitionsAndKeepsTheStoredState() {
        long id = firstRunOfNewExperiment();
        runService.transition(id, RunState.RUNNING, "started");
        runService.transition(id, RunState.SUCCEEDED, "done");
        assertThatThrownBy(() -> runService.transition(id, RunState.RUNNING, "again"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("run " + id + " is SUCCEEDED and cannot become RUNNING (SUCCEEDED is final)");
        assertThat(queries.find(id).orElseThrow().run().state()).isEqualTo("SUCCEEDED");
        assertThat(queries.find(id).orElseThrow().events()).hasSize(3);
    }

    @Test
    void filtersRunsByStateAndNumericParameters() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        var all = queries.list(new RunFilter(experimentId, null, java.util.Map.of(), 100, 0));
        assertThat(all).hasSize(27);
        runService.transition(all.get(4).id(), RunState.CANCELLED, "not needed");
        assertThat(queries.list(new RunFilter(experimentId, RunState.CANCELLED, java.util.Map.of(), 100, 0)))
                .extracting(RunView::id).containsExactly(all.get(4).id());
        // 0.5 stored as FLOAT matches "0.50" numerically; the integer param steps matches "500.0"
        assertThat(queries.list(new RunFilter(experimentId, null, java.util.Map.of("lr_scale", "0.50", "steps", "500.0"), 100, 0)))
                .hasSize(9);
        assertThat(runs.findByExperimentAndIndex(experimentId, 26)).isPresent();
    }

    @Test
    void aBatchClaimTakesOnlyQueuedRunsAndAWorkerTakesARunOverOnlyFromItsOwner() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        var all = queries.list(new RunFilter(experimentId, null, java.util.Map.of(), 3, 0));
        long a = all.get(0).id();
        long b = all.get(1).id();
        long c = all.get(2).id();
        runService.claim(b, "other-scheduler", "process").orElseThrow();
        assertThat(runService.claimAll(java.util.List.of(a, b, c), "submitter", "slurm"))
                .extracting(r -> r.id).containsExactly(a, c);

        assertThat(runService.adopt(a, "someone-else", "worker-1")).isEmpty();
        assertThat(runService.adopt(a, "submitter", "worker-1")).hasValueSatisfying(r -> assertThat(r.owner).isEqualTo("worker-1"));
        assertThat(runService.adopt(a, "submitter", "worker-2")).as("taken over once").isEmpty();
        // a worker's heartbeat keeps what it took over; the submitter's no longer touches it
        assertThat(runService.heartbeat("worker-1", java.util.List.of(a))).isEmpty();
        assertThat(queries.find(a).orElseThrow().events()).extracting(RunDetailView.Event::to)
                .containsExactly("QUEUED", "RUNNING");
    }

    @Test
    void aRunInterruptedAfterItsCancelWasRequestedEndsCancelledNotRetried() {
        long id = firstRunOfNewExperiment();
        runService.claim(id, "worker-1", "in-process").orElseThrow();
        assertThat(runService.requestCancel(id, "cancelled from the CLI")).contains(RunState.RUNNING);
        assertThat(runService.heartbeat("submitter", java.util.List.of(id))).containsEntry(id, "cancelled from the CLI");
        // scancel's SIGTERM reaches the worker, which reports an interruption
        assertThat(runService.finish(id, new dev.replica.backend.executor.Outcome(RunState.INTERRUPTED, null, "server shut down")))
                .isEqualTo(RunState.CANCELLED);
        assertThat(queries.find(id).orElseThrow().run().message()).isEqualTo("cancelled from the CLI");
    }
}

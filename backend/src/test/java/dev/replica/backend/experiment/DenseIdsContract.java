package dev.replica.backend.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

/** Experiment and run ids do not jump by 50 when another process also takes ids; per database. */
public abstract class DenseIdsContract {

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    DSLContext dsl;

    @Test
    void anotherProcessTakingAnIdLeavesNoGap() {
        long first = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        // what a second process (a CLI beside the server) does when it stores an experiment
        long taken = dsl.nextval(DSL.sequence(DSL.name("experiment_seq"), SQLDataType.BIGINT));
        long next = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        assertThat(taken).isEqualTo(first + 1);
        assertThat(next).isEqualTo(taken + 1);

        List<Long> runIds = runs.list(new RunFilter(next, null, Map.of(), 100, 0)).stream()
                .map(RunView::id)
                .sorted()
                .toList();
        assertThat(runIds).hasSize(27);
        assertThat(runIds.get(26) - runIds.get(0)).isEqualTo(26);
    }
}

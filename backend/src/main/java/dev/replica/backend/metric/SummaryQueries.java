package dev.replica.backend.metric;

import static dev.replica.backend.db.Tables.EXPERIMENT;
import static dev.replica.backend.db.Tables.METRIC_SUMMARY;
import static dev.replica.backend.db.Tables.RUN;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** Read side for the workbench: metric summaries of every run of an experiment in one query. */
@ApplicationScoped
public class SummaryQueries {

    @Inject
    DSLContext dsl;

    /** Every summary of every run of the experiment, by run then metric; empty when there is no such experiment. */
    public Optional<List<SummaryView>> byExperiment(long experimentId) {
        if (!dsl.fetchExists(EXPERIMENT, EXPERIMENT.ID.eq(experimentId))) {
            return Optional.empty();
        }
        return Optional.of(dsl.select(
                        METRIC_SUMMARY.RUN_ID,
                        METRIC_SUMMARY.METRIC,
                        METRIC_SUMMARY.LAST_VALUE,
                        METRIC_SUMMARY.MIN_VALUE,
                        METRIC_SUMMARY.MAX_VALUE,
                        METRIC_SUMMARY.POINT_COUNT)
                .from(METRIC_SUMMARY)
                .join(RUN)
                .on(RUN.ID.eq(METRIC_SUMMARY.RUN_ID))
                .where(RUN.EXPERIMENT_ID.eq(experimentId))
                .orderBy(METRIC_SUMMARY.RUN_ID, METRIC_SUMMARY.METRIC)
                .fetch(r -> new SummaryView(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6())));
    }
}

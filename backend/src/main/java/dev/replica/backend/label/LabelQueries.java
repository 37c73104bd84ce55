package dev.replica.backend.label;

import static dev.replica.backend.db.Tables.EXPERIMENT_LABEL;
import static dev.replica.backend.db.Tables.EXPERIMENT_TAG;
import static dev.replica.backend.db.Tables.RUN_LABEL;
import static dev.replica.backend.db.Tables.RUN_TAG;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** Read side of labels: batch lookups for lists, and the conditions run and experiment filters use. */
@ApplicationScoped
public class LabelQueries {

    @Inject
    DSLContext dsl;

    /** Labels of the runs that have any, by run id, in two queries whatever their number. */
    public Map<Long, LabelView> forRuns(Collection<Long> runIds) {
        Map<Long, LabelView> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        Map<Long, List<String>> tags = new HashMap<>();
        dsl.select(RUN_TAG.RUN_ID, RUN_TAG.TAG)
                .from(RUN_TAG)
                .where(RUN_TAG.RUN_ID.in(runIds))
                .orderBy(RUN_TAG.RUN_ID, RUN_TAG.TAG)
                .forEach(r ->
                        tags.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        dsl.selectFrom(RUN_LABEL)
                .where(RUN_LABEL.RUN_ID.in(runIds))
                .forEach(r -> out.put(
                        r.getRunId(),
                        new LabelView(
                                r.getDisplayName(),
                                r.getNote(),
                                List.copyOf(tags.getOrDefault(r.getRunId(), List.of())),
                                r.getArchived())));
        return out;
    }

    /** Labels of the experiments that have any, by experiment id. */
    public Map<Long, LabelView> forExperiments(Collection<Long> experimentIds) {
        Map<Long, LabelView> out = new HashMap<>();
        if (experimentIds.isEmpty()) {
            return out;
        }
        Map<Long, List<String>> tags = new HashMap<>();
        dsl.select(EXPERIMENT_TAG.EXPERIMENT_ID, EXPERIMENT_TAG.TAG)
                .from(EXPERIMENT_TAG)
                .where(EXPERIMENT_TAG.EXPERIMENT_ID.in(experimentIds))
                .orderBy(EXPERIMENT_TAG.EXPERIMENT_ID, EXPERIMENT_TAG.TAG)
                .forEach(r ->
                        tags.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        dsl.selectFrom(EXPERIMENT_LABEL)
                .where(EXPERIMENT_LABEL.EXPERIMENT_ID.in(experimentIds))
                .forEach(r -> out.put(
                        r.getExperimentId(),
                        new LabelView(
                                r.getDisplayName(),
                                r.getNote(),
                                List.copyOf(tags.getOrDefault(r.getExperimentId(), List.of())),
                                r.getArchived())));
        return out;
    }

    /** The run whose id is {@code runId} carries {@code tag}. */
    public static Condition runHasTag(Field<Long> runId, String tag, String alias) {
        var t = RUN_TAG.as(alias);
        return DSL.exists(DSL.selectOne().from(t).where(t.RUN_ID.eq(runId).and(t.TAG.eq(tag))));
    }

    /** The run is archived (a run without a label row is not). */
    public static Condition runArchived(Field<Long> runId, String alias) {
        var l = RUN_LABEL.as(alias);
        return DSL.exists(DSL.selectOne().from(l).where(l.RUN_ID.eq(runId).and(l.ARCHIVED.isTrue())));
    }

    /** The experiment is archived. */
    public static Condition experimentArchived(Field<Long> experimentId) {
        return DSL.exists(DSL.selectOne()
                .from(EXPERIMENT_LABEL)
                .where(EXPERIMENT_LABEL.EXPERIMENT_ID.eq(experimentId).and(EXPERIMENT_LABEL.ARCHIVED.isTrue())));
    }
}

package dev.replica.backend.experiment;

import static dev.replica.backend.db.Tables.EXPERIMENT;
import static dev.replica.backend.db.Tables.RUN;

import dev.replica.backend.label.ArchivedScope;
import dev.replica.backend.label.LabelQueries;
import dev.replica.backend.label.LabelView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Read model for experiments: lists with run counts per state. */
@ApplicationScoped
public class ExperimentQueries {

    @Inject
    DSLContext dsl;

    @Inject
    LabelQueries labels;

    /** Newest first, archived ones hidden. */
    public List<ExperimentView> list(int limit, int offset) {
        return list(limit, offset, ArchivedScope.HIDE);
    }

    /** Newest first. */
    public List<ExperimentView> list(int limit, int offset, ArchivedScope archived) {
        Condition where = switch (archived) {
            case HIDE -> LabelQueries.experimentArchived(EXPERIMENT.ID).not();
            case ONLY -> LabelQueries.experimentArchived(EXPERIMENT.ID);
            case ALL -> DSL.trueCondition();
        };
        List<Record> rows = new ArrayList<>(dsl.select(
                        EXPERIMENT.ID,
                        EXPERIMENT.NAME,
                        EXPERIMENT.DESCRIPTION,
                        EXPERIMENT.KIND,
                        EXPERIMENT.SPEC_FILE,
                        EXPERIMENT.PRIMARY_METRIC,
                        EXPERIMENT.METRIC_GOAL,
                        EXPERIMENT.RUN_COUNT,
                        EXPERIMENT.CREATED_AT)
                .from(EXPERIMENT)
                .where(where)
                .orderBy(EXPERIMENT.ID.desc())
                .limit(limit)
                .offset(offset)
                .fetch());
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(r -> r.get(EXPERIMENT.ID)).toList();
        Map<Long, Map<String, Long>> counts = stateCounts(ids);
        Map<Long, LabelView> labelled = labels.forExperiments(ids);
        return rows.stream()
                .map(r -> view(
                        r,
                        counts.getOrDefault(r.get(EXPERIMENT.ID), Map.of()),
                        null,
                        labelled.getOrDefault(r.get(EXPERIMENT.ID), LabelView.NONE)))
                .toList();
    }

    public Optional<ExperimentView> find(long id) {
        return dsl.select(
                        EXPERIMENT.ID,
                        EXPERIMENT.NAME,
                        EXPERIMENT.DESCRIPTION,
                        EXPERIMENT.KIND,
                        EXPERIMENT.SPEC_FILE,
                        EXPERIMENT.PRIMARY_METRIC,
                        EXPERIMENT.METRIC_GOAL,
                        EXPERIMENT.RUN_COUNT,
                        EXPERIMENT.CREATED_AT,
                        EXPERIMENT.SPEC_TEXT)
                .from(EXPERIMENT)
                .where(EXPERIMENT.ID.eq(id))
                .fetchOptional()
                .map(r -> view(
                        r,
                        stateCounts(List.of(id)).getOrDefault(id, Map.of()),
                        r.get(EXPERIMENT.SPEC_TEXT),
                        labels.forExperiments(List.of(id)).getOrDefault(id, LabelView.NONE)));
    }

    /** The newest experiment with this name (names repeat when a spec is stored again). */
    public Optional<Long> findLatestIdByName(String name) {
        return dsl.select(EXPERIMENT.ID)
                .from(EXPERIMENT)
                .where(EXPERIMENT.NAME.eq(name))
                .orderBy(EXPERIMENT.CREATED_AT.desc(), EXPERIMENT.ID.desc())
                .limit(1)
                .fetchOptional(EXPERIMENT.ID);
    }

    private Map<Long, Map<String, Long>> stateCounts(List<Long> experimentIds) {
        Map<Long, Map<String, Long>> out = new LinkedHashMap<>();
        dsl.select(RUN.EXPERIMENT_ID, RUN.STATE, DSL.count())
                .from(RUN)
                .where(RUN.EXPERIMENT_ID.in(experimentIds))
                .groupBy(RUN.EXPERIMENT_ID, RUN.STATE)
                .forEach(r -> out.computeIfAbsent(r.value1(), k -> new java.util.TreeMap<>())
                        .put(r.value2(), r.value3().longValue()));
        return out;
    }

    private static ExperimentView view(Record r, Map<String, Long> counts, String specText, LabelView label) {
        Instant created = r.get(EXPERIMENT.CREATED_AT).toInstant();
        return new ExperimentView(
                r.get(EXPERIMENT.ID),
                r.get(EXPERIMENT.NAME),
                r.get(EXPERIMENT.DESCRIPTION),
                r.get(EXPERIMENT.KIND),
                r.get(EXPERIMENT.SPEC_FILE),
                r.get(EXPERIMENT.PRIMARY_METRIC),
                r.get(EXPERIMENT.METRIC_GOAL),
                r.get(EXPERIMENT.RUN_COUNT),
                created,
                counts,
                specText,
                label.displayName(),
                label.note(),
                label.tags(),
                label.archived());
    }
}

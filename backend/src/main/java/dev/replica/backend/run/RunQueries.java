package dev.replica.backend.run;

import static dev.replica.backend.db.Tables.EXPERIMENT;
import static dev.replica.backend.db.Tables.METRIC_SUMMARY;
import static dev.replica.backend.db.Tables.RUN;
import static dev.replica.backend.db.Tables.RUN_EVENT;
import static dev.replica.backend.db.Tables.RUN_PARAM;

import dev.replica.backend.db.tables.RunParam;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Read model for runs: filtered lists over parameters, and single-run details. */
@ApplicationScoped
public class RunQueries {

    @Inject
    DSLContext dsl;

    public List<RunView> list(RunFilter filter) {
        Condition where = DSL.trueCondition();
        if (filter.experimentId() != null) {
            where = where.and(RUN.EXPERIMENT_ID.eq(filter.experimentId()));
        }
        if (filter.state() != null) {
            where = where.and(RUN.STATE.eq(filter.state().name()));
        }
        int alias = 0;
        for (Map.Entry<String, String> p : filter.params().entrySet()) {
            RunParam rp = RUN_PARAM.as("p" + alias++);
            Condition value = rp.VALUE_TEXT.eq(p.getValue());
            Double number = parseNumber(p.getValue());
            if (number != null) {
                value = value.or(rp.VALUE_NUM.eq(number));
            }
            where = where.and(DSL.exists(DSL.selectOne().from(rp)
                    .where(rp.RUN_ID.eq(RUN.ID).and(rp.NAME.eq(p.getKey())).and(value))));
        }
        List<Record> rows = new ArrayList<>(dsl.select(RUN.fields()).select(EXPERIMENT.NAME)
                .from(RUN).join(EXPERIMENT).on(EXPERIMENT.ID.eq(RUN.EXPERIMENT_ID))
                .where(where)
                .orderBy(RUN.EXPERIMENT_ID.desc(), RUN.RUN_INDEX.asc())
                .limit(filter.limit()).offset(filter.offset())
                .fetch());
        Map<Long, Map<String, Object>> params = params(rows.stream().map(r -> r.get(RUN.ID)).toList());
        return rows.stream().map(r -> view(r, params.getOrDefault(r.get(RUN.ID), Map.of()))).toList();
    }

    public Optional<RunDetailView> find(long runId) {
        Optional<Record> row = dsl.select(RUN.fields()).select(EXPERIMENT.NAME)
                .from(RUN).join(EXPERIMENT).on(EXPERIMENT.ID.eq(RUN.EXPERIMENT_ID))
                .where(RUN.ID.eq(runId))
                .fetchOptional().map(r -> r);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        RunView run = view(row.get(), params(List.of(runId)).getOrDefault(runId, Map.of()));
        List<RunDetailView.Event> events = dsl.selectFrom(RUN_EVENT).where(RUN_EVENT.RUN_ID.eq(runId))
                .orderBy(RUN_EVENT.ID).fetch(e -> new RunDetailView.Event(e.getFromState(), e.getToState(),
                        e.getMessage(), e.getAt().toInstant()));
        List<RunDetailView.MetricSummaryView> metrics = dsl.selectFrom(METRIC_SUMMARY)
                .where(METRIC_SUMMARY.RUN_ID.eq(runId)).orderBy(METRIC_SUMMARY.METRIC)
                .fetch(m -> new RunDetailView.MetricSummaryView(m.getMetric(), m.getLastValue(), m.getLastStep(),
                        m.getMinValue(), m.getMinStep(), m.getMaxValue(), m.getMaxStep(), m.getPointCount(),
                        m.getNanCount()));
        return Optional.of(new RunDetailView(run, events, metrics));
    }

    private Map<Long, Map<String, Object>> params(List<Long> runIds) {
        Map<Long, Map<String, Object>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        dsl.selectFrom(RUN_PARAM).where(RUN_PARAM.RUN_ID.in(runIds)).forEach(p -> out
                .computeIfAbsent(p.getRunId(), k -> new TreeMap<>())
                .put(p.getName(), typed(p.getValueType(), p.getValueText())));
        return out;
    }

    private static Object typed(String type, String text) {
        return switch (type) {
            case "INT" -> Long.parseLong(text);
            case "FLOAT" -> Double.parseDouble(text);
            case "BOOL" -> Boolean.parseBoolean(text);
            default -> text;
        };
    }

    private static Double parseNumber(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static RunView view(Record r, Map<String, Object> params) {
        return new RunView(r.get(RUN.ID), r.get(RUN.EXPERIMENT_ID), r.get(EXPERIMENT.NAME), r.get(RUN.RUN_INDEX),
                r.get(RUN.SEED), r.get(RUN.STATE), params, r.get(RUN.ATTEMPT), r.get(RUN.EXECUTOR), r.get(RUN.EXIT_CODE),
                r.get(RUN.MESSAGE), instant(r.get(RUN.CREATED_AT)), instant(r.get(RUN.STARTED_AT)),
                instant(r.get(RUN.FINISHED_AT)));
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}

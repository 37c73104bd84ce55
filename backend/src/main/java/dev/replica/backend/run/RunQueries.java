package dev.replica.backend.run;

import static dev.replica.backend.db.Tables.EXPERIMENT;
import static dev.replica.backend.db.Tables.METRIC_SUMMARY;
import static dev.replica.backend.db.Tables.RUN;
import static dev.replica.backend.db.Tables.RUN_EVENT;
import static dev.replica.backend.db.Tables.RUN_PARAM;

import dev.replica.backend.db.tables.MetricSummary;
import dev.replica.backend.db.tables.RunParam;
import dev.replica.backend.label.LabelQueries;
import dev.replica.backend.label.LabelView;
import dev.replica.experiments.spec.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** Read model for runs: filtered lists over parameters, and single-run details. */
@ApplicationScoped
public class RunQueries {

    @Inject
    DSLContext dsl;

    @Inject
    LabelQueries labels;

    public List<RunView> list(RunFilter filter) {
        Condition where = where(filter);
        var query = dsl.select(RUN.fields())
                .select(EXPERIMENT.NAME)
                .from(RUN)
                .join(EXPERIMENT)
                .on(EXPERIMENT.ID.eq(RUN.EXPERIMENT_ID));
        List<SortField<?>> order = new ArrayList<>();
        RunSort sort = filter.sort();
        if (sort == null) {
            order.add(RUN.EXPERIMENT_ID.desc());
            order.add(RUN.RUN_INDEX.asc());
        } else if (sort.field().kind() == RunField.Kind.PARAM) {
            RunParam sp = RUN_PARAM.as("sp");
            query = query.leftJoin(sp)
                    .on(sp.RUN_ID.eq(RUN.ID).and(sp.NAME.eq(sort.field().name())));
            order.add(direction(sp.VALUE_NUM, sort.descending()));
            order.add(direction(sp.VALUE_TEXT, sort.descending()));
        } else if (sort.field().kind() == RunField.Kind.SUMMARY) {
            MetricSummary ss = METRIC_SUMMARY.as("ss");
            query = query.leftJoin(ss)
                    .on(ss.RUN_ID.eq(RUN.ID).and(ss.METRIC.eq(sort.field().name())));
            order.add(direction(summaryField(ss, sort.field().summary()), sort.descending()));
        } else {
            order.add(direction(column(sort.field().column()), sort.descending()));
        }
        order.add(RUN.ID.asc()); // a total order, so pages never overlap
        List<Record> rows = new ArrayList<>(query.where(where)
                .orderBy(order)
                .limit(filter.limit())
                .offset(filter.offset())
                .fetch());
        List<Long> ids = rows.stream().map(r -> r.get(RUN.ID)).toList();
        Map<Long, Map<String, Object>> params = params(ids);
        Map<Long, LabelView> labelled = labels.forRuns(ids);
        return rows.stream()
                .map(r -> view(
                        r,
                        params.getOrDefault(r.get(RUN.ID), Map.of()),
                        labelled.getOrDefault(r.get(RUN.ID), LabelView.NONE)))
                .toList();
    }

    /** One summary field of one metric for each of {@code runIds} that has it. */
    public Map<Long, Double> summaryValues(List<Long> runIds, RunField field) {
        if (field.kind() != RunField.Kind.SUMMARY) {
            throw new IllegalArgumentException(field + " is not a summary field");
        }
        Map<Long, Double> out = new HashMap<>();
        Field<?> value = summaryField(METRIC_SUMMARY, field.summary());
        dsl.select(METRIC_SUMMARY.RUN_ID, value.cast(SQLDataType.DOUBLE))
                .from(METRIC_SUMMARY)
                .where(METRIC_SUMMARY.RUN_ID.in(runIds))
                .and(METRIC_SUMMARY.METRIC.eq(field.name()))
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    /** Number of runs the filter matches, ignoring its page. */
    public int count(RunFilter filter) {
        return dsl.fetchCount(dsl.selectOne().from(RUN).where(where(filter)));
    }

    private static <T> SortField<T> direction(Field<T> f, boolean descending) {
        return (descending ? f.desc() : f.asc()).nullsLast();
    }

    private Condition where(RunFilter filter) {
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
            where = where.and(DSL.exists(DSL.selectOne()
                    .from(rp)
                    .where(rp.RUN_ID.eq(RUN.ID).and(rp.NAME.eq(p.getKey())).and(value))));
        }
        for (RunCondition c : filter.conditions()) {
            where = where.and(condition(c, alias++));
        }
        return where;
    }

    private static Condition condition(RunCondition c, int alias) {
        RunField f = c.field();
        Double number = RunCondition.number(c.value());
        switch (f.kind()) {
            case PARAM: {
                RunParam rp = RUN_PARAM.as("c" + alias);
                Condition match;
                if (number != null) {
                    Condition numeric =
                            compare(rp.VALUE_NUM, c.op() == RunCondition.Op.NE ? RunCondition.Op.EQ : c.op(), number);
                    match = c.op() == RunCondition.Op.EQ || c.op() == RunCondition.Op.NE
                            ? numeric.or(rp.VALUE_TEXT.eq(c.value()))
                            : numeric;
                } else {
                    match = rp.VALUE_TEXT.eq(c.value());
                }
                if (c.op() == RunCondition.Op.NE) {
                    match = match.not();
                }
                return DSL.exists(DSL.selectOne()
                        .from(rp)
                        .where(rp.RUN_ID.eq(RUN.ID).and(rp.NAME.eq(f.name())).and(match)));
            }
            case SUMMARY: {
                if (number == null) {
                    throw new InvalidInputException(
                            "filter", "filter '" + c + "': a summary compares with a number, got '" + c.value() + "'");
                }
                MetricSummary ms = METRIC_SUMMARY.as("c" + alias);
                return DSL.exists(DSL.selectOne()
                        .from(ms)
                        .where(ms.RUN_ID
                                .eq(RUN.ID)
                                .and(ms.METRIC.eq(f.name()))
                                .and(compare(summaryField(ms, f.summary()).cast(SQLDataType.DOUBLE), c.op(), number))));
            }
            case TAG: {
                Condition has = dev.replica.backend.label.LabelQueries.runHasTag(RUN.ID, f.name(), "c" + alias);
                return c.op() == RunCondition.Op.NE ? has.not() : has;
            }
            default:
                return columnCondition(c, number, alias);
        }
    }

    private static Condition columnCondition(RunCondition c, Double number, int alias) {
        RunField.Column column = c.field().column();
        switch (column) {
            case ARCHIVED: {
                boolean wanted = switch (c.value().toLowerCase(java.util.Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default ->
                        throw new InvalidInputException(
                                "filter", "filter '" + c + "': archived is true or false, got '" + c.value() + "'");
                };
                if (c.op().ordering()) {
                    throw new InvalidInputException("filter", "filter '" + c + "': archived takes = or !=");
                }
                Condition archived = dev.replica.backend.label.LabelQueries.runArchived(RUN.ID, "c" + alias);
                return wanted == (c.op() == RunCondition.Op.EQ) ? archived : archived.not();
            }
            case STATE:
            case EXECUTOR: {
                if (c.op().ordering()) {
                    throw new InvalidInputException(
                            "filter", "filter '" + c + "': " + column.label() + " takes = or !=");
                }
                Field<String> f = column == RunField.Column.STATE ? RUN.STATE : RUN.EXECUTOR;
                String v = column == RunField.Column.STATE ? c.value().toUpperCase(java.util.Locale.ROOT) : c.value();
                return c.op() == RunCondition.Op.EQ ? f.eq(v) : f.ne(v).or(f.isNull());
            }
            case CREATED:
            case STARTED:
            case FINISHED: {
                OffsetDateTime at;
                try {
                    at = java.time.Instant.parse(c.value()).atOffset(java.time.ZoneOffset.UTC);
                } catch (java.time.format.DateTimeParseException e) {
                    throw new InvalidInputException(
                            "filter",
                            "filter '" + c + "': " + column.label()
                                    + " compares with an ISO-8601 instant such as 2026-11-29T10:00:00Z, got '"
                                    + c.value()
                                    + "'");
                }
                @SuppressWarnings("unchecked")
                Field<OffsetDateTime> f = (Field<OffsetDateTime>) column(column);
                return compare(f, c.op(), at);
            }
            default: {
                if (number == null) {
                    throw new InvalidInputException(
                            "filter",
                            "filter '" + c + "': " + column.label() + " compares with a number, got '" + c.value()
                                    + "'");
                }
                return compare(column(column).cast(SQLDataType.DOUBLE), c.op(), number);
            }
        }
    }

    private static <T> Condition compare(Field<T> f, RunCondition.Op op, T value) {
        return switch (op) {
            case EQ -> f.eq(value);
            case NE -> f.ne(value);
            case LT -> f.lt(value);
            case LE -> f.le(value);
            case GT -> f.gt(value);
            case GE -> f.ge(value);
        };
    }

    private static Field<?> column(RunField.Column c) {
        return switch (c) {
            case ID -> RUN.ID;
            case INDEX -> RUN.RUN_INDEX;
            case SEED -> RUN.SEED;
            case STATE -> RUN.STATE;
            case ATTEMPT -> RUN.ATTEMPT;
            case EXECUTOR -> RUN.EXECUTOR;
            case CREATED -> RUN.CREATED_AT;
            case STARTED -> RUN.STARTED_AT;
            case FINISHED -> RUN.FINISHED_AT;
            case ARCHIVED -> throw new IllegalArgumentException("archived is a filter, not a column");
        };
    }

    private static Field<?> summaryField(MetricSummary ms, RunField.SummaryField f) {
        return switch (f) {
            case LAST -> ms.LAST_VALUE;
            case MIN -> ms.MIN_VALUE;
            case MAX -> ms.MAX_VALUE;
            case COUNT -> ms.POINT_COUNT;
            case NAN_COUNT -> ms.NAN_COUNT;
            case LAST_STEP -> ms.LAST_STEP;
            case MIN_STEP -> ms.MIN_STEP;
            case MAX_STEP -> ms.MAX_STEP;
        };
    }

    /**
     * The runs with these ids in the order given, in two queries whatever their number.
     *
     * @throws NotFoundException naming the first id that is not a run
     */
    public List<RunView> requireViews(List<Long> runIds) {
        Map<Long, RunView> found = views(runIds);
        List<RunView> out = new ArrayList<>(runIds.size());
        for (long id : runIds) {
            RunView run = found.get(id);
            if (run == null) {
                throw new NotFoundException("no run with id " + id);
            }
            out.add(run);
        }
        return out;
    }

    /** The runs with these ids that exist, by id, in two queries whatever their number. */
    public Map<Long, RunView> views(java.util.Collection<Long> runIds) {
        Map<Long, RunView> out = new java.util.LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        List<Record> rows = new ArrayList<>(dsl.select(RUN.fields())
                .select(EXPERIMENT.NAME)
                .from(RUN)
                .join(EXPERIMENT)
                .on(EXPERIMENT.ID.eq(RUN.EXPERIMENT_ID))
                .where(RUN.ID.in(runIds))
                .fetch());
        List<Long> ids = rows.stream().map(r -> r.get(RUN.ID)).toList();
        Map<Long, Map<String, Object>> params = params(ids);
        Map<Long, LabelView> labelled = labels.forRuns(ids);
        for (Record r : rows) {
            out.put(
                    r.get(RUN.ID),
                    view(
                            r,
                            params.getOrDefault(r.get(RUN.ID), Map.of()),
                            labelled.getOrDefault(r.get(RUN.ID), LabelView.NONE)));
        }
        return out;
    }

    public Optional<RunDetailView> find(long runId) {
        return Optional.ofNullable(details(List.of(runId)).get(runId));
    }

    /** Runs with their histories and metric summaries, by id, in four queries whatever their number. */
    public Map<Long, RunDetailView> details(java.util.Collection<Long> runIds) {
        Map<Long, RunView> views = views(runIds);
        Map<Long, RunDetailView> out = new java.util.LinkedHashMap<>();
        if (views.isEmpty()) {
            return out;
        }
        Map<Long, List<RunDetailView.Event>> events = new HashMap<>();
        dsl.selectFrom(RUN_EVENT)
                .where(RUN_EVENT.RUN_ID.in(views.keySet()))
                // by time, then id: ids come from per-process blocks of the sequence, so a CLI and a server sharing
                // the database hand out ids that do not follow the order events happened in
                .orderBy(RUN_EVENT.AT, RUN_EVENT.ID)
                .forEach(e -> events.computeIfAbsent(e.getRunId(), k -> new ArrayList<>())
                        .add(new RunDetailView.Event(
                                e.getFromState(),
                                e.getToState(),
                                e.getMessage(),
                                e.getAt().toInstant())));
        Map<Long, List<RunDetailView.MetricSummaryView>> metrics = new HashMap<>();
        dsl.selectFrom(METRIC_SUMMARY)
                .where(METRIC_SUMMARY.RUN_ID.in(views.keySet()))
                .orderBy(METRIC_SUMMARY.RUN_ID, METRIC_SUMMARY.METRIC)
                .forEach(m -> metrics.computeIfAbsent(m.getRunId(), k -> new ArrayList<>())
                        .add(new RunDetailView.MetricSummaryView(
                                m.getMetric(),
                                m.getLastValue(),
                                m.getLastStep(),
                                m.getMinValue(),
                                m.getMinStep(),
                                m.getMaxValue(),
                                m.getMaxStep(),
                                m.getPointCount(),
                                m.getNanCount())));
        views.forEach((id, v) -> out.put(
                id, new RunDetailView(v, events.getOrDefault(id, List.of()), metrics.getOrDefault(id, List.of()))));
        return out;
    }

    private Map<Long, Map<String, Object>> params(List<Long> runIds) {
        Map<Long, Map<String, Object>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        dsl.selectFrom(RUN_PARAM)
                .where(RUN_PARAM.RUN_ID.in(runIds))
                .forEach(p -> out.computeIfAbsent(p.getRunId(), k -> new TreeMap<>())
                        .put(p.getName(), dev.replica.backend.run.RunParam.decode(p.getValueType(), p.getValueText())));
        return out;
    }

    private static Double parseNumber(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static RunView view(Record r, Map<String, Object> params, LabelView label) {
        return new RunView(
                r.get(RUN.ID),
                r.get(RUN.EXPERIMENT_ID),
                r.get(EXPERIMENT.NAME),
                r.get(RUN.RUN_INDEX),
                r.get(RUN.SEED),
                r.get(RUN.STATE),
                params,
                r.get(RUN.ATTEMPT),
                r.get(RUN.EXECUTOR),
                r.get(RUN.EXIT_CODE),
                r.get(RUN.MESSAGE),
                instant(r.get(RUN.CREATED_AT)),
                instant(r.get(RUN.STARTED_AT)),
                instant(r.get(RUN.FINISHED_AT)),
                label.displayName(),
                label.note(),
                label.tags(),
                label.archived(),
                r.get(RUN.PRUNED_AT_RESOURCE));
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}

package dev.replica.backend.metric;

import static dev.replica.backend.db.Tables.METRIC_SUMMARY;

import dev.replica.experiments.metrics.MetricSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;

/** Upserts per-metric summaries as batches arrive, so run tables sort and filter without reading files. */
@ApplicationScoped
public class MetricSummaryWriter {

    @Inject
    DSLContext dsl;

    public void upsert(long runId, Collection<MetricSummary> summaries) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        dsl.batched(c -> {
            for (MetricSummary s : summaries) {
                Map<Field<?>, Object> values = new LinkedHashMap<>();
                values.put(METRIC_SUMMARY.LAST_VALUE, finiteOrNull(s.last()));
                values.put(METRIC_SUMMARY.LAST_STEP, s.lastStep());
                values.put(METRIC_SUMMARY.MIN_VALUE, finiteOrNull(s.min()));
                values.put(METRIC_SUMMARY.MIN_STEP, s.minStep());
                values.put(METRIC_SUMMARY.MAX_VALUE, finiteOrNull(s.max()));
                values.put(METRIC_SUMMARY.MAX_STEP, s.maxStep());
                values.put(METRIC_SUMMARY.POINT_COUNT, s.count());
                values.put(METRIC_SUMMARY.NAN_COUNT, s.nanCount());
                values.put(METRIC_SUMMARY.UPDATED_AT, now);
                c.dsl()
                        .insertInto(METRIC_SUMMARY)
                        .set(METRIC_SUMMARY.RUN_ID, runId)
                        .set(METRIC_SUMMARY.METRIC, s.metric())
                        .set(values)
                        .onConflict(METRIC_SUMMARY.RUN_ID, METRIC_SUMMARY.METRIC)
                        .doUpdate()
                        .set(values)
                        .execute();
            }
        });
    }

    public void deleteFor(long runId) {
        dsl.deleteFrom(METRIC_SUMMARY).where(METRIC_SUMMARY.RUN_ID.eq(runId)).execute();
    }

    /**
     * Summary columns hold finite numbers only (PostgreSQL and H2 disagree on storing ±Inf/NaN in
     * DOUBLE PRECISION round trips through JDBC); a NaN last value is visible through nan_count and the
     * Arrow file keeps the exact bits.
     */
    private static Double finiteOrNull(Double v) {
        return v == null || v.isNaN() ? null : v;
    }
}

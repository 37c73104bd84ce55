package dev.replica.backend.search;

import static dev.replica.backend.db.Tables.METRIC_SUMMARY;
import static dev.replica.backend.db.Tables.RUN;

import dev.replica.backend.run.RunState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Where each configuration of a search stands, read from its runs: their states, the primary metric's last value
 * and, for pruned ones, the rung they stopped at. A configuration's result is its seeds' mean (seed-aware), known
 * once every seed run has ended.
 */
final class SearchProgress {

    private record RunRow(RunState state, Long prunedAt, Double value, Integer lastStep) {}

    private final Map<String, List<RunRow>> byConfig;

    private SearchProgress(Map<String, List<RunRow>> byConfig) {
        this.byConfig = byConfig;
    }

    static SearchProgress load(DSLContext dsl, long experimentId, String primary) {
        Map<String, List<RunRow>> byConfig = new HashMap<>();
        dsl.select(
                        RUN.CONFIG_KEY,
                        RUN.STATE,
                        RUN.PRUNED_AT_RESOURCE,
                        METRIC_SUMMARY.LAST_VALUE,
                        METRIC_SUMMARY.LAST_STEP)
                .from(RUN)
                .leftJoin(METRIC_SUMMARY)
                .on(METRIC_SUMMARY.RUN_ID.eq(RUN.ID).and(METRIC_SUMMARY.METRIC.eq(primary)))
                .where(RUN.EXPERIMENT_ID.eq(experimentId))
                .orderBy(RUN.RUN_INDEX)
                .forEach(r -> byConfig.computeIfAbsent(r.value1(), k -> new ArrayList<>())
                        .add(new RunRow(
                                RunState.valueOf(r.value2()),
                                r.value3(),
                                r.value4(),
                                r.value5() == null ? null : r.value5().intValue())));
        return new SearchProgress(byConfig);
    }

    /** The configuration's result once every seed run has ended; empty while one is queued or running. */
    Optional<SearchLog.StoredResult> resultOf(int proposal, String configKey) {
        List<RunRow> rows = byConfig.getOrDefault(configKey, List.of());
        if (rows.isEmpty() || rows.stream().anyMatch(r -> !r.state().isFinal())) {
            return Optional.empty();
        }
        double sum = 0;
        int n = 0;
        long prunedAt = 0;
        boolean pruned = false;
        for (RunRow r : rows) {
            if (r.state() == RunState.PRUNED) {
                pruned = true;
                prunedAt = Math.max(prunedAt, r.prunedAt() == null ? 0 : r.prunedAt());
            }
            if (r.value() != null && (r.state() == RunState.SUCCEEDED || r.state() == RunState.PRUNED)) {
                sum += r.value();
                n++;
            }
        }
        if (n == 0) {
            // failed or cancelled on every seed: nothing learnt but that it is bad, ranked last
            return Optional.of(new SearchLog.StoredResult(proposal, null, 0, false));
        }
        return Optional.of(new SearchLog.StoredResult(proposal, sum / n, prunedAt, !pruned));
    }

    Optional<SearchLog.StoredResult> resultOf(SearchLog.StoredProposal p) {
        return resultOf(p.index(), p.configKey());
    }

    /** running, finished, pruned or failed. */
    String status(SearchLog.StoredProposal p) {
        Optional<SearchLog.StoredResult> r = resultOf(p);
        if (r.isEmpty()) {
            return "running";
        }
        if (r.get().value() == null) {
            return "failed";
        }
        return r.get().complete() ? "finished" : "pruned";
    }
}

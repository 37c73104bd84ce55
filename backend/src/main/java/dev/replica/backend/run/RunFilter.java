package dev.replica.backend.run;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * Which runs to list.
 *
 * @param experimentId only runs of this experiment, null for all
 * @param state        only runs in this state, null for all
 * @param params       parameter name → required value (numbers compare numerically: 1 matches 1.0)
 * @param conditions   further filters on columns, parameters and metric summaries, all of which must hold
 * @param sort         the order; null for the default (experiment, newest first, then run index)
 * @param limit        page size
 * @param offset       rows to skip
 */
public record RunFilter(
        Long experimentId,
        RunState state,
        Map<String, String> params,
        List<RunCondition> conditions,
        RunSort sort,
        int limit,
        int offset) {

    public RunFilter(Long experimentId, RunState state, Map<String, String> params, int limit, int offset) {
        this(experimentId, state, params, List.of(), null, limit, offset);
    }

    public static final int MAX_LIMIT = 10_000;

    public RunFilter {
        if (limit <= 0 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "limit must be in [1, " + MAX_LIMIT + "], got " + limit);
        }
        if (offset < 0) {
            throw new InvalidInputException("offset", "offset must be ≥ 0, got " + offset);
        }
        params = Map.copyOf(params);
        conditions = List.copyOf(conditions);
    }
}

package dev.replica.experiments.compare;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A run as grouping sees it.
 *
 * @param runId run id
 * @param params resolved parameters (values compared with {@link Object#equals}); may include the
 *     seed
 * @param seed the replicate seed, or null
 */
public record RunInfo(String runId, Map<String, Object> params, Long seed) {
    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}

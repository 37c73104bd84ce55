package dev.replica.experiments.kinds;

import dev.replica.experiments.kind.ExperimentKind;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import dev.replica.kernels.KernelBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a kind in-process into a real metric store, as an executor would. */
final class KindRuns {

    private KindRuns() {}

    /** The kind's defaults with {@code overrides} applied. */
    static Map<String, Object> params(String kind, Map<String, Object> overrides) {
        Map<String, Object> p =
                new HashMap<>(KindRegistry.find(kind).orElseThrow().defaults());
        p.putAll(overrides);
        return p;
    }

    static RunData run(
            MetricStore store,
            KernelBackend k,
            String kind,
            String runId,
            Map<String, Object> params,
            long seed,
            List<String> log)
            throws Exception {
        ExperimentKind impl = KindRegistry.implementation(kind).orElseThrow();
        Path runDir = Files.createDirectories(store.directory().resolve(runId + "-dir"));
        try (MetricSink sink = new MetricSink(store, runId)) {
            impl.run(new LocalRunContext(runId, params, seed, sink, k, runDir, log::add));
        }
        return store.read(runId);
    }

    /** Rows as (step, metric, raw bits) triples, leaving out the clock-dependent metrics. */
    static List<String> deterministicStream(RunData d) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < d.size(); r++) {
            for (String m : d.metrics()) {
                if (m.startsWith("time/") || m.startsWith("throughput/") || !d.isPresent(m, r)) {
                    continue;
                }
                out.add(d.step(r) + " " + m + " " + Long.toHexString(Double.doubleToRawLongBits(d.value(m, r))));
            }
        }
        return out;
    }
}

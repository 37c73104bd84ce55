package dev.replica.experiments.kinds;

import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.MetricSummary;
import dev.replica.experiments.run.ExperimentKind;
import dev.replica.experiments.run.ExperimentKinds;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import dev.replica.experiments.sweep.PlannedRun;
import dev.replica.experiments.sweep.SweepPlanner;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;

/**
 * Runs every run of a spec sequentially in this process, into a metric store, and prints each run's
 * final metrics as one tab-separated line. A stop-gap until the scheduler lands; also the way the
 * specs' timings were measured.
 *
 * <pre>java … dev.replica.experiments.kinds.RunLocally SPEC.yaml [METRICS_DIR] [--only=INDEX,INDEX…] [--set=k=v,…] [--series=METRIC,…]</pre>
 */
public final class RunLocally {

    private RunLocally() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RunLocally SPEC.yaml [METRICS_DIR] [--only=0,1,..] [--set=key=value,...]");
            System.exit(2);
        }
        Path specFile = Path.of(args[0]);
        Path dir = null;
        java.util.Set<Integer> only = null;
        Map<String, String> overrides = new TreeMap<>();
        List<String> series = List.of();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--only=")) {
                only = new java.util.TreeSet<>();
                for (String s : args[i].substring(7).split(",")) {
                    only.add(Integer.parseInt(s.trim()));
                }
            } else if (args[i].startsWith("--series=")) {
                series = List.of(args[i].substring(9).split(","));
            } else if (args[i].startsWith("--set=")) {
                for (String kv : args[i].substring(6).split(",")) {
                    String[] p = kv.split("=", 2);
                    overrides.put(p[0], p[1]);
                }
            } else {
                dir = Path.of(args[i]);
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("replica-local-");
        }
        ExperimentSpec spec = new SpecParser().parse(Files.readString(specFile), specFile.toString());
        List<PlannedRun> runs = SweepPlanner.plan(spec);
        ExperimentKind kind = ExperimentKinds.find(spec.kind())
                .orElseThrow(() -> new IllegalArgumentException("no built-in kind " + spec.kind()));
        KernelBackends.Selection sel = KernelBackends.selectConfigured();
        System.err.println(sel.summary());
        System.err.println(runs.size() + " runs of " + spec.name() + " -> " + dir);
        long total = System.nanoTime();
        try (RootAllocator alloc = new RootAllocator();
                MetricStore store = new MetricStore(
                        dir, alloc, MetricStore.Options.defaults().withFsync(false));
                KernelBackend k = sel.backend()) {
            for (PlannedRun run : runs) {
                if (only != null && !only.contains(run.index())) {
                    continue;
                }
                Map<String, Object> params = new TreeMap<>(run.params());
                overrides.forEach((key, v) -> params.put(key, parse(v, params.get(key))));
                String runId = spec.name() + "-" + run.index();
                Path runDir = Files.createDirectories(dir.resolve(runId));
                long t0 = System.nanoTime();
                try (MetricSink sink = new MetricSink(store, runId)) {
                    kind.run(new LocalRunContext(
                            runId,
                            params,
                            run.seed(),
                            sink,
                            k,
                            runDir,
                            line -> System.err.println("[" + runId + "] " + line)));
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                StringBuilder sb = new StringBuilder();
                sb.append(runId)
                        .append('\t')
                        .append(run.configKey())
                        .append("\tseed=")
                        .append(run.seed())
                        .append(String.format(Locale.ROOT, "\t%.1fs", secs));
                Map<String, MetricSummary> sums = new TreeMap<>(store.summaries(runId));
                sums.forEach((name, s) -> {
                    if (!name.startsWith("update/row_norm_cv/h") && !name.startsWith("update/row_norm_cv/moe")) {
                        sb.append('\t').append(name).append('=').append(String.format(Locale.ROOT, "%.4f", s.last()));
                    }
                });
                System.out.println(sb);
                if (!series.isEmpty()) {
                    dev.replica.experiments.metrics.RunData data = store.read(runId);
                    for (String m : series) {
                        if (!data.hasMetric(m)) {
                            continue;
                        }
                        StringBuilder line = new StringBuilder("  " + m + ":");
                        for (int r = 0; r < data.size(); r++) {
                            if (data.isPresent(m, r)) {
                                line.append(String.format(Locale.ROOT, " %d=%.4f", data.step(r), data.value(m, r)));
                            }
                        }
                        System.out.println(line);
                    }
                }
                System.out.flush();
            }
        }
        System.err.printf(Locale.ROOT, "total %.1fs%n", (System.nanoTime() - total) / 1e9);
    }

    private static Object parse(String v, Object like) {
        if (like instanceof Long) {
            return Long.parseLong(v);
        }
        if (like instanceof Double || like == null && v.matches("[-0-9.eE]+")) {
            return Double.parseDouble(v);
        }
        if (like instanceof Boolean) {
            return Boolean.parseBoolean(v);
        }
        return v;
    }
}

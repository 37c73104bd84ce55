package dev.replica.experiments.sweep;

import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.kind.KindSchema;
import dev.replica.experiments.search.Tpe;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SearchSpec;
import dev.replica.experiments.spec.SweepSpec;
import dev.replica.experiments.spec.SweepSpec.Distribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Expands a validated spec into runs: grid points × zipped tuples × random samples × seeds.
 * The order is deterministic (later grid axes vary fastest, seeds innermost) and random samples
 * come from the spec's sampler seed, so the same spec always yields the same plan.
 */
public final class SweepPlanner {

    private SweepPlanner() {}

    public static List<PlannedRun> plan(ExperimentSpec spec) {
        Map<String, Object> base = new LinkedHashMap<>();
        KindRegistry.find(spec.kind()).map(KindSchema::defaults).ifPresent(base::putAll);
        base.putAll(spec.params());

        List<Map<String, Object>> points = new ArrayList<>();
        points.add(base);
        points = crossGrid(points, spec.sweep().grid());
        points = crossZip(points, spec.sweep().zip());
        SearchSpec search = spec.sweep().search();
        if (search != null && search.method().proposes()) {
            points = firstProposals(base, spec);
        } else {
            points = crossRandom(points, spec.sweep().random());
        }
        if (spec.sweep().search() != null && spec.sweep().search().maxRuns() != null) {
            // the budget keeps whole configurations, in plan order: every seed of a kept point runs
            int configs = spec.sweep().search().maxRuns() / spec.seeds().size();
            points = points.subList(0, Math.min(points.size(), configs));
        }

        List<PlannedRun> runs = new ArrayList<>(points.size() * spec.seeds().size());
        for (Map<String, Object> point : points) {
            Map<String, Object> sorted = java.util.Collections.unmodifiableMap(new TreeMap<>(point));
            String key = configKey(sorted);
            for (long seed : spec.seeds()) {
                runs.add(new PlannedRun(runs.size(), sorted, seed, key));
            }
        }
        return runs;
    }

    private static List<Map<String, Object>> crossGrid(
            List<Map<String, Object>> points, Map<String, List<Object>> grid) {
        for (Map.Entry<String, List<Object>> axis : grid.entrySet()) {
            List<Map<String, Object>> next =
                    new ArrayList<>(points.size() * axis.getValue().size());
            for (Map<String, Object> p : points) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    private static List<Map<String, Object>> crossZip(List<Map<String, Object>> points, Map<String, List<Object>> zip) {
        if (zip.isEmpty()) {
            return points;
        }
        int length = zip.values().iterator().next().size();
        List<Map<String, Object>> next = new ArrayList<>(points.size() * length);
        for (Map<String, Object> p : points) {
            for (int i = 0; i < length; i++) {
                Map<String, Object> q = new LinkedHashMap<>(p);
                for (Map.Entry<String, List<Object>> axis : zip.entrySet()) {
                    q.put(axis.getKey(), axis.getValue().get(i));
                }
                next.add(q);
            }
        }
        return next;
    }

    private static List<Map<String, Object>> crossRandom(
            List<Map<String, Object>> points, SweepSpec.RandomSweep random) {
        if (random == null) {
            return points;
        }
        SplittableRandom rng = new SplittableRandom(random.samplerSeed());
        List<Map<String, Object>> samples = new ArrayList<>(random.count());
        for (int i = 0; i < random.count(); i++) {
            Map<String, Object> sample = new LinkedHashMap<>();
            for (Map.Entry<String, Distribution> e : random.params().entrySet()) {
                sample.put(e.getKey(), draw(e.getValue(), rng));
            }
            samples.add(sample);
        }
        List<Map<String, Object>> next = new ArrayList<>(points.size() * samples.size());
        for (Map<String, Object> p : points) {
            for (Map<String, Object> s : samples) {
                Map<String, Object> q = new LinkedHashMap<>(p);
                q.putAll(s);
                next.add(q);
            }
        }
        return next;
    }

    /**
     * What a TPE search starts with: its first {@code parallel} proposals, all random draws (nothing has finished
     * yet). The rest are proposed as configurations finish.
     */
    private static List<Map<String, Object>> firstProposals(Map<String, Object> base, ExperimentSpec spec) {
        Tpe tpe = tpe(spec);
        int first = Math.min(spec.sweep().search().parallel(), configurations(spec));
        List<Map<String, Object>> earlier = new ArrayList<>();
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < first; i++) {
            Tpe.Proposal p = tpe.propose(i, List.of(), earlier);
            if (p == null) {
                break;
            }
            earlier.add(p.params());
            Map<String, Object> q = new LinkedHashMap<>(base);
            q.putAll(p.params());
            points.add(q);
        }
        return points;
    }

    /** The sampler of a TPE search, over {@code sweep.random}'s distributions and seed. */
    public static Tpe tpe(ExperimentSpec spec) {
        SweepSpec.RandomSweep random = spec.sweep().random();
        return new Tpe(
                random.params(),
                spec.metric().goal(),
                random.samplerSeed(),
                spec.sweep().search().nStartup());
    }

    /**
     * How many configurations a TPE search tries: {@code sweep.random.count}, capped by {@code max_runs} over the
     * seeds.
     */
    public static int configurations(ExperimentSpec spec) {
        int count = spec.sweep().random() == null ? 0 : spec.sweep().random().count();
        Integer maxRuns =
                spec.sweep().search() == null ? null : spec.sweep().search().maxRuns();
        return maxRuns == null ? count : Math.min(count, maxRuns / spec.seeds().size());
    }

    /** The whole point of the parameters: {@code base} (kind defaults and {@code params}) with the swept ones. */
    public static PlannedRun.Point point(ExperimentSpec spec, Map<String, Object> swept) {
        Map<String, Object> q = new LinkedHashMap<>();
        KindRegistry.find(spec.kind()).map(KindSchema::defaults).ifPresent(q::putAll);
        q.putAll(spec.params());
        q.putAll(swept);
        Map<String, Object> sorted = java.util.Collections.unmodifiableMap(new TreeMap<>(q));
        return new PlannedRun.Point(sorted, configKey(sorted));
    }

    /** One random draw from a distribution. */
    public static Object draw(Distribution d, SplittableRandom rng) {
        if (d instanceof Distribution.Uniform u) {
            return u.min() + (u.max() - u.min()) * rng.nextDouble();
        }
        if (d instanceof Distribution.LogUniform u) {
            double lo = Math.log(u.min());
            return Math.exp(lo + (Math.log(u.max()) - lo) * rng.nextDouble());
        }
        if (d instanceof Distribution.IntUniform u) {
            return u.min() + rng.nextLong(u.max() - u.min() + 1);
        }
        List<Object> values = ((Distribution.Choice) d).values();
        return values.get(rng.nextInt(values.size()));
    }

    /** {@code lr=0.02,optimizer=muon}: stable text identifying a configuration (params sorted by name). */
    public static String configKey(Map<String, Object> sortedParams) {
        return sortedParams.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}

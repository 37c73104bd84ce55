package dev.replica.experiments.spec;

import dev.replica.experiments.kind.ParamSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Validates {@code sweep:}: the {@code grid} and {@code zip} axes (lists of values of declared parameters), the
 * {@code random} axes ({@link RandomSection}) and, once seeds and metric are known, the search keys
 * ({@link SearchSection}).
 */
final class SweepSection {

    private final SpecReader reader;
    private final KindParams kind;

    SweepSection(SpecReader reader, KindParams kind) {
        this.reader = reader;
        this.kind = kind;
    }

    /** The sweep's axes, {@link SweepSpec#NONE} without {@code sweep:}. */
    SweepSpec parse(Map<String, NodeTuple> top, Map<String, Object> params) {
        MappingNode node = reader.mapping(top, "sweep", "sweep");
        if (node == null) {
            return SweepSpec.NONE;
        }
        Map<String, NodeTuple> sweep = reader.entries(node, "sweep");
        Set<String> keys = new LinkedHashSet<>(List.of("grid", "zip", "random"));
        keys.addAll(SearchSection.KEYS);
        reader.checkKeys(sweep, "sweep", keys);
        if (sweep.isEmpty()) {
            reader.fail(node, "sweep", "is empty; give grid, zip or random axes, or remove it");
        }
        AxisClaims claims = new AxisClaims(reader, params.keySet());
        Map<String, List<Object>> grid = parseAxes(sweep, "grid", claims);
        Map<String, List<Object>> zip = parseAxes(sweep, "zip", claims);
        if (zip.size() > 1) {
            Set<Integer> lengths = zip.values().stream().map(List::size).collect(Collectors.toSet());
            if (lengths.size() > 1) {
                String detail = zip.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().size())
                        .collect(Collectors.joining(", "));
                reader.fail(
                        reader.valueNode(sweep, "zip"),
                        "sweep.zip",
                        "all lists must have the same length, got " + detail);
            }
        }
        SweepSpec.RandomSweep random = new RandomSection(reader, kind).parse(sweep, claims);
        return new SweepSpec(grid, zip, random);
    }

    /** The sweep with its search settings ({@code method}, rungs, budget), checked against seeds and metric. */
    SweepSpec withSearch(Map<String, NodeTuple> top, SweepSpec sweep, List<Long> seeds, MetricGoal metric) {
        Node node = reader.valueNode(top, "sweep");
        if (!(node instanceof MappingNode m)) {
            return sweep;
        }
        Map<String, NodeTuple> keys = new LinkedHashMap<>(); // duplicates were reported by parse
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                keys.putIfAbsent(k.getValue(), t);
            }
        }
        SearchSpec search = new SearchSection(reader).parse(keys, m, sweep, seeds, metric);
        return new SweepSpec(sweep.grid(), sweep.zip(), sweep.random(), search);
    }

    private Map<String, List<Object>> parseAxes(Map<String, NodeTuple> sweep, String part, AxisClaims claims) {
        Map<String, List<Object>> axes = new LinkedHashMap<>();
        String partPath = "sweep." + part;
        MappingNode node = reader.mapping(sweep, part, partPath);
        if (node == null) {
            if (sweep.containsKey(part) && SpecReader.isNull(reader.valueNode(sweep, part))) {
                reader.fail(reader.valueNode(sweep, part), partPath, "is empty");
            }
            return axes;
        }
        Map<String, NodeTuple> entries = reader.entries(node, partPath);
        if (entries.isEmpty()) {
            reader.fail(node, partPath, "is empty; give at least one parameter with a list of values");
        }
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            String path = partPath + "." + e.getKey();
            if (!claims.claim(e.getKey(), e.getValue().getKeyNode(), path)) {
                continue;
            }
            Optional<ParamSpec> spec = kind.declared(e.getKey(), e.getValue().getKeyNode(), path);
            if (kind.rejects(spec)) {
                continue;
            }
            Node valueNode = e.getValue().getValueNode();
            if (!(valueNode instanceof SequenceNode seq)) {
                reader.fail(
                        valueNode,
                        path,
                        "must be a list of values, e.g. [0.1, 0.2], got " + SpecReader.nodeKind(valueNode));
                continue;
            }
            if (seq.getValue().isEmpty()) {
                reader.fail(seq, path, "is an empty list; a sweep axis needs at least one value");
                continue;
            }
            List<Object> values = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String itemPath = path + "[" + i + "]";
                Optional<Object> v =
                        reader.itemValue(item, itemPath).flatMap(raw -> kind.coerce(spec, raw, item, itemPath));
                if (v.isPresent()) {
                    if (!seen.add(v.get()) && "grid".equals(part)) {
                        reader.fail(item, itemPath, "duplicate value " + v.get() + " would run the same point twice");
                    }
                    values.add(v.get());
                }
            }
            axes.put(e.getKey(), values);
        }
        return axes;
    }

    /** The runs a sweep plans: points × seeds, saturating at {@link Long#MAX_VALUE}, within the search budget. */
    static long countRuns(SweepSpec sweep, int seeds) {
        long points = 1;
        for (List<Object> values : sweep.grid().values()) {
            points = saturatingMultiply(points, values.size());
        }
        if (!sweep.zip().isEmpty()) {
            points = saturatingMultiply(
                    points, sweep.zip().values().iterator().next().size());
        }
        if (sweep.random() != null) {
            points = saturatingMultiply(points, sweep.random().count());
        }
        long runs = saturatingMultiply(points, seeds);
        if (sweep.search() != null && sweep.search().maxRuns() != null) {
            // the budget keeps whole configurations: every seed of a kept point runs
            runs = Math.min(runs, (long) (sweep.search().maxRuns() / seeds) * seeds);
        }
        return runs;
    }

    private static long saturatingMultiply(long a, long b) {
        long r = a * b;
        return (a != 0 && r / a != b) || r < 0 ? Long.MAX_VALUE : r;
    }
}

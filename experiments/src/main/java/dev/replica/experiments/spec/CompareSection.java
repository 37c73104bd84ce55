package dev.replica.experiments.spec;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Validates {@code compare:}: the baseline group, picked by values of the sweep's axes (each among the swept
 * values), and the efficiency measure, which needs a baseline to compare against.
 */
final class CompareSection {

    private final SpecReader reader;

    CompareSection(SpecReader reader) {
        this.reader = reader;
    }

    /** The comparison settings, null without {@code compare:}. */
    CompareSpec parse(Map<String, NodeTuple> top, SweepSpec sweep) {
        MappingNode node = reader.mapping(top, "compare", "compare");
        if (node == null) {
            return null;
        }
        Map<String, NodeTuple> c = reader.entries(node, "compare");
        reader.checkKeys(c, "compare", Set.of("baseline", "efficiency"));
        Map<String, Object> baseline = new LinkedHashMap<>();
        MappingNode b = reader.mapping(c, "baseline", "compare.baseline");
        if (b != null) {
            Set<String> axes = new LinkedHashSet<>(sweep.grid().keySet());
            axes.addAll(sweep.zip().keySet());
            if (sweep.random() != null) {
                axes.addAll(sweep.random().params().keySet());
            }
            for (Map.Entry<String, NodeTuple> e :
                    reader.entries(b, "compare.baseline").entrySet()) {
                String path = "compare.baseline." + e.getKey();
                if (!axes.contains(e.getKey())) {
                    reader.fail(
                            e.getValue().getKeyNode(),
                            path,
                            "is not a sweep axis; the baseline picks a group by swept parameters"
                                    + (axes.isEmpty() ? "" : " (" + String.join(", ", axes) + ")"));
                    continue;
                }
                reader.scalarValue(e.getValue().getValueNode(), path).ifPresent(v -> {
                    Object normalized =
                            v instanceof Long l && isFloatAxis(sweep, e.getKey()) ? (Object) l.doubleValue() : v;
                    List<Object> values =
                            sweep.grid().getOrDefault(e.getKey(), sweep.zip().get(e.getKey()));
                    if (values != null && !values.contains(normalized)) {
                        reader.fail(
                                e.getValue().getValueNode(),
                                path,
                                "value " + v + " is not among the swept values " + values);
                    }
                    baseline.put(e.getKey(), normalized);
                });
            }
        }
        String efficiency = reader.optionalString(c, "efficiency").orElse(null);
        if (efficiency != null && !CompareSpec.EFFICIENCY_MEASURES.contains(efficiency)) {
            reader.fail(
                    reader.valueNode(c, "efficiency"),
                    "compare.efficiency",
                    "unknown measure \"" + efficiency + "\"; known: "
                            + String.join(", ", new TreeSet<>(CompareSpec.EFFICIENCY_MEASURES)));
        }
        if (efficiency != null && baseline.isEmpty()) {
            reader.fail(node, "compare.baseline", "is required when compare.efficiency is set");
        }
        return new CompareSpec(baseline, efficiency);
    }

    private static boolean isFloatAxis(SweepSpec sweep, String name) {
        List<Object> values = sweep.grid().getOrDefault(name, sweep.zip().get(name));
        return values != null && !values.isEmpty() && values.get(0) instanceof Double;
    }
}

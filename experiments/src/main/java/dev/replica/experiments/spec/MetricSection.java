package dev.replica.experiments.spec;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Validates {@code metric:}: the primary metric's name and whether lower or higher is better. */
final class MetricSection {

    private final SpecReader reader;

    MetricSection(SpecReader reader) {
        this.reader = reader;
    }

    /** The primary metric, null without {@code metric:}; the goal defaults to {@code min}. */
    MetricGoal parse(Map<String, NodeTuple> top) {
        MappingNode node = reader.mapping(top, "metric", "metric");
        if (node == null) {
            return null;
        }
        Map<String, NodeTuple> m = reader.entries(node, "metric");
        reader.checkKeys(m, "metric", Set.of("primary", "goal"));
        String primary = reader.requiredString(m, "primary", node);
        MetricGoal.Goal goal = MetricGoal.Goal.MIN;
        Optional<String> g = reader.optionalString(m, "goal");
        if (g.isPresent()) {
            switch (g.get()) {
                case "min" -> goal = MetricGoal.Goal.MIN;
                case "max" -> goal = MetricGoal.Goal.MAX;
                default ->
                    reader.fail(
                            reader.valueNode(m, "goal"), "metric.goal", "must be min or max, got \"" + g.get() + "\"");
            }
        }
        return primary == null ? null : new MetricGoal(primary, goal);
    }
}

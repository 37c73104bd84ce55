package dev.replica.experiments.spec;

import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The reading primitives of one parse, for sections parsed outside {@link SpecParser}: each reports its errors,
 * located at the node, into the parse's error list.
 */
interface SpecNodes {

    /** Keys of a mapping in order; duplicate and non-scalar keys are reported. */
    Map<String, NodeTuple> entries(MappingNode map, String path);

    /** The value node of {@code key}, or null when absent. */
    Node valueNode(Map<String, NodeTuple> map, String key);

    /** A scalar's value (empty for null); anything else is reported. */
    Optional<Object> scalarValue(Node n, String path);

    /** An integer within [min, max]; anything else is reported. */
    Optional<Long> intValue(Node n, String path, long min, long max);

    /** Reports an error at {@code at}'s position. */
    void fail(Node at, String field, String message);
}

package dev.replica.experiments.spec;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/** The rule that a parameter is fixed or swept, in one place only: each sweep axis claims its name here. */
final class AxisClaims {

    private final SpecReader reader;
    private final Set<String> fixed;
    private final Map<String, Node> axes = new HashMap<>();

    /** @param fixed the names set in {@code params:} */
    AxisClaims(SpecReader reader, Set<String> fixed) {
        this.reader = reader;
        this.fixed = fixed;
    }

    /** Whether {@code name} may become an axis; a name already fixed or swept is reported and refused. */
    boolean claim(String name, Node keyNode, String path) {
        if (fixed.contains(name)) {
            reader.fail(keyNode, path, "is also set in params; set it in one place");
            return false;
        }
        Node previous = axes.putIfAbsent(name, keyNode);
        if (previous != null) {
            reader.fail(
                    keyNode,
                    path,
                    "is already a sweep axis at line "
                            + (previous.getStartMark().getLine() + 1));
            return false;
        }
        return true;
    }
}

package dev.replica.experiments.spec;

import dev.replica.experiments.kind.ParamSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Validates {@code params:}: the fixed parameters, each declared by the kind and of its declared type. */
final class ParamsSection {

    private final SpecReader reader;
    private final KindParams kind;

    ParamsSection(SpecReader reader, KindParams kind) {
        this.reader = reader;
        this.kind = kind;
    }

    /** The fixed parameters in spec order, coerced to their declared types; empty without {@code params:}. */
    Map<String, Object> parse(Map<String, NodeTuple> top) {
        Map<String, Object> params = new LinkedHashMap<>();
        MappingNode node = reader.mapping(top, "params", "params");
        if (node == null) {
            return params;
        }
        for (Map.Entry<String, NodeTuple> e : reader.entries(node, "params").entrySet()) {
            String path = "params." + e.getKey();
            if (e.getKey().length() > SpecParser.MAX_PARAM_NAME_CHARS) {
                reader.fail(
                        e.getValue().getKeyNode(),
                        "params",
                        "parameter name is " + e.getKey().length() + " characters; the limit is "
                                + SpecParser.MAX_PARAM_NAME_CHARS);
                continue;
            }
            Optional<ParamSpec> spec = kind.declared(e.getKey(), e.getValue().getKeyNode(), path);
            if (kind.rejects(spec)) {
                continue;
            }
            reader.itemValue(e.getValue().getValueNode(), path)
                    .flatMap(raw -> kind.coerce(spec, raw, e.getValue().getValueNode(), path))
                    .ifPresent(v -> params.put(e.getKey(), v));
        }
        return params;
    }
}

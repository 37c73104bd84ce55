package dev.replica.experiments.spec;

import dev.replica.experiments.kind.KindSchema;
import dev.replica.experiments.kind.ParamSpec;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The spec's kind schema as the sections see it: which parameter names it declares, and each value coerced to the
 * declared type and range. Shared by {@code params:} and every sweep axis, so a parameter is checked the same way
 * whether it is fixed or swept. With an unknown kind (already reported) nothing is checked.
 */
final class KindParams {

    private final SpecReader reader;
    private final KindSchema kind;

    /** @param kind the spec's kind, null when missing or unknown */
    KindParams(SpecReader reader, KindSchema kind) {
        this.reader = reader;
        this.kind = kind;
    }

    /** The declared parameter {@code name}; an undeclared one is reported unless the kind accepts any. */
    Optional<ParamSpec> declared(String name, Node keyNode, String path) {
        if (kind == null) {
            return Optional.empty();
        }
        Optional<ParamSpec> spec = kind.param(name);
        if (spec.isEmpty() && !kind.openParams()) {
            List<String> known = kind.params().stream().map(ParamSpec::name).toList();
            reader.fail(
                    keyNode,
                    path,
                    "unknown parameter \"" + name + "\" for kind " + kind.name() + SpecParser.suggestion(name, known)
                            + "; known: " + String.join(", ", known));
        }
        return spec;
    }

    /** Whether a parameter that {@link #declared} found no declaration for is to be skipped (already reported). */
    boolean rejects(Optional<ParamSpec> spec) {
        return kind != null && !kind.openParams() && spec.isEmpty();
    }

    /** {@code raw} as the declared type (as written when undeclared); a value out of type or range is reported. */
    Optional<Object> coerce(Optional<ParamSpec> spec, Object raw, Node at, String path) {
        if (spec.isEmpty()) {
            return Optional.of(raw);
        }
        String[] error = new String[1];
        Optional<Object> v = spec.get().coerce(raw, error);
        if (v.isEmpty()) {
            reader.fail(at, path, error[0]);
        }
        return v;
    }
}

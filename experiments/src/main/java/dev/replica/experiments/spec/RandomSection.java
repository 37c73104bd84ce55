package dev.replica.experiments.spec;

import dev.replica.experiments.kind.ParamSpec;
import dev.replica.experiments.kind.ParamType;
import dev.replica.experiments.spec.SweepSpec.Distribution;
import dev.replica.experiments.spec.SweepSpec.RandomSweep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Validates {@code sweep.random:}: the sample count, the sampler seed and one distribution per parameter, each
 * fitting the parameter's declared type (integers sample with {@code int-uniform}, text with {@code choice}) and
 * range.
 */
final class RandomSection {

    private static final String USAGE =
            "must be one of {uniform: [min, max]}, {log-uniform: [min, max]}, {int-uniform: [min, max]}, {choice: [a, b, …]}";

    private final SpecReader reader;
    private final KindParams kind;

    RandomSection(SpecReader reader, KindParams kind) {
        this.reader = reader;
        this.kind = kind;
    }

    /** The random axes, null without {@code sweep.random:}. */
    RandomSweep parse(Map<String, NodeTuple> sweep, AxisClaims claims) {
        MappingNode node = reader.mapping(sweep, "random", "sweep.random");
        if (node == null) {
            return null;
        }
        Map<String, NodeTuple> r = reader.entries(node, "sweep.random");
        reader.checkKeys(r, "sweep.random", Set.of("count", "seed", "params"));
        Node countNode = reader.valueNode(r, "count");
        long count = 0;
        if (countNode == null) {
            reader.fail(node, "sweep.random.count", "is required");
        } else {
            count = reader.intValue(countNode, "sweep.random.count", 1, 1_000_000)
                    .orElse(0L);
        }
        long samplerSeed = reader.optionalInt(r, "seed", "sweep.random.seed", Long.MIN_VALUE, Long.MAX_VALUE)
                .orElse(0L);
        Map<String, Distribution> dists = new LinkedHashMap<>();
        MappingNode pnode = reader.mapping(r, "params", "sweep.random.params");
        if (pnode == null) {
            reader.fail(
                    node,
                    "sweep.random.params",
                    "is required: parameter → distribution, e.g. lr: {log-uniform: [1e-4, 1e-1]}");
        } else {
            Map<String, NodeTuple> pe = reader.entries(pnode, "sweep.random.params");
            if (pe.isEmpty()) {
                reader.fail(pnode, "sweep.random.params", "is empty");
            }
            for (Map.Entry<String, NodeTuple> e : pe.entrySet()) {
                String path = "sweep.random.params." + e.getKey();
                if (!claims.claim(e.getKey(), e.getValue().getKeyNode(), path)) {
                    continue;
                }
                Optional<ParamSpec> spec =
                        kind.declared(e.getKey(), e.getValue().getKeyNode(), path);
                if (kind.rejects(spec)) {
                    continue;
                }
                parseDistribution(e.getValue().getValueNode(), path, spec).ifPresent(d -> dists.put(e.getKey(), d));
            }
        }
        return new RandomSweep((int) count, samplerSeed, dists);
    }

    private Optional<Distribution> parseDistribution(Node n, String path, Optional<ParamSpec> spec) {
        if (!(n instanceof MappingNode m) || m.getValue().size() != 1) {
            reader.fail(n, path, USAGE);
            return Optional.empty();
        }
        NodeTuple t = m.getValue().get(0);
        String type = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
        String dpath = path + "." + type;
        if (!(t.getValueNode() instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            reader.fail(t.getValueNode(), dpath, "must be a non-empty list");
            return Optional.empty();
        }
        List<Object> raw = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            reader.scalarValue(seq.getValue().get(i), dpath + "[" + i + "]").ifPresent(raw::add);
        }
        if (raw.size() != seq.getValue().size()) {
            return Optional.empty();
        }
        return switch (type) {
            case "choice" -> choice(spec, raw, seq, dpath);
            case "uniform", "log-uniform", "int-uniform" -> range(type, spec, raw, t.getKeyNode(), seq, dpath);
            default -> {
                reader.fail(t.getKeyNode(), path, "unknown distribution \"" + type + "\"; " + USAGE);
                yield Optional.empty();
            }
        };
    }

    private Optional<Distribution> choice(Optional<ParamSpec> spec, List<Object> raw, SequenceNode seq, String dpath) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            kind.coerce(spec, raw.get(i), seq.getValue().get(i), dpath + "[" + i + "]")
                    .ifPresent(values::add);
        }
        return values.size() == raw.size() ? Optional.of(new Distribution.Choice(values)) : Optional.empty();
    }

    private Optional<Distribution> range(
            String type, Optional<ParamSpec> spec, List<Object> raw, Node typeNode, SequenceNode seq, String dpath) {
        if (raw.size() != 2 || !(raw.get(0) instanceof Number lo) || !(raw.get(1) instanceof Number hi)) {
            reader.fail(seq, dpath, "must be [min, max] with two numbers");
            return Optional.empty();
        }
        if (lo.doubleValue() >= hi.doubleValue()) {
            reader.fail(seq, dpath, "min must be below max, got [" + lo + ", " + hi + "]");
            return Optional.empty();
        }
        if (type.equals("log-uniform") && lo.doubleValue() <= 0) {
            reader.fail(seq, dpath, "log-uniform needs min > 0, got " + lo);
            return Optional.empty();
        }
        if (type.equals("int-uniform")) {
            if (!(lo instanceof Long) || !(hi instanceof Long)) {
                reader.fail(seq, dpath, "int-uniform needs integer bounds");
                return Optional.empty();
            }
            checkBounds(spec, lo, hi, seq, dpath);
            return Optional.of(new Distribution.IntUniform(lo.longValue(), hi.longValue()));
        }
        if (spec.map(p -> p.type() == ParamType.INT).orElse(false)) {
            reader.fail(typeNode, dpath, "parameter is an integer; use int-uniform");
            return Optional.empty();
        }
        if (spec.isPresent() && spec.get().type() != ParamType.FLOAT) {
            reader.fail(typeNode, dpath, "parameter is " + spec.get().typeDescription() + "; use choice");
            return Optional.empty();
        }
        checkBounds(spec, lo, hi, seq, dpath);
        return Optional.of(
                type.equals("uniform")
                        ? new Distribution.Uniform(lo.doubleValue(), hi.doubleValue())
                        : new Distribution.LogUniform(lo.doubleValue(), hi.doubleValue()));
    }

    /** Both bounds of a range must be values the parameter accepts. */
    private void checkBounds(Optional<ParamSpec> spec, Number lo, Number hi, Node at, String path) {
        if (spec.isPresent()) {
            kind.coerce(spec, lo, at, path + "[0]");
            kind.coerce(spec, hi, at, path + "[1]");
        }
    }
}

package dev.replica.experiments.spec;

import dev.replica.experiments.kind.KindSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Validates what an external program receives: {@code command:}, an argv template required by kinds that
 * {@linkplain KindSchema#needsCommand() need one} and refused by the others, whose {@code {name}} placeholders must
 * name a parameter, an axis or a {@linkplain SpecParser#BUILTIN_PLACEHOLDERS built-in}; and {@code env:}.
 */
final class CommandSection {

    /** A {@code {name}} placeholder; {@code {{} and {@code }}} are escaped literal braces. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_./-]*)}");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final SpecReader reader;

    CommandSection(SpecReader reader) {
        this.reader = reader;
    }

    /** The argv template; empty when the kind runs in-process (or is unknown). */
    List<String> command(Map<String, NodeTuple> top, KindSchema kind, Map<String, Object> params, SweepSpec sweep) {
        Node n = reader.valueNode(top, "command");
        if (kind == null) {
            return List.of();
        }
        if (n == null) {
            if (kind.needsCommand()) {
                reader.fail(
                        top.get("kind").getValueNode(),
                        "command",
                        "is required for kind " + kind.name()
                                + ": an argv list such as [python3, train.py, \"--lr={lr}\"]");
            }
            return List.of();
        }
        if (!kind.needsCommand()) {
            reader.fail(
                    top.get("command").getKeyNode(),
                    "command",
                    "is only allowed with kind: command (built-in kinds run in-process)");
            return List.of();
        }
        if (!(n instanceof SequenceNode seq)) {
            reader.fail(
                    n,
                    "command",
                    "must be an argv list such as [python3, train.py, \"--lr={lr}\"]; commands never run through a shell");
            return List.of();
        }
        if (seq.getValue().isEmpty()) {
            reader.fail(n, "command", "is an empty list; give the program and its arguments");
            return List.of();
        }
        Set<String> known = new LinkedHashSet<>(params.keySet());
        known.addAll(sweep.grid().keySet());
        known.addAll(sweep.zip().keySet());
        if (sweep.random() != null) {
            known.addAll(sweep.random().params().keySet());
        }
        known.addAll(SpecParser.BUILTIN_PLACEHOLDERS);
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String path = "command[" + i + "]";
            Optional<Object> v = reader.itemValue(item, path);
            if (v.isEmpty()) {
                continue;
            }
            String arg = String.valueOf(v.get());
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                if (m.group(1) != null && !known.contains(m.group(1))) {
                    reader.fail(
                            item,
                            path,
                            "placeholder {" + m.group(1) + "} names no parameter"
                                    + SpecParser.suggestion(m.group(1), known) + "; available: "
                                    + String.join(", ", known));
                }
            }
            argv.add(arg);
        }
        return argv;
    }

    /** The extra environment of every run, in spec order; names must be valid variable names. */
    Map<String, String> env(Map<String, NodeTuple> top) {
        Map<String, String> env = new LinkedHashMap<>();
        MappingNode node = reader.mapping(top, "env", "env");
        if (node == null) {
            return env;
        }
        for (Map.Entry<String, NodeTuple> e : reader.entries(node, "env").entrySet()) {
            String path = "env." + e.getKey();
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                reader.fail(e.getValue().getKeyNode(), path, "is not a valid environment variable name");
                continue;
            }
            reader.scalarValue(e.getValue().getValueNode(), path)
                    .ifPresent(v -> env.put(e.getKey(), String.valueOf(v)));
        }
        return env;
    }
}

package dev.replica.experiments.spec;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One parse's YAML tree and the errors found in it so far: composes the source, and reads mappings, scalars,
 * strings, integers and durations, reporting each problem at its node. The section validators read through it, so
 * every error of a spec is collected before {@link SpecParser} throws.
 */
final class SpecReader implements SpecNodes {

    private final String source;
    private final String file;
    private final List<SpecError> errors = new ArrayList<>();

    SpecReader(String source, String file) {
        this.source = source == null ? "" : source;
        this.file = file == null ? "<spec>" : file;
    }

    String source() {
        return source;
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Every error found so far, as one exception. */
    SpecValidationException invalid() {
        return new SpecValidationException(errors);
    }

    /** The YAML tree of the source, or null when it is empty or not YAML (the latter reported). */
    Node compose() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(SpecParser.MAX_SPEC_CHARS * 4);
        options.setNestingDepthLimit(50);
        try {
            return new Yaml(options).compose(new StringReader(source));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            errors.add(new SpecError(
                    file,
                    mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1,
                    "",
                    "invalid YAML: " + context + problem));
            return null;
        } catch (YAMLException e) {
            errors.add(new SpecError(file, 0, 0, "", "invalid YAML: " + e.getMessage()));
            return null;
        }
    }

    /**
     * Whether the tree, with every alias expanded, stays within {@link SpecParser#MAX_EXPANDED_CHARS} characters of
     * keys and values (one more per node). Shared nodes count at each use but are walked once: sizes are remembered.
     */
    boolean fitsExpanded(Node root) {
        long limit = SpecParser.MAX_EXPANDED_CHARS;
        long size = expandedSize(root, limit + 1L, new IdentityHashMap<>());
        if (size > limit) {
            fail(
                    root,
                    "",
                    "spec expands to more than " + limit
                            + " characters once its anchors and aliases are resolved; the limit is " + limit);
            return false;
        }
        return true;
    }

    /** Characters of a node with aliases expanded, stopping once past {@code cap}. */
    private long expandedSize(Node n, long cap, IdentityHashMap<Node, Long> sizes) {
        Long known = sizes.get(n);
        if (known != null) {
            return known;
        }
        sizes.put(n, cap); // a node that contains itself expands without end
        long size = 1;
        if (n instanceof ScalarNode s) {
            size += s.getValue().length();
        } else if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                size = Math.min(cap, size + expandedSize(item, cap, sizes));
            }
        } else if (n instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                size = Math.min(cap, size + expandedSize(t.getKeyNode(), cap, sizes));
                size = Math.min(cap, size + expandedSize(t.getValueNode(), cap, sizes));
            }
        }
        sizes.put(n, size);
        return size;
    }

    /** Keys of a mapping in order; duplicate and non-scalar keys are errors. */
    @Override
    public Map<String, NodeTuple> entries(MappingNode map, String path) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                fail(t.getKeyNode(), path, "keys must be plain strings");
                continue;
            }
            String key = keyNode.getValue();
            NodeTuple previous = out.putIfAbsent(key, t);
            if (previous != null) {
                fail(
                        keyNode,
                        join(path, key),
                        "duplicate key; first defined at line "
                                + (previous.getKeyNode().getStartMark().getLine() + 1));
            }
        }
        return out;
    }

    @Override
    public Node valueNode(Map<String, NodeTuple> map, String key) {
        NodeTuple t = map.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** The mapping under {@code key}, null when absent or null; anything but a mapping is reported. */
    MappingNode mapping(Map<String, NodeTuple> map, String key, String path) {
        Node n = valueNode(map, key);
        if (n == null || isNull(n)) {
            return null;
        }
        if (n instanceof MappingNode m) {
            return m;
        }
        fail(n, path, "must be a mapping, got " + nodeKind(n));
        return null;
    }

    /** Reports every key of {@code map} outside {@code allowed}, with the closest allowed one. */
    void checkKeys(Map<String, NodeTuple> map, String path, Set<String> allowed) {
        for (Map.Entry<String, NodeTuple> e : map.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                fail(
                        e.getValue().getKeyNode(),
                        join(path, e.getKey()),
                        "unknown key" + SpecParser.suggestion(e.getKey(), allowed) + "; allowed: "
                                + String.join(", ", allowed));
            }
        }
    }

    @Override
    public Optional<Object> scalarValue(Node n, String path) {
        if (n instanceof ScalarNode s) {
            if (s.getValue().length() > SpecParser.MAX_VALUE_CHARS) {
                fail(
                        n,
                        path,
                        "is " + s.getValue().length() + " characters; the limit is " + SpecParser.MAX_VALUE_CHARS);
            }
            return YamlValues.scalar(s);
        }
        fail(n, path, "must be a single value, got " + nodeKind(n));
        return Optional.empty();
    }

    /** A scalar list item's value; a null item is reported as needing a value, other shapes by scalarValue. */
    Optional<Object> itemValue(Node item, String path) {
        Optional<Object> v = scalarValue(item, path);
        if (v.isEmpty() && item instanceof ScalarNode) {
            fail(item, path, "needs a value");
        }
        return v;
    }

    String requiredString(Map<String, NodeTuple> map, String key, Node parent) {
        Node n = valueNode(map, key);
        if (n == null || isNull(n)) {
            fail(n != null ? n : parent, key, "is required");
            return null;
        }
        return stringValue(n, key);
    }

    Optional<String> optionalString(Map<String, NodeTuple> map, String key) {
        Node n = valueNode(map, key);
        if (n == null || isNull(n)) {
            return Optional.empty();
        }
        return Optional.ofNullable(stringValue(n, key));
    }

    private String stringValue(Node n, String path) {
        Optional<Object> v = scalarValue(n, path);
        if (v.isPresent() && v.get() instanceof String s) {
            return s;
        }
        v.ifPresent(o -> fail(n, path, "must be a string, got " + o));
        return null;
    }

    Optional<Long> optionalInt(Map<String, NodeTuple> map, String key, String path, long min, long max) {
        Node n = valueNode(map, key);
        if (n == null || isNull(n)) {
            return Optional.empty();
        }
        return intValue(n, path, min, max);
    }

    @Override
    public Optional<Long> intValue(Node n, String path, long min, long max) {
        Optional<Object> v = scalarValue(n, path);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!(v.get() instanceof Long l)) {
            fail(n, path, "must be an integer, got " + v.get());
            return Optional.empty();
        }
        if (l < min || l > max) {
            fail(n, path, "must be in [" + min + ", " + max + "], got " + l);
            return Optional.empty();
        }
        return Optional.of(l);
    }

    /** The duration under {@code key}, null when absent; anything but a duration up to {@link Durations#MAX} is reported. */
    Duration optionalDuration(Map<String, NodeTuple> map, String key, String path) {
        Node n = valueNode(map, key);
        if (n == null) {
            return null;
        }
        Optional<Object> v = scalarValue(n, path);
        if (v.isEmpty()) {
            return null;
        }
        Optional<Duration> d = Durations.parse(v.get());
        if (d.isEmpty()) {
            fail(
                    n,
                    path,
                    "must be a duration such as 90s, 30m, 2h or 1h30m (or seconds as an integer), got " + v.get());
        } else if (d.get().compareTo(Durations.MAX) > 0) {
            fail(n, path, "must be at most " + Durations.MAX.toDays() + "d, got " + v.get());
            return null;
        }
        return d.orElse(null);
    }

    @Override
    public void fail(Node at, String field, String message) {
        int line = 0;
        int column = 0;
        if (at != null && at.getStartMark() != null) {
            line = at.getStartMark().getLine() + 1;
            column = at.getStartMark().getColumn() + 1;
        }
        errors.add(new SpecError(file, line, column, field, message));
    }

    static boolean isNull(Node n) {
        return n instanceof ScalarNode s && YamlValues.scalar(s).isEmpty();
    }

    /** How a node reads in an error: "a mapping", "a list" or the scalar in quotes. */
    static String nodeKind(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        return n instanceof ScalarNode s ? "\"" + s.getValue() + "\"" : "nothing";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}

package dev.replica.experiments.spec;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Validates {@code tags:}: a list of tags for the experiment and each of its runs, by the rule of {@link TagSyntax}. */
final class TagsSection {

    private final SpecReader reader;

    TagsSection(SpecReader reader) {
        this.reader = reader;
    }

    /** The spec's tags in order, without repeats; empty when the key is absent. */
    List<String> parse(Map<String, NodeTuple> top) {
        Node n = reader.valueNode(top, "tags");
        if (n == null || SpecReader.isNull(n)) {
            return List.of();
        }
        if (!(n instanceof SequenceNode seq)) {
            reader.fail(n, "tags", "must be a list of tags such as [baseline, adamw], got " + SpecReader.nodeKind(n));
            return List.of();
        }
        if (seq.getValue().size() > TagSyntax.MAX_TAGS) {
            reader.fail(n, "tags", "has " + seq.getValue().size() + " tags; the limit is " + TagSyntax.MAX_TAGS);
            return List.of();
        }
        Set<String> tags = new LinkedHashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String path = "tags[" + i + "]";
            Optional<Object> v = reader.scalarValue(item, path);
            if (v.isPresent() && !(v.get() instanceof String)) {
                reader.fail(item, path, "must be a string; quote it: \"" + v.get() + "\"");
                continue;
            }
            String problem = TagSyntax.problem(v.map(String.class::cast).orElse(null));
            if (problem != null) {
                reader.fail(item, path, problem);
            } else if (!tags.add((String) v.get())) {
                reader.fail(item, path, "repeats the tag \"" + v.get() + "\"");
            }
        }
        return List.copyOf(tags);
    }
}

package dev.replica.experiments.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Validates {@code seeds:} (distinct integers) or {@code replicates:} (seeds 0 … n−1), one or the other. */
final class SeedsSection {

    private static final List<Long> DEFAULT = List.of(0L);

    private final SpecReader reader;

    SeedsSection(SpecReader reader) {
        this.reader = reader;
    }

    /** The seeds every sweep point runs with; {@code [0]} when neither key is given. */
    List<Long> parse(Map<String, NodeTuple> top) {
        Node seedsNode = reader.valueNode(top, "seeds");
        Node replicatesNode = reader.valueNode(top, "replicates");
        if (seedsNode != null && replicatesNode != null) {
            reader.fail(replicatesNode, "replicates", "give either seeds or replicates, not both");
            return DEFAULT;
        }
        if (replicatesNode != null) {
            long n = reader.intValue(replicatesNode, "replicates", 1, 10_000).orElse(1L);
            List<Long> seeds = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                seeds.add(i);
            }
            return seeds;
        }
        if (seedsNode == null) {
            return DEFAULT;
        }
        if (!(seedsNode instanceof SequenceNode seq)) {
            reader.fail(
                    seedsNode,
                    "seeds",
                    "must be a list of integers, e.g. [0, 1, 2], got " + SpecReader.nodeKind(seedsNode));
            return DEFAULT;
        }
        if (seq.getValue().isEmpty()) {
            reader.fail(seq, "seeds", "is an empty list; give at least one seed or remove it");
            return DEFAULT;
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            Optional<Long> s = reader.intValue(item, "seeds[" + i + "]", Long.MIN_VALUE, Long.MAX_VALUE);
            if (s.isPresent()) {
                if (seeds.contains(s.get())) {
                    reader.fail(item, "seeds[" + i + "]", "duplicate seed " + s.get());
                }
                seeds.add(s.get());
            }
        }
        return seeds;
    }
}

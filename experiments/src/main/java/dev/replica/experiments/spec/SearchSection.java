package dev.replica.experiments.spec;

import dev.replica.experiments.spec.SearchSpec.Method;
import dev.replica.experiments.spec.SearchSpec.PruneOn;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Parses the search keys of {@code sweep:} ({@code method}, {@code resource}, {@code min_resource},
 * {@code max_resource}, {@code eta}, {@code brackets}, {@code prune_on}, {@code max_runs}, and TPE's
 * {@code n_startup}, {@code parallel}) and checks them against the rest of the spec: early stopping and TPE need a
 * primary metric to judge by, {@code prune_on: upper_ci} needs seeds to form an interval, Hyperband's brackets must
 * fit below {@code max_resource}, TPE proposes from {@code sweep.random}'s distributions only.
 */
final class SearchSection {

    /** The keys this section owns inside {@code sweep:}. */
    static final Set<String> KEYS = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(
            "method",
            "resource",
            "min_resource",
            "max_resource",
            "eta",
            "brackets",
            "prune_on",
            "max_runs",
            "n_startup",
            "parallel")));
    /** Startup random trials when {@code n_startup} is not given (Optuna's and Hyperopt's default). */
    static final int DEFAULT_N_STARTUP = 10;

    private static final List<String> METHODS =
            Arrays.stream(Method.values()).map(Method::label).toList();
    private static final List<String> PRUNE_ON =
            Arrays.stream(PruneOn.values()).map(PruneOn::label).toList();
    /** Largest resource value accepted: rung arithmetic stays exact in a long. */
    private static final long MAX_RESOURCE = 1L << 50;

    private final SpecNodes nodes;

    SearchSection(SpecNodes nodes) {
        this.nodes = nodes;
    }

    /**
     * The search settings, or null when {@code sweep:} has none of their keys (every planned run goes to the end).
     *
     * @param sweepNode the {@code sweep:} mapping's entries
     * @param at        the {@code sweep:} node, where errors about the whole section point
     * @param sweep     the axes parsed from the same section
     * @param seeds     the spec's seeds
     * @param metric    the spec's primary metric, null when not declared
     */
    SearchSpec parse(Map<String, NodeTuple> sweepNode, Node at, SweepSpec sweep, List<Long> seeds, MetricGoal metric) {
        if (sweepNode.keySet().stream().noneMatch(KEYS::contains)) {
            return null;
        }
        Method method = parseMethod(sweepNode, at, sweep);
        if (method == null) {
            return null;
        }
        Optional<Long> maxRuns = optionalInt(sweepNode, "max_runs", 1, Integer.MAX_VALUE);
        if (maxRuns.isPresent() && maxRuns.get() < seeds.size()) {
            nodes.fail(
                    nodes.valueNode(sweepNode, "max_runs"),
                    "sweep.max_runs",
                    "is " + maxRuns.get() + ", fewer than the " + seeds.size()
                            + " seeds one configuration runs; raise it to at least " + seeds.size());
        }
        Integer budget = maxRuns.map(Long::intValue).orElse(null);
        if (!method.proposes()) {
            for (String key : List.of("n_startup", "parallel")) {
                if (sweepNode.containsKey(key)) {
                    nodes.fail(
                            sweepNode.get(key).getKeyNode(),
                            "sweep." + key,
                            "applies only to method tpe (proposals from results), not " + method.label());
                }
            }
        }
        if (!method.prunes()) {
            for (String key : List.of("resource", "min_resource", "max_resource", "eta", "brackets", "prune_on")) {
                if (sweepNode.containsKey(key)) {
                    nodes.fail(
                            sweepNode.get(key).getKeyNode(),
                            "sweep." + key,
                            "applies only to method asha or hyperband (early stopping), not " + method.label());
                }
            }
            if (method.proposes()) {
                return parseTpe(sweepNode, sweep, seeds, metric, budget);
            }
            return new SearchSpec(method, SearchSpec.STEP, 0, null, 0, 1, PruneOn.MEAN, budget);
        }
        if (metric == null) {
            nodes.fail(
                    nodes.valueNode(sweepNode, "method"),
                    "sweep.method",
                    method.label()
                            + " judges runs by the primary metric: add metric: {primary: <name>, goal: min|max}");
        }
        String resource = optionalString(sweepNode, "resource").orElse(SearchSpec.STEP);
        long eta = optionalInt(sweepNode, "eta", 2, 100).orElse(3L);
        Node minNode = nodes.valueNode(sweepNode, "min_resource");
        long min = 0;
        if (minNode == null) {
            nodes.fail(
                    at,
                    "sweep.min_resource",
                    "is required for method " + method.label() + ": the " + resource
                            + " of the first rung, e.g. min_resource: 100");
        } else {
            min = nodes.intValue(minNode, "sweep.min_resource", 1, MAX_RESOURCE).orElse(0L);
        }
        Long max = optionalInt(sweepNode, "max_resource", 1, MAX_RESOURCE).orElse(null);
        if (max != null && min > 0 && max <= min) {
            nodes.fail(
                    nodes.valueNode(sweepNode, "max_resource"),
                    "sweep.max_resource",
                    "must be above min_resource (" + min + "), got " + max);
            max = null;
        }
        int brackets = parseBrackets(sweepNode, at, method, min, max, eta);
        PruneOn pruneOn = parsePruneOn(sweepNode, seeds);
        return new SearchSpec(method, resource, min, max, (int) eta, brackets, pruneOn, budget);
    }

    private SearchSpec parseTpe(
            Map<String, NodeTuple> sweepNode, SweepSpec sweep, List<Long> seeds, MetricGoal metric, Integer budget) {
        Node methodNode = nodes.valueNode(sweepNode, "method");
        if (metric == null) {
            nodes.fail(
                    methodNode,
                    "sweep.method",
                    "tpe proposes from results by the primary metric: add metric: {primary: <name>, goal: min|max}");
        }
        int configurations = sweep.random() == null ? 0 : sweep.random().count();
        if (budget != null) {
            configurations = Math.min(configurations, budget / Math.max(1, seeds.size()));
        }
        Optional<Long> given = optionalInt(sweepNode, "n_startup", 1, 1_000_000);
        long nStartup = given.orElse((long) Math.min(DEFAULT_N_STARTUP, Math.max(1, configurations / 2)));
        if (given.isPresent() && configurations > 0 && nStartup >= configurations) {
            nodes.fail(
                    nodes.valueNode(sweepNode, "n_startup"),
                    "sweep.n_startup",
                    "is " + nStartup + " but the search tries only " + configurations
                            + " configurations (sweep.random.count" + (budget == null ? "" : ", capped by max_runs")
                            + "): every one would be random; lower it below " + configurations);
        }
        long parallel = optionalInt(sweepNode, "parallel", 1, 10_000).orElse(1L);
        return new SearchSpec(
                Method.TPE, SearchSpec.STEP, 0, null, 0, 1, PruneOn.MEAN, budget, (int) nStartup, (int) parallel);
    }

    private Method parseMethod(Map<String, NodeTuple> sweepNode, Node at, SweepSpec sweep) {
        Node n = nodes.valueNode(sweepNode, "method");
        if (n == null) {
            nodes.fail(at, "sweep.method", "is required with search settings: one of " + String.join(", ", METHODS));
            return null;
        }
        Optional<String> text = string(n, "sweep.method");
        if (text.isEmpty()) {
            return null;
        }
        Method method = Arrays.stream(Method.values())
                .filter(m -> m.label().equals(text.get()))
                .findFirst()
                .orElse(null);
        if (method == null) {
            nodes.fail(
                    n,
                    "sweep.method",
                    "unknown method \"" + text.get() + "\"" + SpecParser.suggestion(text.get(), METHODS) + "; known: "
                            + String.join(", ", METHODS));
            return null;
        }
        boolean hasAxes = !sweep.grid().isEmpty() || !sweep.zip().isEmpty() || sweep.random() != null;
        if (method == Method.RANDOM && sweep.random() == null) {
            nodes.fail(n, "sweep.method", "random needs sweep.random: {count, seed, params}");
        } else if (method == Method.GRID
                && sweep.grid().isEmpty()
                && sweep.zip().isEmpty()) {
            nodes.fail(n, "sweep.method", "grid needs sweep.grid (or sweep.zip) axes");
        } else if (method.proposes()
                && (sweep.random() == null
                        || !sweep.grid().isEmpty()
                        || !sweep.zip().isEmpty())) {
            nodes.fail(
                    n,
                    "sweep.method",
                    "tpe proposes from the distributions of sweep.random: {count, seed, params}"
                            + (sweep.random() == null ? "" : "; remove sweep.grid and sweep.zip")
                            + " (count is the number of configurations it tries, seed its sampler seed)");
        } else if (method.prunes() && !hasAxes) {
            nodes.fail(
                    n,
                    "sweep.method",
                    method.label() + " chooses among configurations: give them as sweep.random (or grid/zip) axes");
        }
        return method;
    }

    private int parseBrackets(Map<String, NodeTuple> sweepNode, Node at, Method method, long min, Long max, long eta) {
        Node n = nodes.valueNode(sweepNode, "brackets");
        if (method != Method.HYPERBAND) {
            if (n != null) {
                nodes.fail(
                        sweepNode.get("brackets").getKeyNode(),
                        "sweep.brackets",
                        "applies only to method hyperband; asha runs one bracket");
            }
            return 1;
        }
        if (!sweepNode.containsKey("max_resource")) {
            nodes.fail(
                    at,
                    "sweep.max_resource",
                    "is required for method hyperband: its brackets start at min_resource·eta^s below it");
            return 1;
        }
        int fit = bracketsBelow(min, max, eta);
        if (n == null) {
            return Math.max(1, fit);
        }
        long brackets = nodes.intValue(n, "sweep.brackets", 1, 64).orElse(1L);
        if (min > 0 && max != null && brackets > fit) {
            nodes.fail(
                    n,
                    "sweep.brackets",
                    "is " + brackets + " but only " + fit + " fit: bracket s starts at min_resource·eta^s, which must"
                            + " stay below max_resource (" + max + ")");
        }
        return (int) brackets;
    }

    /** How many of r, rη, rη², … lie below {@code max}. */
    private static int bracketsBelow(long min, Long max, long eta) {
        if (min <= 0 || max == null) {
            return 1;
        }
        int count = 0;
        for (long r = min; r < max; r = Math.multiplyExact(r, eta)) {
            count++;
            if (r > Long.MAX_VALUE / eta) {
                break;
            }
        }
        return count;
    }

    private PruneOn parsePruneOn(Map<String, NodeTuple> sweepNode, List<Long> seeds) {
        Node n = nodes.valueNode(sweepNode, "prune_on");
        if (n == null) {
            return PruneOn.MEAN;
        }
        Optional<String> text = string(n, "sweep.prune_on");
        if (text.isEmpty()) {
            return PruneOn.MEAN;
        }
        PruneOn pruneOn = Arrays.stream(PruneOn.values())
                .filter(p -> p.label().equals(text.get()))
                .findFirst()
                .orElse(null);
        if (pruneOn == null) {
            nodes.fail(
                    n,
                    "sweep.prune_on",
                    "must be one of " + String.join(", ", PRUNE_ON) + ", got \"" + text.get() + "\""
                            + SpecParser.suggestion(text.get(), PRUNE_ON));
            return PruneOn.MEAN;
        }
        if (pruneOn == PruneOn.UPPER_CI && seeds.size() < 2) {
            nodes.fail(
                    n,
                    "sweep.prune_on",
                    "upper_ci needs a confidence interval over seeds: give at least two seeds (seeds: [0, 1, 2]),"
                            + " or use prune_on: mean");
        }
        return pruneOn;
    }

    private Optional<Long> optionalInt(Map<String, NodeTuple> map, String key, long min, long max) {
        Node n = nodes.valueNode(map, key);
        return n == null ? Optional.empty() : nodes.intValue(n, "sweep." + key, min, max);
    }

    private Optional<String> optionalString(Map<String, NodeTuple> map, String key) {
        Node n = nodes.valueNode(map, key);
        return n == null ? Optional.empty() : string(n, "sweep." + key);
    }

    private Optional<String> string(Node n, String path) {
        Optional<Object> v = nodes.scalarValue(n, path);
        if (v.isEmpty()) {
            if (n instanceof ScalarNode) {
                nodes.fail(n, path, "needs a value");
            }
            return Optional.empty();
        }
        if (!(v.get() instanceof String s) || s.isBlank()) {
            nodes.fail(n, path, "must be a name, got " + v.get());
            return Optional.empty();
        }
        return Optional.of(s);
    }
}

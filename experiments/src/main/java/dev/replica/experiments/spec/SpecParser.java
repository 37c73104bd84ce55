package dev.replica.experiments.spec;

import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.kind.KindSchema;
import dev.replica.experiments.kind.ParamSpec;
import dev.replica.experiments.spec.SweepSpec.Distribution;
import dev.replica.experiments.spec.SweepSpec.RandomSweep;
import dev.replica.kernels.KernelBackends;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * Parses and validates experiment specs strictly: unknown keys, wrong types, unknown or ill-typed
 * parameters, empty sweeps, duplicate keys and oversized sweeps are all reported at once, each with
 * file, line, column and field. JSON is valid YAML, so the same parser serves the REST API.
 */
public final class SpecParser {

    /** Largest spec accepted, in characters. */
    public static final int MAX_SPEC_CHARS = 1 << 20;
    /**
     * Largest spec once its anchors and aliases are resolved, in characters of its values and keys: a small spec
     * whose aliases repeat a large block would otherwise validate but not fit where experiments are stored.
     */
    public static final int MAX_EXPANDED_CHARS = MAX_SPEC_CHARS;
    /** Longest single value (a parameter, a sweep value, the description), in characters: a stored parameter. */
    public static final int MAX_VALUE_CHARS = 4000;
    /** Longest parameter name, in characters. */
    public static final int MAX_PARAM_NAME_CHARS = 200;
    /** Default cap on runs one spec may expand to. */
    public static final int DEFAULT_MAX_RUNS = 10_000;

    private static final Set<String> TOP_LEVEL_KEYS = new LinkedHashSet<>(List.of(
            "apiVersion",
            "name",
            "description",
            "kind",
            "params",
            "sweep",
            "seeds",
            "replicates",
            "metric",
            "compare",
            "resources",
            "executor",
            "backend",
            "concurrency",
            "command",
            "workdir",
            "env",
            "retries",
            "timeout"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** A {@code {name}} placeholder; {@code {{} and {@code }}} are escaped literal braces. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_./-]*)}");
    /** Placeholders every command template may use besides its parameters. */
    public static final Set<String> BUILTIN_PLACEHOLDERS = Set.of("seed", "run_id", "run_dir", "experiment");

    /** Where runs execute: {@code local} (this machine's scheduler) or {@code slurm} (one job array per experiment). */
    public static final List<String> EXECUTORS = List.of(ExperimentSpec.LOCAL, ExperimentSpec.SLURM);

    private final int maxRuns;
    private final IntSupplier localGpus;

    public SpecParser() {
        this(DEFAULT_MAX_RUNS);
    }

    public SpecParser(int maxRuns) {
        this(maxRuns, null);
    }

    /**
     * @param localGpus GPUs of the machine that runs {@code executor: local} experiments, asked only when a
     *                  spec asks for GPUs; {@code null} to skip that check (e.g. when validating elsewhere)
     */
    public SpecParser(int maxRuns, IntSupplier localGpus) {
        this.maxRuns = maxRuns;
        this.localGpus = localGpus;
    }

    /**
     * Parses {@code source}; {@code file} is only used in error locations.
     *
     * @throws SpecValidationException with every error found
     */
    public ExperimentSpec parse(String source, String file) {
        return new Run(source, file).parse();
    }

    /** One parse: holds the errors found so far. */
    private final class Run implements SpecNodes {
        private final String source;
        private final String file;
        private final List<SpecError> errors = new ArrayList<>();

        Run(String source, String file) {
            this.source = source == null ? "" : source;
            this.file = file == null ? "<spec>" : file;
        }

        ExperimentSpec parse() {
            if (source.length() > MAX_SPEC_CHARS) {
                fail(null, "", "spec is " + source.length() + " characters; the limit is " + MAX_SPEC_CHARS);
                throw new SpecValidationException(errors);
            }
            Node root = compose();
            if (root == null) {
                if (errors.isEmpty()) {
                    fail(null, "", "spec is empty; it needs at least apiVersion, name and kind");
                }
                throw new SpecValidationException(errors);
            }
            if (!fitsExpanded(root)) {
                throw new SpecValidationException(errors);
            }
            if (!(root instanceof MappingNode rootMap)) {
                fail(root, "", "spec must be a mapping of keys (apiVersion, name, kind, …), got " + nodeKind(root));
                throw new SpecValidationException(errors);
            }
            Map<String, NodeTuple> top = entries(rootMap, "");
            for (Map.Entry<String, NodeTuple> e : top.entrySet()) {
                if (!TOP_LEVEL_KEYS.contains(e.getKey())) {
                    fail(
                            e.getValue().getKeyNode(),
                            e.getKey(),
                            "unknown key" + suggestion(e.getKey(), TOP_LEVEL_KEYS) + "; allowed keys: "
                                    + String.join(", ", TOP_LEVEL_KEYS));
                }
            }

            String apiVersion = requiredString(top, "apiVersion", rootMap);
            if (apiVersion != null && !ExperimentSpec.API_VERSION.equals(apiVersion)) {
                fail(
                        valueNode(top, "apiVersion"),
                        "apiVersion",
                        "unsupported version \"" + apiVersion + "\"; use " + ExperimentSpec.API_VERSION);
            }
            String name = requiredString(top, "name", rootMap);
            if (name != null && !NAME.matcher(name).matches()) {
                fail(
                        valueNode(top, "name"),
                        "name",
                        "must be 1–100 letters, digits, '.', '_' or '-' and start with a letter or digit, got \"" + name
                                + "\"");
            }
            String description = optionalString(top, "description").orElse("");
            if (description.length() > MAX_VALUE_CHARS) {
                fail(
                        valueNode(top, "description"),
                        "description",
                        "is " + description.length() + " characters; the limit is " + MAX_VALUE_CHARS);
            }
            String kindName = requiredString(top, "kind", rootMap);
            KindSchema kind = null;
            if (kindName != null) {
                kind = KindRegistry.find(kindName).orElse(null);
                if (kind == null) {
                    List<String> known =
                            KindRegistry.all().stream().map(KindSchema::name).toList();
                    fail(
                            valueNode(top, "kind"),
                            "kind",
                            "unknown kind \"" + kindName + "\"" + suggestion(kindName, known) + "; known kinds: "
                                    + String.join(", ", known));
                }
            }

            Map<String, Object> params = parseParams(top, kind);
            SweepSpec sweep = parseSweep(top, kind, params);
            List<Long> seeds = parseSeeds(top);
            MetricGoal metric = parseMetric(top);
            sweep = withSearch(top, sweep, seeds, metric);
            CompareSpec compare = parseCompare(top, params, sweep);
            String executor = parseExecutor(top);
            String backend = parseBackend(top, kindName);
            Resources resources = parseResources(top, executor);
            Integer concurrency = optionalInt(top, "concurrency", "concurrency", 1, 100_000)
                    .map(Long::intValue)
                    .orElse(null);
            List<String> command = parseCommand(top, kind, params, sweep);
            String workdir = optionalString(top, "workdir").orElse(null);
            Map<String, String> env = parseEnv(top);
            int retries =
                    optionalInt(top, "retries", "retries", 0, 100).orElse(0L).intValue();
            Duration timeout =
                    valueNode(top, "timeout") == null ? null : parseDuration(valueNode(top, "timeout"), "timeout");

            if (errors.isEmpty()) {
                long runs = countRuns(sweep, seeds.size());
                if (runs > maxRuns) {
                    Node at = valueNode(top, "sweep") != null ? valueNode(top, "sweep") : rootMap;
                    fail(
                            at,
                            "sweep",
                            "expands to " + runs + " runs, more than the limit of " + maxRuns
                                    + " (raise replica.spec.max-runs or split the sweep)");
                }
            }
            if (!errors.isEmpty()) {
                throw new SpecValidationException(errors);
            }
            return new ExperimentSpec(
                    name,
                    description,
                    kindName,
                    params,
                    sweep,
                    seeds,
                    metric,
                    compare,
                    resources,
                    executor,
                    concurrency,
                    command,
                    workdir,
                    env,
                    retries,
                    timeout,
                    source,
                    backend);
        }

        // ---- YAML structure ------------------------------------------------------------------

        private Node compose() {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            options.setAllowRecursiveKeys(false);
            options.setCodePointLimit(MAX_SPEC_CHARS * 4);
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
         * Whether the tree, with every alias expanded, stays within {@link #MAX_EXPANDED_CHARS} characters of keys
         * and values (one more per node). Shared nodes count at each use but are walked once: sizes are remembered.
         */
        private boolean fitsExpanded(Node root) {
            long size = expandedSize(root, MAX_EXPANDED_CHARS + 1L, new java.util.IdentityHashMap<>());
            if (size > MAX_EXPANDED_CHARS) {
                fail(
                        root,
                        "",
                        "spec expands to more than " + MAX_EXPANDED_CHARS
                                + " characters once its anchors and aliases are resolved; the limit is "
                                + MAX_EXPANDED_CHARS);
                return false;
            }
            return true;
        }

        /** Characters of a node with aliases expanded, stopping once past {@code cap}. */
        private long expandedSize(Node n, long cap, java.util.IdentityHashMap<Node, Long> sizes) {
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

        private MappingNode mapping(Map<String, NodeTuple> map, String key, String path) {
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

        private void checkKeys(Map<String, NodeTuple> map, String path, Set<String> allowed) {
            for (Map.Entry<String, NodeTuple> e : map.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    fail(
                            e.getValue().getKeyNode(),
                            join(path, e.getKey()),
                            "unknown key" + suggestion(e.getKey(), allowed) + "; allowed: "
                                    + String.join(", ", allowed));
                }
            }
        }

        @Override
        public Optional<Object> scalarValue(Node n, String path) {
            if (n instanceof ScalarNode s) {
                if (s.getValue().length() > MAX_VALUE_CHARS) {
                    fail(n, path, "is " + s.getValue().length() + " characters; the limit is " + MAX_VALUE_CHARS);
                }
                return YamlValues.scalar(s);
            }
            fail(n, path, "must be a single value, got " + nodeKind(n));
            return Optional.empty();
        }

        private String requiredString(Map<String, NodeTuple> map, String key, Node parent) {
            Node n = valueNode(map, key);
            if (n == null || isNull(n)) {
                fail(n != null ? n : parent, key, "is required");
                return null;
            }
            return stringValue(n, key);
        }

        private Optional<String> optionalString(Map<String, NodeTuple> map, String key) {
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

        private Optional<Long> optionalInt(Map<String, NodeTuple> map, String key, String path, long min, long max) {
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

        // ---- sections -------------------------------------------------------------------------

        private Map<String, Object> parseParams(Map<String, NodeTuple> top, KindSchema kind) {
            Map<String, Object> params = new LinkedHashMap<>();
            MappingNode node = mapping(top, "params", "params");
            if (node == null) {
                return params;
            }
            for (Map.Entry<String, NodeTuple> e : entries(node, "params").entrySet()) {
                String path = "params." + e.getKey();
                if (e.getKey().length() > MAX_PARAM_NAME_CHARS) {
                    fail(
                            e.getValue().getKeyNode(),
                            "params",
                            "parameter name is " + e.getKey().length() + " characters; the limit is "
                                    + MAX_PARAM_NAME_CHARS);
                    continue;
                }
                Node valueNode = e.getValue().getValueNode();
                Optional<ParamSpec> spec =
                        paramSpec(kind, e.getKey(), e.getValue().getKeyNode(), path);
                if (kind != null && !kind.openParams() && spec.isEmpty()) {
                    continue;
                }
                Optional<Object> raw = scalarValue(valueNode, path);
                if (raw.isEmpty()) {
                    if (valueNode instanceof ScalarNode) {
                        fail(valueNode, path, "needs a value");
                    }
                    continue;
                }
                coerce(spec, raw.get(), valueNode, path).ifPresent(v -> params.put(e.getKey(), v));
            }
            return params;
        }

        private Optional<ParamSpec> paramSpec(KindSchema kind, String name, Node keyNode, String path) {
            if (kind == null) {
                return Optional.empty();
            }
            Optional<ParamSpec> spec = kind.param(name);
            if (spec.isEmpty() && !kind.openParams()) {
                List<String> known = kind.params().stream().map(ParamSpec::name).toList();
                fail(
                        keyNode,
                        path,
                        "unknown parameter \"" + name + "\" for kind " + kind.name() + suggestion(name, known)
                                + "; known: " + String.join(", ", known));
            }
            return spec;
        }

        private Optional<Object> coerce(Optional<ParamSpec> spec, Object raw, Node at, String path) {
            if (spec.isEmpty()) {
                return Optional.of(raw);
            }
            String[] error = new String[1];
            Optional<Object> v = spec.get().coerce(raw, error);
            if (v.isEmpty()) {
                fail(at, path, error[0]);
            }
            return v;
        }

        private SweepSpec parseSweep(Map<String, NodeTuple> top, KindSchema kind, Map<String, Object> params) {
            MappingNode node = mapping(top, "sweep", "sweep");
            if (node == null) {
                return SweepSpec.NONE;
            }
            Map<String, NodeTuple> sweep = entries(node, "sweep");
            Set<String> keys = new LinkedHashSet<>(List.of("grid", "zip", "random"));
            keys.addAll(SearchSection.KEYS);
            checkKeys(sweep, "sweep", keys);
            if (sweep.isEmpty()) {
                fail(node, "sweep", "is empty; give grid, zip or random axes, or remove it");
            }
            Map<String, Node> axisNodes = new HashMap<>();
            Map<String, List<Object>> grid = parseAxes(sweep, "grid", kind, params, axisNodes);
            Map<String, List<Object>> zip = parseAxes(sweep, "zip", kind, params, axisNodes);
            if (zip.size() > 1) {
                Set<Integer> lengths = zip.values().stream().map(List::size).collect(Collectors.toSet());
                if (lengths.size() > 1) {
                    String detail = zip.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().size())
                            .collect(Collectors.joining(", "));
                    fail(valueNode(sweep, "zip"), "sweep.zip", "all lists must have the same length, got " + detail);
                }
            }
            RandomSweep random = parseRandom(sweep, kind, params, axisNodes);
            return new SweepSpec(grid, zip, random);
        }

        /** The sweep with its search settings ({@code method}, rungs, budget), checked against seeds and metric. */
        private SweepSpec withSearch(Map<String, NodeTuple> top, SweepSpec sweep, List<Long> seeds, MetricGoal metric) {
            Node node = valueNode(top, "sweep");
            if (!(node instanceof MappingNode m)) {
                return sweep;
            }
            Map<String, NodeTuple> keys = new LinkedHashMap<>(); // duplicates were reported by parseSweep
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    keys.putIfAbsent(k.getValue(), t);
                }
            }
            SearchSpec search = new SearchSection(this).parse(keys, m, sweep, seeds, metric);
            return new SweepSpec(sweep.grid(), sweep.zip(), sweep.random(), search);
        }

        private Map<String, List<Object>> parseAxes(
                Map<String, NodeTuple> sweep,
                String part,
                KindSchema kind,
                Map<String, Object> params,
                Map<String, Node> axisNodes) {
            Map<String, List<Object>> axes = new LinkedHashMap<>();
            String partPath = "sweep." + part;
            MappingNode node = mapping(sweep, part, partPath);
            if (node == null) {
                if (sweep.containsKey(part) && isNull(valueNode(sweep, part))) {
                    fail(valueNode(sweep, part), partPath, "is empty");
                }
                return axes;
            }
            Map<String, NodeTuple> entries = entries(node, partPath);
            if (entries.isEmpty()) {
                fail(node, partPath, "is empty; give at least one parameter with a list of values");
            }
            for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
                String path = partPath + "." + e.getKey();
                if (!claimAxis(e.getKey(), e.getValue().getKeyNode(), path, params, axisNodes)) {
                    continue;
                }
                Optional<ParamSpec> spec =
                        paramSpec(kind, e.getKey(), e.getValue().getKeyNode(), path);
                if (kind != null && !kind.openParams() && spec.isEmpty()) {
                    continue;
                }
                Node valueNode = e.getValue().getValueNode();
                if (!(valueNode instanceof SequenceNode seq)) {
                    fail(valueNode, path, "must be a list of values, e.g. [0.1, 0.2], got " + nodeKind(valueNode));
                    continue;
                }
                if (seq.getValue().isEmpty()) {
                    fail(seq, path, "is an empty list; a sweep axis needs at least one value");
                    continue;
                }
                List<Object> values = new ArrayList<>();
                Set<Object> seen = new java.util.HashSet<>();
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    String itemPath = path + "[" + i + "]";
                    Optional<Object> raw = scalarValue(item, itemPath);
                    if (raw.isEmpty()) {
                        if (item instanceof ScalarNode) {
                            fail(item, itemPath, "needs a value");
                        }
                        continue;
                    }
                    Optional<Object> v = coerce(spec, raw.get(), item, itemPath);
                    if (v.isPresent()) {
                        if (!seen.add(v.get()) && "grid".equals(part)) {
                            fail(item, itemPath, "duplicate value " + v.get() + " would run the same point twice");
                        }
                        values.add(v.get());
                    }
                }
                axes.put(e.getKey(), values);
            }
            return axes;
        }

        /** A parameter may be fixed or swept, in one place only. */
        private boolean claimAxis(
                String name, Node keyNode, String path, Map<String, Object> params, Map<String, Node> axisNodes) {
            if (params.containsKey(name)) {
                fail(keyNode, path, "is also set in params; set it in one place");
                return false;
            }
            Node previous = axisNodes.putIfAbsent(name, keyNode);
            if (previous != null) {
                fail(
                        keyNode,
                        path,
                        "is already a sweep axis at line "
                                + (previous.getStartMark().getLine() + 1));
                return false;
            }
            return true;
        }

        private RandomSweep parseRandom(
                Map<String, NodeTuple> sweep,
                KindSchema kind,
                Map<String, Object> params,
                Map<String, Node> axisNodes) {
            MappingNode node = mapping(sweep, "random", "sweep.random");
            if (node == null) {
                return null;
            }
            Map<String, NodeTuple> r = entries(node, "sweep.random");
            checkKeys(r, "sweep.random", Set.of("count", "seed", "params"));
            Node countNode = valueNode(r, "count");
            long count = 0;
            if (countNode == null) {
                fail(node, "sweep.random.count", "is required");
            } else {
                count = intValue(countNode, "sweep.random.count", 1, 1_000_000).orElse(0L);
            }
            long samplerSeed = optionalInt(r, "seed", "sweep.random.seed", Long.MIN_VALUE, Long.MAX_VALUE)
                    .orElse(0L);
            Map<String, Distribution> dists = new LinkedHashMap<>();
            MappingNode pnode = mapping(r, "params", "sweep.random.params");
            if (pnode == null) {
                fail(
                        node,
                        "sweep.random.params",
                        "is required: parameter → distribution, e.g. lr: {log-uniform: [1e-4, 1e-1]}");
            } else {
                Map<String, NodeTuple> pe = entries(pnode, "sweep.random.params");
                if (pe.isEmpty()) {
                    fail(pnode, "sweep.random.params", "is empty");
                }
                for (Map.Entry<String, NodeTuple> e : pe.entrySet()) {
                    String path = "sweep.random.params." + e.getKey();
                    if (!claimAxis(e.getKey(), e.getValue().getKeyNode(), path, params, axisNodes)) {
                        continue;
                    }
                    Optional<ParamSpec> spec =
                            paramSpec(kind, e.getKey(), e.getValue().getKeyNode(), path);
                    if (kind != null && !kind.openParams() && spec.isEmpty()) {
                        continue;
                    }
                    parseDistribution(e.getValue().getValueNode(), path, spec).ifPresent(d -> dists.put(e.getKey(), d));
                }
            }
            return new RandomSweep((int) count, samplerSeed, dists);
        }

        private Optional<Distribution> parseDistribution(Node n, String path, Optional<ParamSpec> spec) {
            String usage =
                    "must be one of {uniform: [min, max]}, {log-uniform: [min, max]}, {int-uniform: [min, max]}, {choice: [a, b, …]}";
            if (!(n instanceof MappingNode m) || m.getValue().size() != 1) {
                fail(n, path, usage);
                return Optional.empty();
            }
            NodeTuple t = m.getValue().get(0);
            String type = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            String dpath = path + "." + type;
            if (!(t.getValueNode() instanceof SequenceNode seq)
                    || seq.getValue().isEmpty()) {
                fail(t.getValueNode(), dpath, "must be a non-empty list");
                return Optional.empty();
            }
            List<Object> raw = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                scalarValue(seq.getValue().get(i), dpath + "[" + i + "]").ifPresent(raw::add);
            }
            if (raw.size() != seq.getValue().size()) {
                return Optional.empty();
            }
            switch (type) {
                case "choice" -> {
                    List<Object> values = new ArrayList<>();
                    for (int i = 0; i < raw.size(); i++) {
                        coerce(spec, raw.get(i), seq.getValue().get(i), dpath + "[" + i + "]")
                                .ifPresent(values::add);
                    }
                    return values.size() == raw.size()
                            ? Optional.of(new Distribution.Choice(values))
                            : Optional.empty();
                }
                case "uniform", "log-uniform", "int-uniform" -> {
                    if (raw.size() != 2 || !(raw.get(0) instanceof Number lo) || !(raw.get(1) instanceof Number hi)) {
                        fail(seq, dpath, "must be [min, max] with two numbers");
                        return Optional.empty();
                    }
                    if (lo.doubleValue() >= hi.doubleValue()) {
                        fail(seq, dpath, "min must be below max, got [" + lo + ", " + hi + "]");
                        return Optional.empty();
                    }
                    if (type.equals("log-uniform") && lo.doubleValue() <= 0) {
                        fail(seq, dpath, "log-uniform needs min > 0, got " + lo);
                        return Optional.empty();
                    }
                    boolean intParam = spec.map(p -> p.type() == dev.replica.experiments.kind.ParamType.INT)
                            .orElse(false);
                    if (type.equals("int-uniform")) {
                        if (!(lo instanceof Long) || !(hi instanceof Long)) {
                            fail(seq, dpath, "int-uniform needs integer bounds");
                            return Optional.empty();
                        }
                        checkBounds(spec, lo, hi, seq, dpath);
                        return Optional.of(new Distribution.IntUniform(lo.longValue(), hi.longValue()));
                    }
                    if (intParam) {
                        fail(t.getKeyNode(), dpath, "parameter is an integer; use int-uniform");
                        return Optional.empty();
                    }
                    if (spec.isPresent() && spec.get().type() != dev.replica.experiments.kind.ParamType.FLOAT) {
                        fail(t.getKeyNode(), dpath, "parameter is " + spec.get().typeDescription() + "; use choice");
                        return Optional.empty();
                    }
                    checkBounds(spec, lo, hi, seq, dpath);
                    return Optional.of(
                            type.equals("uniform")
                                    ? new Distribution.Uniform(lo.doubleValue(), hi.doubleValue())
                                    : new Distribution.LogUniform(lo.doubleValue(), hi.doubleValue()));
                }
                default -> {
                    fail(t.getKeyNode(), path, "unknown distribution \"" + type + "\"; " + usage);
                    return Optional.empty();
                }
            }
        }

        private void checkBounds(Optional<ParamSpec> spec, Number lo, Number hi, Node at, String path) {
            spec.ifPresent(p -> {
                coerce(spec, lo, at, path + "[0]");
                coerce(spec, hi, at, path + "[1]");
            });
        }

        private List<Long> parseSeeds(Map<String, NodeTuple> top) {
            Node seedsNode = valueNode(top, "seeds");
            Node replicatesNode = valueNode(top, "replicates");
            if (seedsNode != null && replicatesNode != null) {
                fail(replicatesNode, "replicates", "give either seeds or replicates, not both");
                return List.of(0L);
            }
            if (replicatesNode != null) {
                long n = intValue(replicatesNode, "replicates", 1, 10_000).orElse(1L);
                List<Long> seeds = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    seeds.add(i);
                }
                return seeds;
            }
            if (seedsNode == null) {
                return List.of(0L);
            }
            if (!(seedsNode instanceof SequenceNode seq)) {
                fail(seedsNode, "seeds", "must be a list of integers, e.g. [0, 1, 2], got " + nodeKind(seedsNode));
                return List.of(0L);
            }
            if (seq.getValue().isEmpty()) {
                fail(seq, "seeds", "is an empty list; give at least one seed or remove it");
                return List.of(0L);
            }
            List<Long> seeds = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                Optional<Long> s = intValue(item, "seeds[" + i + "]", Long.MIN_VALUE, Long.MAX_VALUE);
                if (s.isPresent()) {
                    if (seeds.contains(s.get())) {
                        fail(item, "seeds[" + i + "]", "duplicate seed " + s.get());
                    }
                    seeds.add(s.get());
                }
            }
            return seeds;
        }

        private MetricGoal parseMetric(Map<String, NodeTuple> top) {
            MappingNode node = mapping(top, "metric", "metric");
            if (node == null) {
                return null;
            }
            Map<String, NodeTuple> m = entries(node, "metric");
            checkKeys(m, "metric", Set.of("primary", "goal"));
            String primary = requiredString(m, "primary", node);
            MetricGoal.Goal goal = MetricGoal.Goal.MIN;
            Optional<String> g = optionalString(m, "goal");
            if (g.isPresent()) {
                switch (g.get()) {
                    case "min" -> goal = MetricGoal.Goal.MIN;
                    case "max" -> goal = MetricGoal.Goal.MAX;
                    default -> fail(valueNode(m, "goal"), "metric.goal", "must be min or max, got \"" + g.get() + "\"");
                }
            }
            return primary == null ? null : new MetricGoal(primary, goal);
        }

        private CompareSpec parseCompare(Map<String, NodeTuple> top, Map<String, Object> params, SweepSpec sweep) {
            MappingNode node = mapping(top, "compare", "compare");
            if (node == null) {
                return null;
            }
            Map<String, NodeTuple> c = entries(node, "compare");
            checkKeys(c, "compare", Set.of("baseline", "efficiency"));
            Map<String, Object> baseline = new LinkedHashMap<>();
            MappingNode b = mapping(c, "baseline", "compare.baseline");
            if (b != null) {
                Set<String> axes = new LinkedHashSet<>(sweep.grid().keySet());
                axes.addAll(sweep.zip().keySet());
                if (sweep.random() != null) {
                    axes.addAll(sweep.random().params().keySet());
                }
                for (Map.Entry<String, NodeTuple> e :
                        entries(b, "compare.baseline").entrySet()) {
                    String path = "compare.baseline." + e.getKey();
                    if (!axes.contains(e.getKey())) {
                        fail(
                                e.getValue().getKeyNode(),
                                path,
                                "is not a sweep axis; the baseline picks a group by swept parameters"
                                        + (axes.isEmpty() ? "" : " (" + String.join(", ", axes) + ")"));
                        continue;
                    }
                    scalarValue(e.getValue().getValueNode(), path).ifPresent(v -> {
                        Object normalized =
                                v instanceof Long l && isFloatAxis(sweep, e.getKey()) ? (Object) l.doubleValue() : v;
                        List<Object> values = sweep.grid()
                                .getOrDefault(e.getKey(), sweep.zip().get(e.getKey()));
                        if (values != null && !values.contains(normalized)) {
                            fail(
                                    e.getValue().getValueNode(),
                                    path,
                                    "value " + v + " is not among the swept values " + values);
                        }
                        baseline.put(e.getKey(), normalized);
                    });
                }
            }
            String efficiency = optionalString(c, "efficiency").orElse(null);
            if (efficiency != null && !CompareSpec.EFFICIENCY_MEASURES.contains(efficiency)) {
                fail(
                        valueNode(c, "efficiency"),
                        "compare.efficiency",
                        "unknown measure \"" + efficiency + "\"; known: "
                                + String.join(", ", new java.util.TreeSet<>(CompareSpec.EFFICIENCY_MEASURES)));
            }
            if (efficiency != null && baseline.isEmpty()) {
                fail(node, "compare.baseline", "is required when compare.efficiency is set");
            }
            return new CompareSpec(baseline, efficiency);
        }

        private boolean isFloatAxis(SweepSpec sweep, String name) {
            List<Object> values = sweep.grid().getOrDefault(name, sweep.zip().get(name));
            return values != null && !values.isEmpty() && values.get(0) instanceof Double;
        }

        /** {@code backend:} one of {@link KernelBackends#SETTINGS}, for built-in kinds only; null when absent. */
        private String parseBackend(Map<String, NodeTuple> top, String kind) {
            Node node = valueNode(top, "backend");
            if (node == null) {
                return null;
            }
            String backend = optionalString(top, "backend").orElse(null);
            if (backend == null) {
                return null;
            }
            if (!KernelBackends.SETTINGS.contains(backend)) {
                fail(
                        node,
                        "backend",
                        "must be one of " + String.join(", ", KernelBackends.SETTINGS) + ", got \"" + backend + "\"");
                return null;
            }
            if (KindRegistry.COMMAND.equals(kind)) {
                fail(node, "backend", "applies to built-in kinds only; a command run chooses its own devices");
                return null;
            }
            return backend;
        }

        private String parseExecutor(Map<String, NodeTuple> top) {
            String executor = optionalString(top, "executor").orElse(ExperimentSpec.LOCAL);
            if (!EXECUTORS.contains(executor)) {
                fail(
                        valueNode(top, "executor"),
                        "executor",
                        "must be one of " + String.join(", ", EXECUTORS) + ", got \"" + executor + "\""
                                + suggestion(executor, EXECUTORS));
                return ExperimentSpec.LOCAL;
            }
            return executor;
        }

        private Resources parseResources(Map<String, NodeTuple> top, String executor) {
            MappingNode node = mapping(top, "resources", "resources");
            if (node == null) {
                return Resources.DEFAULT;
            }
            Map<String, NodeTuple> r = entries(node, "resources");
            checkKeys(r, "resources", Set.of("cpus", "gpus", "memory", "time", "partition"));
            int cpus =
                    optionalInt(r, "cpus", "resources.cpus", 1, 1024).orElse(1L).intValue();
            int gpus =
                    optionalInt(r, "gpus", "resources.gpus", 0, 64).orElse(0L).intValue();
            if (gpus > 0 && ExperimentSpec.LOCAL.equals(executor) && localGpus != null) {
                int available = localGpus.getAsInt();
                if (gpus > available) {
                    fail(
                            valueNode(r, "gpus"),
                            "resources.gpus",
                            "each run needs " + gpus + " GPU" + (gpus == 1 ? "" : "s")
                                    + " but this machine has " + available
                                    + " (see `replica devices`); lower resources.gpus,"
                                    + " or run the experiment on a cluster with executor: slurm");
                }
            }
            long memoryMb = 0;
            Node mem = valueNode(r, "memory");
            if (mem != null) {
                memoryMb = parseMemory(mem, "resources.memory");
            }
            Duration time = valueNode(r, "time") == null ? null : parseDuration(valueNode(r, "time"), "resources.time");
            String partition = optionalString(r, "partition").orElse(null);
            return new Resources(cpus, gpus, memoryMb, time, partition);
        }

        private long parseMemory(Node n, String path) {
            Optional<Object> v = scalarValue(n, path);
            if (v.isEmpty()) {
                return 0;
            }
            if (v.get() instanceof Long l && l > 0) {
                return l;
            }
            Matcher m = Pattern.compile("(\\d+)\\s*([KMGT])i?B?", Pattern.CASE_INSENSITIVE)
                    .matcher(String.valueOf(v.get()));
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (Character.toUpperCase(m.group(2).charAt(0))) {
                    case 'K' -> Math.max(1, amount / 1024);
                    case 'M' -> amount;
                    case 'G' -> amount * 1024;
                    default -> amount * 1024 * 1024;
                };
            }
            fail(n, path, "must be a size such as 512M or 4G (or MiB as an integer), got " + v.get());
            return 0;
        }

        private Duration parseDuration(Node n, String path) {
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

        private List<String> parseCommand(
                Map<String, NodeTuple> top, KindSchema kind, Map<String, Object> params, SweepSpec sweep) {
            Node n = valueNode(top, "command");
            if (kind == null) {
                return List.of();
            }
            if (n == null) {
                if (kind.needsCommand()) {
                    fail(
                            top.get("kind").getValueNode(),
                            "command",
                            "is required for kind " + kind.name()
                                    + ": an argv list such as [python3, train.py, \"--lr={lr}\"]");
                }
                return List.of();
            }
            if (!kind.needsCommand()) {
                fail(
                        top.get("command").getKeyNode(),
                        "command",
                        "is only allowed with kind: command (built-in kinds run in-process)");
                return List.of();
            }
            if (!(n instanceof SequenceNode seq)) {
                fail(
                        n,
                        "command",
                        "must be an argv list such as [python3, train.py, \"--lr={lr}\"]; commands never run through a shell");
                return List.of();
            }
            if (seq.getValue().isEmpty()) {
                fail(n, "command", "is an empty list; give the program and its arguments");
                return List.of();
            }
            Set<String> known = new LinkedHashSet<>(params.keySet());
            known.addAll(sweep.grid().keySet());
            known.addAll(sweep.zip().keySet());
            if (sweep.random() != null) {
                known.addAll(sweep.random().params().keySet());
            }
            known.addAll(BUILTIN_PLACEHOLDERS);
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String path = "command[" + i + "]";
                Optional<Object> v = scalarValue(item, path);
                if (v.isEmpty()) {
                    if (item instanceof ScalarNode) {
                        fail(item, path, "needs a value");
                    }
                    continue;
                }
                String arg = String.valueOf(v.get());
                Matcher m = PLACEHOLDER.matcher(arg);
                while (m.find()) {
                    if (m.group(1) != null && !known.contains(m.group(1))) {
                        fail(
                                item,
                                path,
                                "placeholder {" + m.group(1) + "} names no parameter" + suggestion(m.group(1), known)
                                        + "; available: " + String.join(", ", known));
                    }
                }
                argv.add(arg);
            }
            return argv;
        }

        private Map<String, String> parseEnv(Map<String, NodeTuple> top) {
            Map<String, String> env = new LinkedHashMap<>();
            MappingNode node = mapping(top, "env", "env");
            if (node == null) {
                return env;
            }
            for (Map.Entry<String, NodeTuple> e : entries(node, "env").entrySet()) {
                String path = "env." + e.getKey();
                if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    fail(e.getValue().getKeyNode(), path, "is not a valid environment variable name");
                    continue;
                }
                scalarValue(e.getValue().getValueNode(), path).ifPresent(v -> env.put(e.getKey(), String.valueOf(v)));
            }
            return env;
        }

        // ---- helpers ---------------------------------------------------------------------------

        private long countRuns(SweepSpec sweep, int seeds) {
            long points = 1;
            for (List<Object> values : sweep.grid().values()) {
                points = saturatingMultiply(points, values.size());
            }
            if (!sweep.zip().isEmpty()) {
                points = saturatingMultiply(
                        points, sweep.zip().values().iterator().next().size());
            }
            if (sweep.random() != null) {
                points = saturatingMultiply(points, sweep.random().count());
            }
            long runs = saturatingMultiply(points, seeds);
            if (sweep.search() != null && sweep.search().maxRuns() != null) {
                // the budget keeps whole configurations: every seed of a kept point runs
                runs = Math.min(runs, (long) (sweep.search().maxRuns() / seeds) * seeds);
            }
            return runs;
        }

        private long saturatingMultiply(long a, long b) {
            long r = a * b;
            return (a != 0 && r / a != b) || r < 0 ? Long.MAX_VALUE : r;
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
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && YamlValues.scalar(s).isEmpty();
    }

    private static String nodeKind(Node n) {
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

    /** " (did you mean "lr"?)" when a known name is within a small edit distance. */
    static String suggestion(String given, java.util.Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(given.toLowerCase(), k.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(1, given.length() / 3)
                ? " (did you mean \"" + best + "\"?)"
                : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

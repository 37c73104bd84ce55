package dev.replica.experiments.spec;

import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.kind.KindSchema;
import dev.replica.kernels.KernelBackends;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Parses and validates experiment specs strictly: unknown keys, wrong types, unknown or ill-typed
 * parameters, empty sweeps, duplicate keys and oversized sweeps are all reported at once, each with
 * file, line, column and field. JSON is valid YAML, so the same parser serves the REST API.
 *
 * <p>This class checks the top-level keys, {@code apiVersion}, {@code name}, {@code description} and {@code kind};
 * one validator per section does the rest ({@link ParamsSection}, {@link SweepSection} with {@link RandomSection} and
 * {@link SearchSection}, {@link SeedsSection}, {@link MetricSection}, {@link CompareSection},
 * {@link ResourcesSection}, {@link CommandSection}), each reading through one {@link SpecReader} that collects the
 * errors, and each parameter checked against the kind's schema ({@link KindParams}).
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
            "timeout",
            "tags"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
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
        return parse(new SpecReader(source, file));
    }

    private ExperimentSpec parse(SpecReader reader) {
        String source = reader.source();
        if (source.length() > MAX_SPEC_CHARS) {
            reader.fail(null, "", "spec is " + source.length() + " characters; the limit is " + MAX_SPEC_CHARS);
            throw reader.invalid();
        }
        Node root = reader.compose();
        if (root == null) {
            if (!reader.hasErrors()) {
                reader.fail(null, "", "spec is empty; it needs at least apiVersion, name and kind");
            }
            throw reader.invalid();
        }
        if (!reader.fitsExpanded(root)) {
            throw reader.invalid();
        }
        if (!(root instanceof MappingNode rootMap)) {
            reader.fail(
                    root,
                    "",
                    "spec must be a mapping of keys (apiVersion, name, kind, …), got " + SpecReader.nodeKind(root));
            throw reader.invalid();
        }
        Map<String, NodeTuple> top = reader.entries(rootMap, "");
        for (Map.Entry<String, NodeTuple> e : top.entrySet()) {
            if (!TOP_LEVEL_KEYS.contains(e.getKey())) {
                reader.fail(
                        e.getValue().getKeyNode(),
                        e.getKey(),
                        "unknown key" + suggestion(e.getKey(), TOP_LEVEL_KEYS) + "; allowed keys: "
                                + String.join(", ", TOP_LEVEL_KEYS));
            }
        }

        String apiVersion = reader.requiredString(top, "apiVersion", rootMap);
        if (apiVersion != null && !ExperimentSpec.API_VERSION.equals(apiVersion)) {
            reader.fail(
                    reader.valueNode(top, "apiVersion"),
                    "apiVersion",
                    "unsupported version \"" + apiVersion + "\"; use " + ExperimentSpec.API_VERSION);
        }
        String name = reader.requiredString(top, "name", rootMap);
        if (name != null && !NAME.matcher(name).matches()) {
            reader.fail(
                    reader.valueNode(top, "name"),
                    "name",
                    "must be 1–100 letters, digits, '.', '_' or '-' and start with a letter or digit, got \"" + name
                            + "\"");
        }
        String description = reader.optionalString(top, "description").orElse("");
        if (description.length() > MAX_VALUE_CHARS) {
            reader.fail(
                    reader.valueNode(top, "description"),
                    "description",
                    "is " + description.length() + " characters; the limit is " + MAX_VALUE_CHARS);
        }
        String kindName = reader.requiredString(top, "kind", rootMap);
        KindSchema kind = kindName == null ? null : kind(reader, top, kindName);

        // each section validates its keys against the kind's schema and the sections read before it
        KindParams kindParams = new KindParams(reader, kind);
        Map<String, Object> params = new ParamsSection(reader, kindParams).parse(top);
        SweepSection sweepSection = new SweepSection(reader, kindParams);
        SweepSpec sweep = sweepSection.parse(top, params);
        List<Long> seeds = new SeedsSection(reader).parse(top);
        MetricGoal metric = new MetricSection(reader).parse(top);
        sweep = sweepSection.withSearch(top, sweep, seeds, metric);
        CompareSpec compare = new CompareSection(reader).parse(top, sweep);
        ResourcesSection resourcesSection = new ResourcesSection(reader, localGpus);
        String executor = resourcesSection.executor(top);
        Resources resources = resourcesSection.resources(top, executor);
        String backend = backend(reader, top, kindName);
        Integer concurrency = reader.optionalInt(top, "concurrency", "concurrency", 1, 100_000)
                .map(Long::intValue)
                .orElse(null);
        CommandSection commandSection = new CommandSection(reader);
        List<String> command = commandSection.command(top, kind, params, sweep);
        String workdir = reader.optionalString(top, "workdir").orElse(null);
        Map<String, String> env = commandSection.env(top);
        int retries =
                reader.optionalInt(top, "retries", "retries", 0, 100).orElse(0L).intValue();
        Duration timeout = reader.optionalDuration(top, "timeout", "timeout");
        List<String> tags = new TagsSection(reader).parse(top);

        if (!reader.hasErrors()) {
            long runs = SweepSection.countRuns(sweep, seeds.size());
            if (runs > maxRuns) {
                Node at = reader.valueNode(top, "sweep") != null ? reader.valueNode(top, "sweep") : rootMap;
                reader.fail(
                        at,
                        "sweep",
                        "expands to " + runs + " runs, more than the limit of " + maxRuns
                                + " (raise replica.spec.max-runs or split the sweep)");
            }
        }
        if (reader.hasErrors()) {
            throw reader.invalid();
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
                tags,
                source,
                backend);
    }

    /** {@code backend:} one of {@link KernelBackends#SETTINGS}, for built-in kinds only; null when absent. */
    private static String backend(SpecReader reader, Map<String, NodeTuple> top, String kind) {
        Node node = reader.valueNode(top, "backend");
        String backend =
                node == null ? null : reader.optionalString(top, "backend").orElse(null);
        if (backend == null) {
            return null;
        }
        if (!KernelBackends.SETTINGS.contains(backend)) {
            reader.fail(
                    node,
                    "backend",
                    "must be one of " + String.join(", ", KernelBackends.SETTINGS) + ", got \"" + backend + "\"");
            return null;
        }
        if (KindRegistry.COMMAND.equals(kind)) {
            reader.fail(node, "backend", "applies to built-in kinds only; a command run chooses its own devices");
            return null;
        }
        return backend;
    }

    /** The kind's schema, null when no kind has that name (reported with the known ones). */
    private static KindSchema kind(SpecReader reader, Map<String, NodeTuple> top, String kindName) {
        Optional<KindSchema> kind = KindRegistry.find(kindName);
        if (kind.isEmpty()) {
            List<String> known =
                    KindRegistry.all().stream().map(KindSchema::name).toList();
            reader.fail(
                    reader.valueNode(top, "kind"),
                    "kind",
                    "unknown kind \"" + kindName + "\"" + suggestion(kindName, known) + "; known kinds: "
                            + String.join(", ", known));
        }
        return kind.orElse(null);
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

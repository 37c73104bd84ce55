package dev.replica.experiments.manifest;

import static dev.replica.experiments.manifest.JsonTrees.longValue;
import static dev.replica.experiments.manifest.JsonTrees.normalizedObject;
import static dev.replica.experiments.manifest.JsonTrees.object;
import static dev.replica.experiments.manifest.JsonTrees.sortedCopy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a run was and where it ran: the record behind {@code replica manifest}, {@code reproduce} and
 * {@code diff}. Build one with {@link ManifestBuilder}; store {@link #toCanonicalJson()}; read it back
 * with {@link #parse(String)} (which gives an equal manifest).
 *
 * <p>Its JSON form (canonical, see {@link CanonicalJson}) has the members below; absent parts (no
 * seed, not a command run) are left out rather than written as null.
 * <pre>
 * manifestVersion  1
 * createdAt        ISO-8601 instant the run started (not part of the recipe)
 * replicaVersion   version of Replica that ran it
 * kind             experiment kind ("optimizer-sweep", "command", ...)
 * spec             {written: spec text as the user wrote it, resolved: spec after defaults}
 * params           resolved parameters
 * seed             replicate seed
 * command          {argv, workingDirectory, files: {path relative to workingDirectory: sha256}}
 * code             {directory, commit, dirty, diffSha256} or {directory, unavailable: reason}
 * runtime          {javaVendor, javaVersion, javaVm, osName, osVersion, osArch, cpuModel, cpuFlags,
 *                   memoryBytes, availableProcessors, gpus: [{name, driver}], hostname}
 * backend          kernel backend and device ({backend, device, driver, emulated} for built-in kinds)
 * dependencies     {"group:artifact": version}
 * data             {name: {path, sizeBytes, sha256, files}}
 * environment      allow-listed environment variables ({@link EnvironmentFilter})
 * </pre>
 *
 * <h2>Recipe</h2>
 * {@link #recipe()} is the part that decides what the run computes; {@link #recipeHash()} is its
 * SHA-256, the identity under which runs are grouped as repeats. It holds: kind, replicaVersion,
 * params, seed, spec.resolved, command.argv and command.files, code (commit, dirty, diffSha256), the
 * backend's name and emulation flag ({@link #RECIPE_BACKEND_KEYS}), and each dataset's sha256 and
 * size under its name. It leaves out whatever describes the place or moment rather than the
 * computation: createdAt, the spec as written (formatting and comments), paths (working directory,
 * code directory, dataset paths), runtime (JDK, OS, CPU, GPU, memory, threads, hostname), the backend's
 * device and driver strings (the JVM backend's names its thread count), dependency versions (pinned by
 * replicaVersion and the code commit) and the environment. {@link ManifestDiff} reports those.
 */
@JsonIgnoreProperties(value = "manifestVersion", allowGetters = true)
public record RunManifest(
        String createdAt,
        String replicaVersion,
        String kind,
        Spec spec,
        Map<String, Object> params,
        Long seed,
        CommandLine command,
        CodeVersion code,
        RuntimeInfo runtime,
        Map<String, Object> backend,
        Map<String, String> dependencies,
        Map<String, DatasetIdentity> data,
        Map<String, String> environment)
        implements CanonicalJson.Convertible {

    /**
     * Reads and writes the records as the layout above: members named as the record components, absent
     * (null) ones left out, no coercion ("7" is not the integer 7), unknown members ignored. Canonical form
     * (key order, number text) is {@link CanonicalJson}'s job on the tree this produces.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static final TypeReference<TreeMap<String, Object>> TREE = new TypeReference<>() {};

    /** Version of this JSON layout; bumped when a member changes meaning. */
    public static final int FORMAT_VERSION = 1;

    /** Version of the {@link #recipe()} definition, hashed with it. */
    public static final int RECIPE_VERSION = 1;

    /** Members of {@link #backend()} that are part of the recipe. */
    public static final Set<String> RECIPE_BACKEND_KEYS = Set.of("backend", "emulated");

    public RunManifest {
        Objects.requireNonNull(kind, "kind");
        replicaVersion = replicaVersion == null ? "unknown" : replicaVersion;
        spec = spec == null ? new Spec(null, Map.of()) : spec;
        params = normalizedObject(params, "params");
        code = code == null ? CodeVersion.unavailable(null, "not recorded") : code;
        backend = normalizedObject(backend, "backend");
        dependencies = sortedCopy(dependencies);
        data = data == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(data));
        environment = sortedCopy(environment);
    }

    /**
     * The spec of the run.
     *
     * @param written the spec text as the user wrote it (YAML or JSON), or null
     * @param resolved the spec after defaults and sweep expansion, as a JSON-like tree
     */
    public record Spec(String written, Map<String, Object> resolved) {
        public Spec {
            resolved = normalizedObject(resolved, "spec.resolved");
        }
    }

    /**
     * What a {@code command} run executed.
     *
     * @param argv the argument vector, program first
     * @param workingDirectory absolute working directory
     * @param files SHA-256 of every argv element (or the value of an {@code --opt=value} element) that
     *     names a regular file inside the working directory, keyed by its path relative to it (with
     *     {@code /} separators)
     */
    public record CommandLine(List<String> argv, String workingDirectory, Map<String, String> files) {
        public CommandLine {
            argv = List.copyOf(argv);
            Objects.requireNonNull(workingDirectory, "workingDirectory");
            files = sortedCopy(files);
        }
    }

    /**
     * The code version of a directory under git.
     *
     * @param directory the directory inspected (absolute), or null
     * @param commit {@code HEAD}'s commit id, or null when unavailable
     * @param dirty whether {@code git status} shows any change, untracked files included
     * @param diffSha256 SHA-256 of {@code git diff HEAD --binary} (of the empty string when clean)
     * @param unavailable why there is no commit ("not a git repository", "git not found"), else null
     */
    public record CodeVersion(String directory, String commit, boolean dirty, String diffSha256, String unavailable) {
        /** A code version that could not be determined, and why. */
        public static CodeVersion unavailable(String directory, String reason) {
            return new CodeVersion(directory, null, false, null, Objects.requireNonNull(reason));
        }

        /** Whether a commit was recorded. */
        public boolean available() {
            return commit != null;
        }
    }

    /** A GPU as {@code nvidia-smi} names it. */
    public record Gpu(String name, String driver) {}

    /**
     * Where the run executed.
     *
     * @param memoryBytes physical memory of the machine, or -1 when unknown
     * @param cpuFlags CPU feature flags (x86 {@code flags}, ARM {@code Features}), sorted
     */
    public record RuntimeInfo(
            String javaVendor,
            String javaVersion,
            String javaVm,
            String osName,
            String osVersion,
            String osArch,
            String cpuModel,
            List<String> cpuFlags,
            long memoryBytes,
            int availableProcessors,
            List<Gpu> gpus,
            String hostname) {
        public RuntimeInfo {
            cpuFlags = cpuFlags == null ? List.of() : List.copyOf(new java.util.TreeSet<>(cpuFlags));
            gpus = gpus == null ? List.of() : List.copyOf(gpus);
        }
    }

    /**
     * A dataset's identity.
     *
     * @param path absolute path of the file or directory
     * @param sizeBytes size in bytes (total over a directory's files)
     * @param sha256 SHA-256 of the file; for a directory, SHA-256 of the canonical JSON of {relative
     *     path: file sha256} over every regular file below it
     * @param files number of files hashed (1 for a file)
     */
    public record DatasetIdentity(String path, long sizeBytes, String sha256, long files) {
        public DatasetIdentity {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // JSON

    /** The manifest as a JSON tree (absent parts left out), as {@link #JSON} writes the records. */
    @Override
    public Map<String, Object> toJsonTree() {
        Map<String, Object> m = JSON.convertValue(this, TREE);
        m.put("code", codeTree(true));
        return m;
    }

    /** This manifest's version of the layout, written first-class so readers can refuse another one. */
    @JsonProperty("manifestVersion")
    int manifestVersion() {
        return FORMAT_VERSION;
    }

    /** The canonical JSON text of {@link #toJsonTree()}. */
    public String toCanonicalJson() {
        return CanonicalJson.write(this);
    }

    /** The canonical JSON as UTF-8 bytes (what to store and export). */
    public byte[] toCanonicalBytes() {
        return toCanonicalJson().getBytes(StandardCharsets.UTF_8);
    }

    /** SHA-256 of the whole canonical manifest (a checksum for storage and bundles, not the recipe). */
    public String sha256() {
        return CanonicalJson.sha256(this);
    }

    /** The recipe-relevant part (see the class comment), as a JSON tree. */
    public Map<String, Object> recipe() {
        Map<String, Object> r = new TreeMap<>();
        r.put("recipeVersion", RECIPE_VERSION);
        r.put("kind", kind);
        r.put("replicaVersion", replicaVersion);
        r.put("params", params);
        if (seed != null) {
            r.put("seed", seed);
        }
        r.put("spec", spec.resolved());
        if (command != null) {
            Map<String, Object> c = new TreeMap<>();
            c.put("argv", command.argv());
            c.put("files", command.files());
            r.put("command", c);
        }
        r.put("code", codeTree(false));
        Map<String, Object> b = new TreeMap<>();
        backend.forEach((k, v) -> {
            if (RECIPE_BACKEND_KEYS.contains(k)) {
                b.put(k, v);
            }
        });
        r.put("backend", b);
        Map<String, Object> d = new TreeMap<>();
        data.forEach((name, id) -> d.put(name, Map.of("sha256", id.sha256(), "sizeBytes", id.sizeBytes())));
        r.put("data", d);
        return r;
    }

    /** SHA-256 of the canonical JSON of {@link #recipe()}: the run's recipe hash. */
    public String recipeHash() {
        return CanonicalJson.sha256(recipe());
    }

    /**
     * Reads a manifest from its JSON text (canonical or not).
     *
     * @throws IllegalArgumentException naming the field at fault when the text is not a manifest
     */
    public static RunManifest parse(String json) {
        return fromJsonTree(CanonicalJson.parse(json));
    }

    /** {@link #parse(String)} of UTF-8 bytes. */
    public static RunManifest parse(byte[] utf8) {
        return fromJsonTree(CanonicalJson.parse(utf8));
    }

    /** Reads a manifest from a parsed JSON tree. */
    public static RunManifest fromJsonTree(Object tree) {
        Map<String, Object> m = object(tree, "(root)");
        if (m == null) {
            throw new IllegalArgumentException("a manifest is a JSON object, got null");
        }
        Long version = longValue(m, "manifestVersion", "");
        if (version == null || version != FORMAT_VERSION) {
            throw new IllegalArgumentException(
                    "unsupported manifestVersion " + version + " (this Replica reads " + FORMAT_VERSION + ")");
        }
        try {
            return JSON.convertValue(m, RunManifest.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fieldAtFault(e), e);
        }
    }

    /**
     * The code version as the manifest records it: where and, when it could not be determined, why; the commit,
     * dirty flag and diff hash only when there is a commit. The recipe leaves the place out.
     */
    private Map<String, Object> codeTree(boolean withPlace) {
        Map<String, Object> c = JSON.convertValue(code, TREE);
        if (!withPlace) {
            c.remove("directory");
            c.remove("unavailable");
        }
        if (!code.available()) {
            c.remove("dirty");
        }
        return c;
    }

    /** {@code manifest field 'runtime.memoryBytes' must be an integer}, from what Jackson reports. */
    private static String fieldAtFault(IllegalArgumentException e) {
        if (!(e.getCause() instanceof JsonMappingException jme)) {
            return "not a manifest: " + e.getMessage();
        }
        String field = jme.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        Throwable root = jme;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NullPointerException npe && npe.getMessage() != null) {
            // a record's constructor refused a missing member it names
            return "manifest field '" + (field.isEmpty() ? "" : field + ".") + npe.getMessage() + "' is missing";
        }
        if (jme instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            Class<?> t = mie.getTargetType();
            String want = t == Long.class || t == long.class || t == Integer.class || t == int.class
                    ? "an integer"
                    : t == Boolean.class || t == boolean.class
                            ? "true or false"
                            : t == String.class
                                    ? "a string"
                                    : List.class.isAssignableFrom(t)
                                            ? "an array"
                                            : Map.class.isAssignableFrom(t) ? "an object" : "a " + t.getSimpleName();
            return "manifest field '" + field + "' must be " + want;
        }
        return "manifest field '" + field + "': " + jme.getOriginalMessage();
    }
}

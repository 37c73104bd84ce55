package dev.replica.experiments.manifest;

import static dev.replica.experiments.manifest.JsonTrees.bool;
import static dev.replica.experiments.manifest.JsonTrees.longValue;
import static dev.replica.experiments.manifest.JsonTrees.normalizedObject;
import static dev.replica.experiments.manifest.JsonTrees.object;
import static dev.replica.experiments.manifest.JsonTrees.requireString;
import static dev.replica.experiments.manifest.JsonTrees.sortedCopy;
import static dev.replica.experiments.manifest.JsonTrees.string;
import static dev.replica.experiments.manifest.JsonTrees.stringMap;
import static dev.replica.experiments.manifest.JsonTrees.strings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

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

    /** The manifest as a JSON tree (sorted maps; absent parts left out). */
    @Override
    public Map<String, Object> toJsonTree() {
        Map<String, Object> m = new TreeMap<>();
        m.put("manifestVersion", FORMAT_VERSION);
        putIfNotNull(m, "createdAt", createdAt);
        m.put("replicaVersion", replicaVersion);
        m.put("kind", kind);
        Map<String, Object> s = new TreeMap<>();
        putIfNotNull(s, "written", spec.written());
        s.put("resolved", spec.resolved());
        m.put("spec", s);
        m.put("params", params);
        putIfNotNull(m, "seed", seed);
        if (command != null) {
            Map<String, Object> c = new TreeMap<>();
            c.put("argv", command.argv());
            c.put("workingDirectory", command.workingDirectory());
            c.put("files", command.files());
            m.put("command", c);
        }
        m.put("code", codeTree(code, true));
        if (runtime != null) {
            m.put("runtime", runtimeTree(runtime));
        }
        m.put("backend", backend);
        m.put("dependencies", dependencies);
        Map<String, Object> d = new TreeMap<>();
        data.forEach((name, id) -> {
            Map<String, Object> e = new TreeMap<>();
            e.put("path", id.path());
            e.put("sizeBytes", id.sizeBytes());
            e.put("sha256", id.sha256());
            e.put("files", id.files());
            d.put(name, e);
        });
        m.put("data", d);
        m.put("environment", environment);
        return m;
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
        putIfNotNull(r, "seed", seed);
        r.put("spec", spec.resolved());
        if (command != null) {
            Map<String, Object> c = new TreeMap<>();
            c.put("argv", command.argv());
            c.put("files", command.files());
            r.put("command", c);
        }
        r.put("code", codeTree(code, false));
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
        Map<String, Object> s = object(m.get("spec"), "spec");
        Spec spec =
                s == null ? null : new Spec(string(s, "written", "spec."), object(s.get("resolved"), "spec.resolved"));
        CommandLine command = null;
        Map<String, Object> c = object(m.get("command"), "command");
        if (c != null) {
            command = new CommandLine(
                    strings(c, "argv", "command."),
                    requireString(c, "workingDirectory", "command."),
                    stringMap(c, "files", "command."));
        }
        Map<String, Object> code = object(m.get("code"), "code");
        CodeVersion codeVersion = null;
        if (code != null) {
            codeVersion = new CodeVersion(
                    string(code, "directory", "code."),
                    string(code, "commit", "code."),
                    bool(code, "dirty", "code."),
                    string(code, "diffSha256", "code."),
                    string(code, "unavailable", "code."));
        }
        RuntimeInfo runtime = null;
        Map<String, Object> rt = object(m.get("runtime"), "runtime");
        if (rt != null) {
            List<Gpu> gpus = new ArrayList<>();
            Object g = rt.get("gpus");
            if (g instanceof List<?> list) {
                for (Object o : list) {
                    Map<String, Object> gm = object(o, "runtime.gpus[]");
                    gpus.add(new Gpu(string(gm, "name", "runtime.gpus[]."), string(gm, "driver", "runtime.gpus[].")));
                }
            }
            Long mem = longValue(rt, "memoryBytes", "runtime.");
            Long cpus = longValue(rt, "availableProcessors", "runtime.");
            runtime = new RuntimeInfo(
                    string(rt, "javaVendor", "runtime."),
                    string(rt, "javaVersion", "runtime."),
                    string(rt, "javaVm", "runtime."),
                    string(rt, "osName", "runtime."),
                    string(rt, "osVersion", "runtime."),
                    string(rt, "osArch", "runtime."),
                    string(rt, "cpuModel", "runtime."),
                    strings(rt, "cpuFlags", "runtime."),
                    mem == null ? -1 : mem,
                    cpus == null ? -1 : Math.toIntExact(cpus),
                    gpus,
                    string(rt, "hostname", "runtime."));
        }
        Map<String, DatasetIdentity> data = new LinkedHashMap<>();
        Map<String, Object> d = object(m.get("data"), "data");
        if (d != null) {
            d.forEach((name, v) -> {
                Map<String, Object> e = object(v, "data." + name);
                String p = "data." + name + ".";
                Long size = longValue(e, "sizeBytes", p);
                Long files = longValue(e, "files", p);
                data.put(
                        name,
                        new DatasetIdentity(
                                requireString(e, "path", p), size == null ? -1 : size,
                                requireString(e, "sha256", p), files == null ? 1 : files));
            });
        }
        return new RunManifest(
                string(m, "createdAt", ""),
                string(m, "replicaVersion", ""),
                requireString(m, "kind", ""),
                spec,
                object(m.get("params"), "params"),
                longValue(m, "seed", ""),
                command,
                codeVersion,
                runtime,
                object(m.get("backend"), "backend"),
                stringMap(m, "dependencies", ""),
                data,
                stringMap(m, "environment", ""));
    }

    private static Map<String, Object> codeTree(CodeVersion code, boolean withPlace) {
        Map<String, Object> c = new TreeMap<>();
        if (withPlace) {
            putIfNotNull(c, "directory", code.directory());
            putIfNotNull(c, "unavailable", code.unavailable());
        }
        if (code.available()) {
            c.put("commit", code.commit());
            c.put("dirty", code.dirty());
            putIfNotNull(c, "diffSha256", code.diffSha256());
        }
        return c;
    }

    private static Map<String, Object> runtimeTree(RuntimeInfo r) {
        Map<String, Object> m = new TreeMap<>();
        putIfNotNull(m, "javaVendor", r.javaVendor());
        putIfNotNull(m, "javaVersion", r.javaVersion());
        putIfNotNull(m, "javaVm", r.javaVm());
        putIfNotNull(m, "osName", r.osName());
        putIfNotNull(m, "osVersion", r.osVersion());
        putIfNotNull(m, "osArch", r.osArch());
        putIfNotNull(m, "cpuModel", r.cpuModel());
        m.put("cpuFlags", r.cpuFlags());
        m.put("memoryBytes", r.memoryBytes());
        m.put("availableProcessors", r.availableProcessors());
        List<Object> gpus = new ArrayList<>();
        for (Gpu g : r.gpus()) {
            Map<String, Object> gm = new TreeMap<>();
            putIfNotNull(gm, "name", g.name());
            putIfNotNull(gm, "driver", g.driver());
            gpus.add(gm);
        }
        m.put("gpus", gpus);
        putIfNotNull(m, "hostname", r.hostname());
        return m;
    }

    private static void putIfNotNull(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}

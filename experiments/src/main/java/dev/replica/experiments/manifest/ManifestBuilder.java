package dev.replica.experiments.manifest;

import dev.replica.experiments.manifest.RunManifest.CodeVersion;
import dev.replica.experiments.manifest.RunManifest.CommandLine;
import dev.replica.experiments.manifest.RunManifest.DatasetIdentity;
import dev.replica.experiments.manifest.RunManifest.RuntimeInfo;
import dev.replica.experiments.manifest.RunManifest.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Assembles a {@link RunManifest} when a run starts. Everything the caller knows (kind, spec,
 * parameters, seed, backend, datasets, command) is passed in; everything about the machine is probed
 * unless given: runtime ({@link RuntimeProbe#current()}), dependency versions
 * ({@link DependencyVersions#detect()}), environment ({@link EnvironmentFilter} over
 * {@code System.getenv()}), Replica version, and the creation time.
 *
 * <pre>{@code
 * DatasetHashCache hashes = DatasetHashCache.open(home.resolve("cache/dataset-hashes.json"));
 * ManifestBuilder b = ManifestBuilder.forKind("optimizer-sweep")
 *     .spec(specYaml, resolvedSpec)
 *     .params(ctx.params())
 *     .seed(ctx.seed())
 *     .backend(ctx.kernels().deviceDescription().toManifest())
 *     .code(Path.of("."))
 *     .hashCache(hashes)
 *     .dataset("fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist"));
 * RunManifest manifest = b.build();
 * hashes.save();
 * b.codeDiff().ifPresent(diff -> saveArtifact("code.diff", diff));
 * }</pre>
 *
 * Not thread-safe; one builder per run.
 */
public final class ManifestBuilder {
    private final String kind;
    private Instant createdAt;
    private String replicaVersion;
    private Spec spec;
    private Map<String, ?> params = Map.of();
    private Long seed;
    private CommandLine command;
    private CodeVersion code;
    private Optional<String> codeDiff = Optional.empty();
    private RuntimeInfo runtime;
    private Map<String, ?> backend = Map.of();
    private Map<String, String> dependencies;
    private final Map<String, DatasetIdentity> data = new TreeMap<>();
    private Map<String, String> environment;
    private DatasetHashCache hashCache = DatasetHashCache.inMemory();

    private ManifestBuilder(String kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** A builder for a run of experiment kind {@code kind}. */
    public static ManifestBuilder forKind(String kind) {
        return new ManifestBuilder(kind);
    }

    /** When the run started (default: when {@link #build()} is called). */
    public ManifestBuilder createdAt(Instant value) {
        this.createdAt = value;
        return this;
    }

    /** Replica's version (default: {@link DependencyVersions#replicaVersion()}). */
    public ManifestBuilder replicaVersion(String value) {
        this.replicaVersion = value;
        return this;
    }

    /** The spec as the user wrote it (text, may be null) and as resolved (a JSON-like tree). */
    public ManifestBuilder spec(String written, Map<String, ?> resolved) {
        this.spec = new Spec(written, resolved == null ? Map.of() : new TreeMap<String, Object>(resolved));
        return this;
    }

    /** Resolved parameters: strings, numbers, booleans, lists and maps of them. */
    public ManifestBuilder params(Map<String, ?> value) {
        this.params = Objects.requireNonNull(value, "params");
        return this;
    }

    /** The replicate seed. */
    public ManifestBuilder seed(long value) {
        this.seed = value;
        return this;
    }

    /**
     * For a {@code command} run: its argv and working directory. Every argv element, and the value of
     * every {@code --option=value} element, that names a regular file inside the working directory
     * (after resolving links) is hashed through the {@link #hashCache(DatasetHashCache) hash cache}.
     *
     * @throws UncheckedIOException when such a file exists but cannot be read
     */
    public ManifestBuilder command(List<String> argv, Path workingDirectory) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty: a command needs at least a program");
        }
        Path wd = workingDirectory.toAbsolutePath().normalize();
        Map<String, String> files = new TreeMap<>();
        try {
            Path realWd = wd.toRealPath();
            for (String arg : argv) {
                List<String> candidates = new ArrayList<>(List.of(arg));
                int eq = arg.indexOf('=');
                if (arg.startsWith("-") && eq > 0) {
                    candidates.add(arg.substring(eq + 1));
                }
                for (String candidate : candidates) {
                    Path file = fileInTree(realWd, candidate);
                    if (file != null) {
                        String rel = realWd.relativize(file)
                                .toString()
                                .replace(file.getFileSystem().getSeparator(), "/");
                        files.put(rel, hashCache.sha256(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the files of command " + argv + ": " + e.getMessage(), e);
        }
        this.command = new CommandLine(argv, wd.toString(), files);
        return this;
    }

    private static Path fileInTree(Path realWd, String candidate) throws IOException {
        if (candidate.isEmpty()) {
            return null;
        }
        Path p;
        try {
            p = realWd.resolve(candidate).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        if (!Files.isRegularFile(p)) {
            return null;
        }
        Path real = p.toRealPath();
        return real.startsWith(realWd) ? real : null;
    }

    /** Records the git code version of {@code directory} (see {@link GitProbe}); never fails. */
    public ManifestBuilder code(Path directory) {
        return code(new GitProbe().inspect(directory));
    }

    /** Records a code version probed elsewhere (a worker, a test). */
    public ManifestBuilder code(GitProbe.Snapshot snapshot) {
        this.code = snapshot.version();
        this.codeDiff = snapshot.diff();
        return this;
    }

    /** The text of {@code git diff HEAD} behind the recorded diff hash, to keep as an artifact. */
    public Optional<String> codeDiff() {
        return codeDiff;
    }

    /** The runtime (default: {@link RuntimeProbe#current()}). */
    public ManifestBuilder runtime(RuntimeInfo value) {
        this.runtime = value;
        return this;
    }

    /** Kernel backend and device, e.g. {@code KernelBackend.deviceDescription().toManifest()}. */
    public ManifestBuilder backend(Map<String, ?> value) {
        this.backend = Objects.requireNonNull(value, "backend");
        return this;
    }

    /** Dependency versions (default: {@link DependencyVersions#detect()}). */
    public ManifestBuilder dependencies(Map<String, String> value) {
        this.dependencies = value;
        return this;
    }

    /** The cache used to hash datasets and command files (default: an in-memory one). */
    public ManifestBuilder hashCache(DatasetHashCache value) {
        this.hashCache = Objects.requireNonNull(value, "hashCache");
        return this;
    }

    /**
     * Records dataset {@code name} (a role such as "train"; the recipe keys datasets by it) at
     * {@code path}, a file or a directory.
     *
     * @throws IOException when the path does not exist or cannot be read
     */
    public ManifestBuilder dataset(String name, Path path) throws IOException {
        data.put(Objects.requireNonNull(name, "name"), hashCache.identify(path));
        return this;
    }

    /**
     * Records the allow-listed subset of {@code env} (default: of {@code System.getenv()}); see
     * {@link EnvironmentFilter}.
     */
    public ManifestBuilder environment(Map<String, String> env) {
        this.environment = EnvironmentFilter.filter(env);
        return this;
    }

    /** The manifest; probes whatever was not given. */
    public RunManifest build() {
        return new RunManifest(
                (createdAt == null ? Instant.now() : createdAt).toString(),
                replicaVersion == null ? DependencyVersions.replicaVersion() : replicaVersion,
                kind,
                spec,
                new TreeMap<String, Object>(params),
                seed,
                command,
                code,
                runtime == null ? RuntimeProbe.current() : runtime,
                new TreeMap<String, Object>(backend),
                dependencies == null ? DependencyVersions.detect() : dependencies,
                data,
                environment == null ? EnvironmentFilter.filter(System.getenv()) : environment);
    }
}

package dev.replica.backend.manifest;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.executor.RunExecutor;
import dev.replica.backend.executor.RunLaunch;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunRepository;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.manifest.CanonicalJson;
import dev.replica.experiments.manifest.DatasetHashCache;
import dev.replica.experiments.manifest.DependencyVersions;
import dev.replica.experiments.manifest.ManifestBuilder;
import dev.replica.experiments.manifest.RunManifest;
import dev.replica.experiments.manifest.RuntimeProbe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes each run's manifest when it starts — {@code manifest.json} (and {@code code.diff} when the tree is
 * dirty) in the run folder, the canonical JSON and recipe hash on the run row — and reads them back.
 */
@ApplicationScoped
public class ManifestService {

    /** Parameters that name data files or folders: their identity (size, SHA-256) goes in the manifest. */
    static final java.util.List<String> DATA_PARAMS = java.util.List.of("data_dir", "text_file");

    @Inject
    RunRepository runs;

    @Inject
    ReplicaHome home;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private volatile DatasetHashCache hashCache;

    /** The class path does not change while the application runs: probe its artifact versions once. */
    private final java.util.function.Supplier<Map<String, String>> dependencies = memoize(DependencyVersions::detect);

    public RunManifest record(RunLaunch launch, RunExecutor executor, String specText, String resolvedSpecJson)
            throws IOException {
        ManifestBuilder builder = ManifestBuilder.forKind(launch.spec().kind())
                .createdAt(Instant.now())
                .replicaVersion(version)
                .spec(specText, castMap(CanonicalJson.parse(resolvedSpecJson)))
                .params(launch.params())
                .seed(launch.seed())
                .code(launch.specDir() != null ? launch.specDir() : Path.of("").toAbsolutePath())
                .runtime(RuntimeProbe.current())
                .backend(executor.backendDescription(launch.spec()))
                .dependencies(dependencies.get())
                .hashCache(cache())
                .environment(System.getenv());
        if (KindRegistry.COMMAND.equals(launch.spec().kind())) {
            builder.command(launch.commandArgv(), launch.workingDirectory());
        }
        for (String name : DATA_PARAMS) {
            Object value = launch.params().get(name);
            if (value instanceof String s && !s.isBlank() && Files.exists(Path.of(s))) {
                builder.dataset(name, Path.of(s));
            }
        }
        RunManifest manifest = builder.build();
        cache().save();
        String json = manifest.toCanonicalJson();
        Files.writeString(launch.runDir().resolve("manifest.json"), json + "\n", StandardCharsets.UTF_8);
        Optional<String> diff = builder.codeDiff();
        if (diff.isPresent()) {
            Files.writeString(launch.runDir().resolve("code.diff"), diff.get(), StandardCharsets.UTF_8);
        }
        String hash = manifest.recipeHash();
        QuarkusTransaction.requiringNew()
                .run(() -> Run.update("recipeHash = ?1, manifestJson = ?2 where id = ?3", hash, json, launch.runId()));
        return manifest;
    }

    /** The stored manifest of a run, when it has started. */
    public Optional<RunManifest> find(long runId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(runId))
                .map(r -> r.manifestJson)
                .map(RunManifest::parse);
    }

    private DatasetHashCache cache() {
        if (hashCache == null) {
            synchronized (this) {
                if (hashCache == null) {
                    hashCache =
                            DatasetHashCache.open(home.root().resolve("cache").resolve("dataset-hashes.json"));
                }
            }
        }
        return hashCache;
    }

    private static <T> java.util.function.Supplier<T> memoize(java.util.function.Supplier<T> supplier) {
        return new java.util.function.Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    v = supplier.get();
                    value = v;
                }
                return v;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castMap(Object tree) {
        return (Map<String, ?>) tree;
    }
}

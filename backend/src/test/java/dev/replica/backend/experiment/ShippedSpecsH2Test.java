package dev.replica.backend.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.backend.profiles.H2Profile;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunState;
import dev.replica.backend.run.RunView;
import dev.replica.backend.scheduler.Scheduler;
import dev.replica.experiments.data.FashionMnist;
import dev.replica.experiments.spec.SpecValidationException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every spec shipped under {@code experiments/specs/} runs green through the scheduler, shrunk to one run of a
 * few steps: its sweep cut to the first value of each list, one seed, and small sizes where its kind has them.
 * {@code broken-*.yaml} specs are there to show errors and must be rejected instead. A spec that needs
 * Fashion-MNIST is skipped, saying so, where the dataset package is not installed.
 */
@QuarkusTest
@TestProfile(H2Profile.class)
class ShippedSpecsH2Test {

    static final Path SPECS = Path.of("../experiments/specs");

    /** Sizes small enough for seconds per run; applied only to parameters the spec's kind declares. */
    static final Map<String, Object> SHRINK = Map.ofEntries(
            Map.entry("steps", 4),
            Map.entry("pretrain_steps", 4),
            Map.entry("eval_every", 4),
            Map.entry("expert_dim", 16),
            Map.entry("batch", 16),
            Map.entry("eval_problems", 4),
            Map.entry("pass_n", 2),
            Map.entry("pool_size", 4),
            Map.entry("copies", 2),
            Map.entry("group_size", 2));

    @Inject
    ExperimentService experiments;

    @Inject
    Scheduler scheduler;

    @Inject
    RunQueries runs;

    static Stream<Path> specs() throws IOException {
        try (Stream<Path> files = Files.list(SPECS)) {
            List<Path> yaml =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("shipped specs under " + SPECS.toAbsolutePath()).isNotEmpty();
            return yaml.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void runsGreenShrunk(Path file) throws Exception {
        String text = Files.readString(file);
        if (file.getFileName().toString().startsWith("broken-")) {
            assertThatThrownBy(() -> experiments.validate(text, file.toString()))
                    .isInstanceOf(SpecValidationException.class);
            return;
        }
        Map<String, Object> spec = new Yaml().load(text);
        String kind = (String) spec.get("kind");
        Map<String, Object> params = shrink(spec);
        boolean fashion = "mone".equals(kind) || "fashion-mnist-mlp".equals(params.get("task"));
        if (fashion && !Files.isDirectory(Path.of(FashionMnist.DEFAULT_DIR))) {
            String why = file.getFileName() + " skipped: needs Fashion-MNIST (" + FashionMnist.INSTALL_COMMAND + ")";
            System.out.println(why);
            Assumptions.abort(why);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String shrunk = new Yaml(options).dump(spec);

        long id = experiments
                .create(shrunk, file.toString(), SPECS.toAbsolutePath())
                .experimentId();
        long started = System.nanoTime();
        Scheduler.Summary summary = scheduler.runExperiment(id, p -> {});

        List<RunView> done = runs.list(new RunFilter(id, null, Map.of(), 10, 0));
        assertThat(done).hasSize(1);
        assertThat(summary.byState())
                .as(
                        "%s shrunk to\n%s\nfailed with: %s",
                        file.getFileName(), shrunk, done.get(0).message())
                .isEqualTo(Map.of(RunState.SUCCEEDED, 1L));
        System.out.printf("%s: 1 run green in %.1f s%n", file.getFileName(), (System.nanoTime() - started) / 1e9);
    }

    /** Cuts the spec to one run of small sizes; returns the parameters as they now stand. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> shrink(Map<String, Object> spec) {
        spec.put("seeds", new ArrayList<>(List.of(0)));
        spec.remove("replicates");
        spec.remove("compare"); // its baseline may name a value the cut sweep no longer has
        List<String> swept = new ArrayList<>();
        if (spec.get("sweep") instanceof Map<?, ?> sweep) {
            for (String part : List.of("grid", "zip")) {
                if (sweep.get(part) instanceof Map<?, ?> lists) {
                    for (Map.Entry<String, Object> e : ((Map<String, Object>) lists).entrySet()) {
                        swept.add(e.getKey());
                        e.setValue(new ArrayList<>(List.of(((List<Object>) e.getValue()).get(0))));
                    }
                }
            }
            if (sweep.get("random") instanceof Map<?, ?> random) {
                ((Map<String, Object>) random).put("count", 1);
                swept.addAll(((Map<String, Object>) random.get("params")).keySet());
            }
        }
        Map<String, Object> params = spec.get("params") instanceof Map<?, ?> p
                ? new LinkedHashMap<>((Map<String, Object>) p)
                : new LinkedHashMap<>();
        String kind = (String) spec.get("kind");
        var schema = dev.replica.experiments.kind.KindRegistry.find(kind).orElseThrow();
        for (var param : schema.params()) {
            if (SHRINK.containsKey(param.name()) && !swept.contains(param.name())) {
                params.put(param.name(), SHRINK.get(param.name()));
            }
        }
        if (!params.isEmpty()) {
            spec.put("params", params);
        }
        return params;
    }
}

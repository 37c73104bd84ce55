package dev.replica.experiments.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import dev.replica.experiments.sweep.SweepPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SpecsTest {

    @Test
    void everyShippedSpecParsesAndPlans() throws IOException {
        List<Path> specs;
        try (Stream<Path> files = Files.list(Path.of("specs"))) {
            specs = files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("broken-example.yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(specs)
                .extracting(p -> p.getFileName().toString())
                .contains(
                        "normuon-vs-muon-vs-adamw.yaml",
                        "fashion-mnist-optimizers.yaml",
                        "one-shot-rlvr.yaml",
                        "entropy-ablation.yaml",
                        "mone-sparsity.yaml");
        for (Path p : specs) {
            ExperimentSpec spec = new SpecParser().parse(Files.readString(p), p.toString());
            assertThat(SweepPlanner.plan(spec)).as(p.toString()).isNotEmpty();
        }
    }
}

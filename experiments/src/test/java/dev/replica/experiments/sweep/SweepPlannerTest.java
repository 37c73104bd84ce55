package dev.replica.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SweepPlannerTest {

    private static ExperimentSpec parse(String yaml) {
        return new SpecParser().parse(yaml, "t.yaml");
    }

    @Test
    void gridTimesSeedsCountsEveryCombination() {
        List<PlannedRun> runs = SweepPlanner.plan(parse("""
                apiVersion: replica/v1
                name: g
                kind: optimizer-sweep
                params: {steps: 50}
                sweep: {grid: {optimizer: [adamw, muon, normuon], lr_scale: [0.5, 1, 2]}}
                seeds: [0, 1, 2]
                """));
        assertThat(runs).hasSize(27);
        assertThat(runs.stream().map(PlannedRun::configKey).distinct()).hasSize(9);
        assertThat(runs)
                .extracting(PlannedRun::index)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 27).boxed().toList());
        // seeds innermost, later axes fastest
        assertThat(runs.get(0).params()).containsEntry("optimizer", "adamw").containsEntry("lr_scale", 0.5);
        assertThat(runs.get(1).seed()).isEqualTo(1);
        assertThat(runs.get(3).params()).containsEntry("lr_scale", 1.0);
        // kind defaults are resolved, spec params override them
        assertThat(runs.get(0).params()).containsEntry("steps", 50L).containsEntry("batch", 128L);
        assertThat(runs.get(0).configKey()).contains("optimizer=adamw").doesNotContain("seed");
    }

    @Test
    void zipWalksListsInParallelAndCrossesTheGrid() {
        List<PlannedRun> runs = SweepPlanner.plan(parse("""
                apiVersion: replica/v1
                name: z
                kind: command
                command: [echo, "{a}", "{b}", "{c}"]
                sweep:
                  grid: {a: [1, 2]}
                  zip: {b: [x, y, z], c: [10, 20, 30]}
                """));
        assertThat(runs).hasSize(6);
        Set<String> pairs = runs.stream()
                .map(r -> r.params().get("b") + ":" + r.params().get("c"))
                .collect(Collectors.toSet());
        assertThat(pairs).containsExactlyInAnyOrder("x:10", "y:20", "z:30");
    }

    @Test
    void randomSearchIsReproducibleFromTheSamplerSeedAndWithinBounds() {
        String yaml = """
                apiVersion: replica/v1
                name: r
                kind: optimizer-sweep
                sweep:
                  random:
                    count: 50
                    seed: 42
                    params:
                      lr: {log-uniform: [1e-4, 1e-1]}
                      width: {int-uniform: [64, 256]}
                      optimizer: {choice: [adamw, muon]}
                replicates: 2
                """;
        List<PlannedRun> a = SweepPlanner.plan(parse(yaml));
        List<PlannedRun> b = SweepPlanner.plan(parse(yaml));
        assertThat(a).hasSize(100).isEqualTo(b);
        for (PlannedRun r : a) {
            double lr = (Double) r.params().get("lr");
            long width = (Long) r.params().get("width");
            assertThat(lr).isBetween(1e-4, 1e-1);
            assertThat(width).isBetween(64L, 256L);
            assertThat(r.params().get("optimizer")).isIn("adamw", "muon");
        }
        assertThat(a.stream().map(r -> r.params().get("optimizer")).distinct()).hasSize(2);
        List<PlannedRun> other = SweepPlanner.plan(parse(yaml.replace("seed: 42", "seed: 43")));
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void specWithoutSweepIsOneRunPerSeed() {
        List<PlannedRun> runs = SweepPlanner.plan(parse("apiVersion: replica/v1\nname: s\nkind: mone\n"));
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.seed()).isZero();
            assertThat(r.params()).containsEntry("variant", "mone");
        });
    }
}

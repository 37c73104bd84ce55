package dev.replica.experiments.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import dev.replica.experiments.sweep.PlannedRun;
import dev.replica.experiments.sweep.SweepPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shipped spec expands into the runs its YAML describes, written out here by hand: the swept values in
 * order (later axes vary fastest, seeds innermost, as the planner documents) and the fixed parameters.
 */
class SpecsTest {

    /** The grid optimizer: [adamw, muon, normuon] × lr_scale: [0.5, 1, 2] (lr_scale is a float parameter). */
    private static final List<String> THREE_OPTIMIZERS_BY_THREE_SCALES = List.of(
            "optimizer=adamw lr_scale=0.5",
            "optimizer=adamw lr_scale=1.0",
            "optimizer=adamw lr_scale=2.0",
            "optimizer=muon lr_scale=0.5",
            "optimizer=muon lr_scale=1.0",
            "optimizer=muon lr_scale=2.0",
            "optimizer=normuon lr_scale=0.5",
            "optimizer=normuon lr_scale=1.0",
            "optimizer=normuon lr_scale=2.0");

    private static List<PlannedRun> plan(String file) throws IOException {
        Path p = Path.of("specs", file);
        ExperimentSpec spec = new SpecParser().parse(Files.readString(p), p.toString());
        return SweepPlanner.plan(spec);
    }

    /** Each run as "k=v k=v seed=s" over {@code keys}, in plan order. */
    private static List<String> rows(List<PlannedRun> plan, String... keys) {
        return plan.stream()
                .map(r -> Stream.of(keys).map(k -> k + "=" + r.params().get(k)).collect(Collectors.joining(" "))
                        + " seed=" + r.seed())
                .toList();
    }

    /** Every configuration followed by each seed, the order the planner promises. */
    private static List<String> product(List<String> configurations, long... seeds) {
        List<String> out = new ArrayList<>();
        for (String c : configurations) {
            for (long s : seeds) {
                out.add(c + " seed=" + s);
            }
        }
        return out;
    }

    private static void fixed(List<PlannedRun> plan, Map<String, Object> params) {
        assertThat(plan).allSatisfy(r -> assertThat(r.params()).containsAllEntriesOf(params));
        assertThat(plan)
                .extracting(PlannedRun::index)
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, plan.size()).boxed().toList());
    }

    @Test
    void everyShippedSpecIsCoveredHere() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("specs"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")))
                    .containsExactlyInAnyOrder(
                            "broken-example.yaml",
                            "command-example.yaml",
                            "entropy-ablation.yaml",
                            "fashion-mnist-adamw-lr.yaml",
                            "fashion-mnist-optimizers.yaml",
                            "mone-sparsity.yaml",
                            "moe-load-balance.yaml",
                            "normuon-vs-muon-vs-adamw.yaml",
                            "one-shot-rlvr.yaml",
                            "one-shot-rlvr-controls.yaml",
                            "one-shot-rlvr-long.yaml",
                            "quickstart.yaml",
                            "svs.yaml",
                            "sws.yaml");
        }
    }

    @Test
    void quickstartIsThreeOptimizersTimesThreeScalesTimesTwoSeeds() throws IOException {
        List<PlannedRun> plan = plan("quickstart.yaml");
        assertThat(rows(plan, "optimizer", "lr_scale"))
                .containsExactlyElementsOf(product(THREE_OPTIMIZERS_BY_THREE_SCALES, 0, 1));
        fixed(plan, Map.of("task", "teacher-stream", "steps", 200L, "batch", 64L, "width", 64L));
    }

    @Test
    void normuonVsMuonVsAdamwIsTwentySevenRuns() throws IOException {
        List<PlannedRun> plan = plan("normuon-vs-muon-vs-adamw.yaml");
        assertThat(rows(plan, "optimizer", "lr_scale"))
                .containsExactlyElementsOf(product(THREE_OPTIMIZERS_BY_THREE_SCALES, 0, 1, 2));
        fixed(plan, Map.of("task", "teacher-stream", "steps", 500L, "batch", 128L, "width", 128L, "eval_every", 50L));
    }

    @Test
    void fashionMnistOptimizersIsFourOptimizersTimesTwoSeeds() throws IOException {
        List<PlannedRun> plan = plan("fashion-mnist-optimizers.yaml");
        assertThat(rows(plan, "optimizer"))
                .containsExactlyElementsOf(product(
                        List.of("optimizer=adamw", "optimizer=muon", "optimizer=normuon", "optimizer=sgd"), 0, 1));
        fixed(
                plan,
                Map.of(
                        "task",
                        "fashion-mnist-mlp",
                        "steps",
                        938L,
                        "batch",
                        128L,
                        "eval_every",
                        94L,
                        "schedule",
                        "warmdown",
                        "warmdown_fraction",
                        0.3));
    }

    @Test
    void fashionMnistAdamwLrIsThreeScalesTimesTwoSeeds() throws IOException {
        List<PlannedRun> plan = plan("fashion-mnist-adamw-lr.yaml");
        assertThat(rows(plan, "lr_scale"))
                .containsExactlyElementsOf(product(List.of("lr_scale=1.0", "lr_scale=3.0", "lr_scale=10.0"), 0, 1));
        fixed(plan, Map.of("task", "fashion-mnist-mlp", "optimizer", "adamw", "steps", 938L, "eval_every", 94L));
    }

    @Test
    void entropyAblationIsFourCoefficientsTimesTwoSeeds() throws IOException {
        List<PlannedRun> plan = plan("entropy-ablation.yaml");
        assertThat(rows(plan, "ent_coeff"))
                .containsExactlyElementsOf(product(
                        List.of("ent_coeff=0.0", "ent_coeff=0.001", "ent_coeff=0.003", "ent_coeff=0.01"), 0, 1));
        fixed(plan, Map.of("mode", "one-shot", "digits", 2L, "pretrain_steps", 200L, "steps", 40L, "pass_n", 16L));
    }

    @Test
    void oneShotRlvrZipsModeWithItsCoefficients() throws IOException {
        List<PlannedRun> plan = plan("one-shot-rlvr.yaml");
        assertThat(rows(plan, "mode", "pg_coeff", "kl_coeff"))
                .containsExactlyElementsOf(product(
                        List.of(
                                "mode=one-shot pg_coeff=1.0 kl_coeff=0.001",
                                "mode=full-set pg_coeff=1.0 kl_coeff=0.001",
                                "mode=one-shot pg_coeff=0.0 kl_coeff=0.0"),
                        0,
                        1,
                        2));
        fixed(plan, Map.of("digits", 2L, "flaw_rate", 0.6, "lr", 1.0e-4, "eval_problems", 100L));
    }

    @Test
    void oneShotRlvrControlsZipSelectionWithItsHistory() throws IOException {
        List<PlannedRun> plan = plan("one-shot-rlvr-controls.yaml");
        assertThat(rows(plan, "select", "select_history"))
                .containsExactlyElementsOf(product(
                        List.of(
                                "select=max-std select_history=grpo",
                                "select=min-std select_history=grpo",
                                "select=random select_history=grpo",
                                "select=max-std select_history=pretraining"),
                        0,
                        1,
                        2));
        fixed(plan, Map.of("mode", "one-shot", "digits", 2L, "steps", 40L, "select_epochs", 5L, "lr", 1.0e-4));
    }

    @Test
    void oneShotRlvrLongRunsTwoHundredStepsAgainstFullSet() throws IOException {
        List<PlannedRun> plan = plan("one-shot-rlvr-long.yaml");
        assertThat(rows(plan, "mode"))
                .containsExactlyElementsOf(product(List.of("mode=one-shot", "mode=full-set"), 0, 1));
        fixed(plan, Map.of("steps", 200L, "eval_every", 25L, "select", "max-std", "select_history", "grpo"));
    }

    @Test
    void moneSparsityIsThreeVariantsTimesThreeSeeds() throws IOException {
        List<PlannedRun> plan = plan("mone-sparsity.yaml");
        assertThat(rows(plan, "variant"))
                .containsExactlyElementsOf(
                        product(List.of("variant=moe", "variant=mone", "variant=moe-half"), 0, 1, 2));
        fixed(plan, Map.of("study", "sparsify", "experts", 4L, "top_k", 2L, "expert_dim", 128L, "steps", 600L));
    }

    @Test
    void moeLoadBalanceIsTwoVariantsTimesThreeCoefficientsTimesTwoSeeds() throws IOException {
        List<PlannedRun> plan = plan("moe-load-balance.yaml");
        assertThat(rows(plan, "variant", "balance_coeff"))
                .containsExactlyElementsOf(product(
                        List.of(
                                "variant=moe balance_coeff=0.0",
                                "variant=moe balance_coeff=0.01",
                                "variant=moe balance_coeff=0.1",
                                "variant=mone balance_coeff=0.0",
                                "variant=mone balance_coeff=0.01",
                                "variant=mone balance_coeff=0.1"),
                        0,
                        1));
        fixed(plan, Map.of("study", "train", "experts", 4L, "top_k", 2L, "expert_dim", 128L, "steps", 600L));
    }

    @Test
    void svsRunsAgainstFullSetWithEqualRolloutsPerStep() throws IOException {
        List<PlannedRun> plan = plan("svs.yaml");
        assertThat(rows(plan, "mode", "copies"))
                .containsExactlyElementsOf(product(List.of("mode=svs copies=16", "mode=full-set copies=34"), 0, 1, 2));
        // SvS's most rollouts per step: (copies + svs_problems·(1 + group_size))·group_size = 34·8
        fixed(
                plan,
                Map.of(
                        "svs_problems",
                        2L,
                        "group_size",
                        8L,
                        "synth_pretrain_share",
                        0.25,
                        "pass_n",
                        32L,
                        "steps",
                        60L));
    }

    @Test
    void swsRunsWeaknessAndUniformAugmentationAgainstPlainRlWithTheProbeSteps() throws IOException {
        List<PlannedRun> plan = plan("sws.yaml");
        assertThat(rows(plan, "mode", "sws_allocation", "steps"))
                .containsExactlyElementsOf(product(
                        List.of(
                                "mode=sws sws_allocation=weakness steps=40",
                                "mode=sws sws_allocation=uniform steps=40",
                                "mode=full-set sws_allocation=weakness steps=60"),
                        0,
                        1,
                        2));
        // the probe: 5 epochs × ⌈64 / 16⌉ steps = 20, which plain RL gets on top of the 40
        fixed(plan, Map.of("sws_probe_epochs", 5L, "pool_size", 64L, "copies", 16L, "sws_budget", 32L));
    }

    @Test
    void commandExampleDrawsEightLogUniformRatesEachRunTwice() throws IOException {
        List<PlannedRun> plan = plan("command-example.yaml");
        assertThat(plan).hasSize(16);
        // replicates: 2 gives each sampled configuration seeds 0 and 1, seeds innermost
        assertThat(plan)
                .extracting(PlannedRun::seed)
                .containsExactly(0L, 1L, 0L, 1L, 0L, 1L, 0L, 1L, 0L, 1L, 0L, 1L, 0L, 1L, 0L, 1L);
        List<Double> lrs = plan.stream().map(r -> (Double) r.params().get("lr")).toList();
        for (int i = 0; i < 16; i += 2) {
            assertThat(lrs.get(i)).isEqualTo(lrs.get(i + 1)).isBetween(1.0e-4, 1.0e-1);
        }
        assertThat(lrs.stream().distinct()).hasSize(8);
        fixed(plan, Map.of("weight_decay", 0.01));
    }
}

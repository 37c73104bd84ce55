package dev.replica.experiments.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.experiments.data.DatasetException;
import dev.replica.experiments.data.IdxFiles;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KindsTest {

    @TempDir
    Path dir;

    RootAllocator allocator;
    MetricStore store;
    KernelBackend k;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
        store = new MetricStore(
                dir.resolve("metrics"),
                allocator,
                MetricStore.Options.defaults().withFsync(false));
        k = KernelBackends.select("jvm").backend();
    }

    @AfterEach
    void close() {
        store.close();
        allocator.close();
        k.close();
    }

    /** Runs twice under different run ids and returns both deterministic streams. */
    private List<List<String>> twice(String kind, Map<String, Object> overrides, long seed) throws Exception {
        Map<String, Object> p = KindRuns.params(kind, overrides);
        RunData a = KindRuns.run(store, k, kind, kind + "-a", p, seed, log);
        RunData b = KindRuns.run(store, k, kind, kind + "-b", p, seed, log);
        return List.of(KindRuns.deterministicStream(a), KindRuns.deterministicStream(b));
    }

    /**
     * The first values of {@code metric} in run {@code runId} against values recorded from this code on
     * 2026-12-02 (JVM backend): the two-run comparisons catch nondeterminism, these catch a numeric change.
     * A deliberate change to a kind's numerics re-records them (the failure message prints the new values).
     */
    private void assertRecorded(String runId, String metric, double... expected) {
        RunData d = store.read(runId);
        List<Double> got = new ArrayList<>();
        for (int r = 0; r < d.size() && got.size() < Math.max(expected.length, 4); r++) {
            if (d.isPresent(metric, r)) {
                got.add(d.value(metric, r));
            }
        }
        String recorded = got.stream().map(v -> Double.toString(v)).collect(java.util.stream.Collectors.joining(", "));
        assertThat(got).as(runId + " " + metric + ": " + recorded).hasSizeGreaterThanOrEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            // relative 1e-6: far below any real change, above last-bit differences between CPUs' float paths
            assertThat(got.get(i))
                    .as("%s %s value %d (now %s)", runId, metric, i, recorded)
                    .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-6 * Math.abs(expected[i])));
        }
        assertThat(expected)
                .as(runId + " " + metric + " has recorded values: " + recorded)
                .isNotEmpty();
    }

    private static double firstValue(RunData d, String metric) {
        for (int r = 0; r < d.size(); r++) {
            if (d.isPresent(metric, r)) {
                return d.value(metric, r);
            }
        }
        throw new AssertionError(metric + " never logged");
    }

    @Test
    void everyKindButCommandHasOneInProcessImplementationUnderItsSchemaName() {
        assertThat(KindRegistry.implementations()).containsOnlyKeys("optimizer-sweep", "rlvr", "mone");
        assertThat(KindRegistry.all().stream().map(s -> s.name()).toList())
                .containsExactly("optimizer-sweep", "rlvr", "mone", KindRegistry.COMMAND);
        KindRegistry.implementations()
                .forEach((name, impl) -> assertThat(impl.name()).isEqualTo(name));
        assertThat(KindRegistry.implementation(KindRegistry.COMMAND)).isEmpty();
        assertThat(KindRegistry.implementation("mone")).get().isInstanceOf(MoneKind.class);
    }

    @Test
    void teacherStreamRunsAreBitIdenticalAcrossTwoRunsAndLogTheDocumentedMetrics() throws Exception {
        List<List<String>> s = twice(
                "optimizer-sweep",
                Map.of(
                        "task",
                        "teacher-stream",
                        "optimizer",
                        "normuon",
                        "steps",
                        20L,
                        "batch",
                        16L,
                        "width",
                        8L,
                        "eval_every",
                        10L),
                3);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        assertRecorded(
                "optimizer-sweep-a",
                "train/loss",
                2.314651280641556,
                2.347796782851219,
                2.2415943890810013,
                2.2710470408201218);
        RunData d = store.read("optimizer-sweep-a");
        assertThat(d.metrics())
                .contains(
                        "train/loss",
                        "train/acc",
                        "val/loss",
                        "val/acc",
                        "time/wall_s",
                        "throughput/samples_per_s",
                        "update/row_norm_cv/fc0.w",
                        "update/row_norm_cv/fc1.w",
                        "update/row_norm_cv/fc2.w");
        assertThat(d.metrics()).noneMatch(m -> m.contains("head"));
        assertThat(s.get(0).stream().filter(l -> l.contains(" train/loss ")).count())
                .isEqualTo(20);
    }

    @Test
    void differentSeedsGiveDifferentLosses() throws Exception {
        Map<String, Object> p = KindRuns.params("optimizer-sweep", Map.of("steps", 3L, "batch", 8L, "width", 8L));
        List<String> a = KindRuns.deterministicStream(KindRuns.run(store, k, "optimizer-sweep", "s1", p, 1, log));
        List<String> b = KindRuns.deterministicStream(KindRuns.run(store, k, "optimizer-sweep", "s2", p, 2, log));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void charTransformerRunsAreBitIdenticalAcrossTwoRuns() throws Exception {
        List<List<String>> s = twice(
                "optimizer-sweep",
                Map.of(
                        "task",
                        "char-transformer",
                        "optimizer",
                        "muon",
                        "steps",
                        4L,
                        "batch",
                        2L,
                        "context",
                        16L,
                        "width",
                        16L,
                        "layers",
                        1L,
                        "eval_every",
                        2L),
                1);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        assertRecorded(
                "optimizer-sweep-a",
                "train/loss",
                3.8634859025478363,
                3.7795208543539047,
                3.9953233674168587,
                3.787644609808922);
        assertThat(store.read("optimizer-sweep-a").metrics())
                .contains("throughput/tokens_per_s", "update/row_norm_cv/h0.attn.qkv.w");
    }

    @Test
    void fashionMnistMlpRunsOnIdxFilesAndIsBitIdenticalAcrossTwoRuns() throws Exception {
        Path data = IdxFiles.write(dir.resolve("idx"), 64, 8, 4);
        List<List<String>> s = twice(
                "optimizer-sweep",
                Map.of(
                        "task",
                        "fashion-mnist-mlp",
                        "optimizer",
                        "adamw",
                        "steps",
                        12L,
                        "batch",
                        16L,
                        "width",
                        8L,
                        "eval_every",
                        6L,
                        "data_dir",
                        data.toString()),
                2);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        assertRecorded(
                "optimizer-sweep-a",
                "train/loss",
                2.30355304479599,
                2.295464411377907,
                2.298814356327057,
                2.265453413128853);
    }

    @Test
    void fashionMnistTaskWithoutFilesFailsWithTheInstallCommand() {
        Map<String, Object> p = KindRuns.params(
                "optimizer-sweep",
                Map.of(
                        "task",
                        "fashion-mnist-mlp",
                        "data_dir",
                        dir.resolve("nothing").toString()));
        assertThatThrownBy(() -> KindRuns.run(store, k, "optimizer-sweep", "missing", p, 0, log))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist");
    }

    @Test
    void rlvrRunsAreBitIdenticalAcrossTwoRunsAndLogRewardEntropyKlAndPassAtK() throws Exception {
        List<List<String>> s = twice(
                "rlvr",
                Map.ofEntries(
                        Map.entry("digits", 2L),
                        Map.entry("pretrain_steps", 10L),
                        Map.entry("steps", 3L),
                        Map.entry("group_size", 4L),
                        Map.entry("copies", 2L),
                        Map.entry("pool_size", 6L),
                        Map.entry("eval_problems", 5L),
                        Map.entry("pass_n", 4L),
                        Map.entry("eval_every", 2L),
                        Map.entry("width", 16L),
                        Map.entry("layers", 1L),
                        Map.entry("select_history", "pretraining")),
                5);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        assertRecorded("rlvr-a", "pretrain/loss", 2.3975218292325735);
        assertRecorded("rlvr-a", "train/entropy", 2.4076300070518486, 2.397255474021496, 2.4042550085244474);
        assertThat(store.read("rlvr-a").metrics())
                .contains(
                        "train/reward",
                        "train/acc",
                        "train/entropy",
                        "train/kl",
                        "eval/pass@1",
                        "eval/pass@k",
                        "eval/pass@4",
                        "pretrain/loss");
    }

    /** A small rlvr run with {@code select} and {@code select_history} set, 6-problem pool, 2 prompts a step. */
    private Map<String, Object> smallRlvr(String select, String history) {
        return Map.ofEntries(
                Map.entry("digits", 2L),
                Map.entry("pretrain_steps", 10L),
                Map.entry("steps", 2L),
                Map.entry("group_size", 4L),
                Map.entry("copies", 2L),
                Map.entry("pool_size", 6L),
                Map.entry("eval_problems", 5L),
                Map.entry("pass_n", 4L),
                Map.entry("eval_every", 2L),
                Map.entry("width", 16L),
                Map.entry("layers", 1L),
                Map.entry("select", select),
                Map.entry("select_history", history),
                Map.entry("select_epochs", 3L));
    }

    @Test
    void rlvrSelectionByGrpoHistoryIsBitIdenticalAcrossTwoRunsAndRecordsTheChoice() throws Exception {
        List<List<String>> s = twice("rlvr", smallRlvr("max-std", "grpo"), 5);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        RunData d = store.read("rlvr-a");
        assertThat(firstValue(d, "select/history_points")).isEqualTo(3.0);
        // selection trains a scratch copy: the base model, its pretraining loss and step-0 eval are unchanged
        KindRuns.run(store, k, "rlvr", "pre", KindRuns.params("rlvr", smallRlvr("max-std", "pretraining")), 5, log);
        RunData pre = store.read("pre");
        assertThat(firstValue(pre, "select/history_points")).isEqualTo(5.0);
        assertThat(firstValue(d, "pretrain/loss")).isEqualTo(firstValue(pre, "pretrain/loss"));
        assertThat(firstValue(d, "eval/pass@1")).isEqualTo(firstValue(pre, "eval/pass@1"));
        assertThat(log)
                .anyMatch(l -> l.startsWith("1-shot example (select max-std over the GRPO history of 3 points)"));
        assertThat(log)
                .anyMatch(
                        l -> l.startsWith("1-shot example (select max-std over the pretraining history of 5 points)"));
    }

    @Test
    void rlvrSelectionControlsPickTheLowestStdAndARandomExampleDeterministically() throws Exception {
        Map<String, Double> std = new java.util.HashMap<>();
        for (String select : List.of("max-std", "min-std", "random")) {
            Map<String, Object> p = KindRuns.params("rlvr", smallRlvr(select, "grpo"));
            RunData a = KindRuns.run(store, k, "rlvr", select + "-1", p, 9, log);
            RunData b = KindRuns.run(store, k, "rlvr", select + "-2", p, 9, log);
            assertThat(KindRuns.deterministicStream(a))
                    .as(select)
                    .isNotEmpty()
                    .isEqualTo(KindRuns.deterministicStream(b));
            assertThat(log).anyMatch(l -> l.startsWith("1-shot example (select " + select + " over the GRPO history"));
            std.put(select, firstValue(a, "select/example_std"));
        }
        // at this size every history is flat (std 0); RlvrSelectionTest checks the ranking rules themselves
        assertThat(std.get("min-std")).isLessThanOrEqualTo(std.get("max-std"));
    }

    @Test
    void svsRunsAreBitIdenticalAcrossTwoRunsAndLogSynthesisAndEntropyMetrics() throws Exception {
        Map<String, Object> p = new java.util.HashMap<>(smallRlvr("max-std", "pretraining"));
        p.put("mode", "svs");
        p.put("digits", 1L); // a base model that solves some problems sometimes: middle-band problems exist
        p.put("width", 32L);
        p.put("steps", 3L);
        p.put("copies", 4L);
        p.put("pretrain_steps", 150L);
        p.put("synth_pretrain_share", 0.5);
        p.put("svs_problems", 2L);
        p.put("eval_every", 3L);
        List<List<String>> s = twice("rlvr", p, 4);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        RunData d = store.read("rlvr-a");
        assertThat(d.metrics())
                .contains(
                        "svs/band_problems",
                        "svs/synthesized",
                        "train/rollouts",
                        "eval/entropy",
                        "eval/pass@1",
                        "eval/pass@4");
        double bandTotal = 0;
        for (int r = 0; r < d.size(); r++) {
            if (d.isPresent("svs/band_problems", r)) {
                bandTotal += d.value("svs/band_problems", r);
                double band = d.value("svs/band_problems", r);
                assertThat(band).isBetween(0.0, 2.0);
                assertThat(d.value("svs/synthesized", r)).isEqualTo(band * 4);
                // solve rollouts 4×4, synthesis 4 per band problem, 4 per well-formed synthesized problem
                assertThat(d.value("train/rollouts", r)).isBetween(16 + band * 4, 16 + band * 4 + band * 16);
            }
        }
        assertThat(bandTotal)
                .as("middle-band problems over 3 steps: the synthesis path ran")
                .isPositive();
        assertThat(d.metrics()).contains("svs/valid_share", "svs/wellformed_share", "svs/synth_reward");
        assertThat(firstValue(d, "eval/entropy")).isGreaterThan(0.0);
    }

    @Test
    void swsRunsAreBitIdenticalAcrossTwoRunsAndAugmentTheTrainingSetByTheBudget() throws Exception {
        Map<String, Object> p = new java.util.HashMap<>(smallRlvr("max-std", "pretraining"));
        p.put("mode", "sws");
        p.put("sws_probe_epochs", 2L);
        p.put("sws_budget", 5L);
        p.put("sws_allocation", "uniform");
        List<List<String>> s = twice("rlvr", p, 6);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        RunData d = store.read("rlvr-a");
        // uniform: 5 over carry counts 0, 1, 2 → 2, 2, 1; pool 6 + 5
        assertThat(firstValue(d, "sws/synthesized/carry0")).isEqualTo(2.0);
        assertThat(firstValue(d, "sws/synthesized/carry2")).isEqualTo(1.0);
        assertThat(firstValue(d, "sws/train_set_size")).isEqualTo(11.0);
        assertThat(d.metrics()).contains("sws/weak_problems", "sws/failure_rate/carry1", "eval/pass@1/carry0");
    }

    @Test
    void moneSparsifyRunsAreBitIdenticalAcrossTwoRunsAndLogEveryPruneLevel() throws Exception {
        Path data = IdxFiles.write(dir.resolve("idx"), 64, 8, 6);
        List<List<String>> s = twice(
                "mone",
                Map.of(
                        "variant",
                        "moe",
                        "study",
                        "sparsify",
                        "steps",
                        10L,
                        "batch",
                        8L,
                        "expert_dim",
                        8L,
                        "eval_every",
                        5L,
                        "data_dir",
                        data.toString()),
                7);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        assertRecorded(
                "mone-a", "train/loss", 2.275515615940094, 2.3044232428073883, 2.1823029220104218, 2.245768904685974);
        assertThat(store.read("mone-a").metrics())
                .contains(
                        "train/loss",
                        "val/loss",
                        "val/acc",
                        "sparsify/val_loss/p0",
                        "sparsify/val_loss/p50",
                        "sparsify/val_loss/p99",
                        "sparsify/val_acc/p90");
    }

    @Test
    void moeLoadBalancingLossChangesTrainingDeterministicallyAndEachEvalLogsTheExpertLoads() throws Exception {
        Path data = IdxFiles.write(dir.resolve("idx"), 64, 8, 6);
        Map<String, Object> base = Map.of(
                "variant",
                "moe",
                "steps",
                10L,
                "batch",
                8L,
                "expert_dim",
                8L,
                "eval_every",
                5L,
                "data_dir",
                data.toString());
        Map<String, Object> balanced = new java.util.HashMap<>(base);
        balanced.put("balance_coeff", 0.5);
        List<List<String>> s = twice("mone", balanced, 7);
        assertThat(s.get(0)).isNotEmpty().isEqualTo(s.get(1));
        // α = 0 is the plain MoE: same first loss (same init and batch), later losses differ under α = 0.5
        KindRuns.run(store, k, "mone", "plain", KindRuns.params("mone", base), 7, log);
        RunData plain = store.read("plain");
        RunData bal = store.read("mone-a");
        assertThat(firstValue(bal, "train/loss")).isEqualTo(firstValue(plain, "train/loss"));
        assertThat(store.summaries("mone-a").get("train/loss").last())
                .isNotEqualTo(store.summaries("plain").get("train/loss").last());
        for (RunData d : List.of(plain, bal)) {
            assertThat(d.metrics()).contains("train/balance_loss", "val/load_max", "val/load/e0", "val/load/e3");
            for (int r = 0; r < d.size(); r++) {
                if (d.isPresent("val/load_max", r)) {
                    double sum = 0, max = 0;
                    for (int e = 0; e < 4; e++) {
                        sum += d.value("val/load/e" + e, r);
                        max = Math.max(max, d.value("val/load/e" + e, r));
                    }
                    assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
                    assertThat(d.value("val/load_max", r)).isEqualTo(4 * max);
                }
            }
        }
    }

    @Test
    void moneAndHalfWidthMoeActivateTheSameNumberOfNeurons() throws Exception {
        Path data = IdxFiles.write(dir.resolve("idx"), 32, 8, 6);
        for (String v : List.of("moe", "mone", "moe-half")) {
            KindRuns.run(
                    store,
                    k,
                    "mone",
                    "v-" + v,
                    KindRuns.params(
                            "mone",
                            Map.of(
                                    "variant",
                                    v,
                                    "steps",
                                    2L,
                                    "batch",
                                    8L,
                                    "expert_dim",
                                    16L,
                                    "eval_every",
                                    2L,
                                    "data_dir",
                                    data.toString())),
                    0,
                    log);
        }
        double moe = store.summaries("v-moe").get("model/activated_neurons").last();
        double mone = store.summaries("v-mone").get("model/activated_neurons").last();
        double half =
                store.summaries("v-moe-half").get("model/activated_neurons").last();
        assertThat(moe).isEqualTo(2 * 16);
        assertThat(mone).isEqualTo(half).isEqualTo(2 * 8);
    }

    @Test
    void keepsAtLeastOneNeuronWhenPruning() {
        assertThat(MoneKind.keptNeurons(128, 0)).isEqualTo(128);
        assertThat(MoneKind.keptNeurons(128, 50)).isEqualTo(64);
        assertThat(MoneKind.keptNeurons(128, 90)).isEqualTo(13);
        assertThat(MoneKind.keptNeurons(128, 99)).isEqualTo(1);
        assertThat(MoneKind.keptNeurons(8, 99)).isEqualTo(1);
    }
}

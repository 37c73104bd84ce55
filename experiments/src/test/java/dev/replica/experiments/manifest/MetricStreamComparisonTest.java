package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.experiments.manifest.MetricStreamComparison.Divergence;
import dev.replica.experiments.manifest.MetricStreamComparison.Kind;
import dev.replica.experiments.manifest.MetricStreamComparison.Result;
import dev.replica.experiments.manifest.MetricStreamComparison.Tolerance;
import dev.replica.experiments.manifest.MetricStreamComparison.Verdict;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricStore;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricStreamComparisonTest {
    @TempDir
    Path dir;

    RootAllocator allocator;
    MetricStore store;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
        store = new MetricStore(dir, allocator, MetricStore.Options.defaults().withFsync(false));
    }

    @AfterEach
    void close() {
        store.close();
        allocator.close(); // fails the test when a buffer leaked
    }

    /** Writes a run of {@code steps} rows: loss every step, acc every 10th, in batches of 25. */
    void write(String run, int steps, long timeOffset, DoubleUnaryOperator lossAt) {
        for (int start = 0; start < steps; start += 25) {
            MetricBatch.Builder b = MetricBatch.builder();
            for (int s = start; s < Math.min(steps, start + 25); s++) {
                b.row(s, 1_700_000_000_000L + timeOffset + s).set("loss", lossAt.applyAsDouble(s));
                if (s % 10 == 0) {
                    b.set("acc", s / 1000.0);
                }
            }
            store.append(run, b.build());
        }
        store.closeRun(run);
    }

    static double loss(double s) {
        return 2.0 / (1 + s * 0.01);
    }

    @Test
    void identicalStreamsAreBitIdenticalWhateverTheirTimes() {
        write("a", 100, 0, MetricStreamComparisonTest::loss);
        write("b", 100, 86_400_000, MetricStreamComparisonTest::loss);

        Result r = MetricStreamComparison.compare(store, "a", "b", Tolerance.NONE);

        assertThat(r.verdict()).isEqualTo(Verdict.BIT_IDENTICAL);
        assertThat(r.passes()).isTrue();
        assertThat(r.valuesCompared()).isEqualTo(110);
        assertThat(r.firstDifference()).isEmpty();
        assertThat(r.render()).isEqualTo("bit-identical: 100 rows, 110 values\n");
    }

    @Test
    void pinpointsAnInjectedDivergence() {
        write("a", 100, 0, MetricStreamComparisonTest::loss);
        write("b", 100, 0, s -> s >= 37 ? loss(s) + 1e-6 : loss(s));

        Result r = MetricStreamComparison.compare(store, "a", "b", Tolerance.NONE);

        assertThat(r.verdict()).isEqualTo(Verdict.DIVERGED);
        assertThat(r.passes()).isFalse();
        Divergence d = r.firstBeyondTolerance().orElseThrow();
        assertThat(d.kind()).isEqualTo(Kind.VALUE);
        assertThat(d.step()).isEqualTo(37);
        assertThat(d.metric()).isEqualTo("loss");
        assertThat(d.a()).isEqualTo(loss(37));
        assertThat(d.b()).isEqualTo(loss(37) + 1e-6);
        assertThat(d.absDifference()).isCloseTo(1e-6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.valuesNotBitIdentical()).isEqualTo(63);
        assertThat(r.valuesBeyondTolerance()).isEqualTo(63);
        assertThat(r.render())
                .startsWith("diverged at step 37, loss: " + CanonicalJson.formatDouble(loss(37)) + " vs ");
    }

    @Test
    void toleranceAcceptsSmallDifferencesButReportsThem() {
        write("a", 50, 0, MetricStreamComparisonTest::loss);
        write("b", 50, 0, s -> s == 20 ? Math.nextUp(loss(s)) : loss(s));

        Result exact = MetricStreamComparison.compare(store, "a", "b", Tolerance.NONE);
        Result tolerant = MetricStreamComparison.compare(store, "a", "b", Tolerance.relative(1e-12));

        assertThat(exact.verdict()).isEqualTo(Verdict.DIVERGED);
        assertThat(tolerant.verdict()).isEqualTo(Verdict.WITHIN_TOLERANCE);
        assertThat(tolerant.passes()).isTrue();
        assertThat(tolerant.valuesNotBitIdentical()).isEqualTo(1);
        assertThat(tolerant.valuesBeyondTolerance()).isZero();
        assertThat(tolerant.firstDifference().orElseThrow().step()).isEqualTo(20);
        assertThat(tolerant.firstBeyondTolerance()).isEmpty();
    }

    @Test
    void negativeZeroAndNanPayloadsAreNotBitIdenticalButWithinAnyTolerance() {
        double nan2 = Double.longBitsToDouble(0x7ff8000000000001L);
        write("a", 3, 0, s -> s == 1 ? 0.0 : Double.NaN);
        write("b", 3, 0, s -> s == 1 ? -0.0 : (s == 2 ? nan2 : Double.NaN));

        assertThat(MetricStreamComparison.compare(store, "a", "b", Tolerance.NONE)
                        .verdict())
                .isEqualTo(Verdict.WITHIN_TOLERANCE);
        Result r = MetricStreamComparison.compare(store, "a", "b", Tolerance.NONE);
        assertThat(r.valuesNotBitIdentical()).isEqualTo(2);
        assertThat(r.firstDifference().orElseThrow().step()).isEqualTo(1);
    }

    @Test
    void shorterRunDivergesAtItsEnd() {
        write("a", 60, 0, MetricStreamComparisonTest::loss);
        write("b", 40, 0, MetricStreamComparisonTest::loss);

        Result r = MetricStreamComparison.compare(store, "a", "b", Tolerance.absolute(1));

        assertThat(r.verdict()).isEqualTo(Verdict.DIVERGED);
        Divergence d = r.firstBeyondTolerance().orElseThrow();
        assertThat(d.kind()).isEqualTo(Kind.LENGTH);
        assertThat(d.step()).isEqualTo(40);
        assertThat(d.onlyIn()).isEqualTo("A");
        assertThat(d.describe()).isEqualTo("row 40 (step 40): present in run A only");
        assertThat(r.structuralDifferences()).isEqualTo(20);
    }

    @Test
    void metricLoggedOnOneSideOnlyIsNeverTolerated() {
        write("a", 10, 0, MetricStreamComparisonTest::loss);
        store.append(
                "b",
                MetricBatch.builder()
                        .row(0, 0)
                        .set("loss", loss(0))
                        .set("acc", 0.0)
                        .build());
        for (int s = 1; s < 10; s++) {
            var row = MetricBatch.builder().row(s, 0).set("loss", loss(s));
            store.append("b", s == 5 ? row.set("extra", 1.5).build() : row.build());
        }

        Result r = MetricStreamComparison.compare(store, "a", "b", Tolerance.absolute(1e9));

        assertThat(r.verdict()).isEqualTo(Verdict.DIVERGED);
        Divergence d = r.firstBeyondTolerance().orElseThrow();
        assertThat(d.kind()).isEqualTo(Kind.PRESENCE);
        assertThat(d.describe()).isEqualTo("step 5, extra: logged only in run B (1.5)");
    }

    @Test
    void differentStepsAtTheSameRowDiverge() {
        store.append("a", MetricBatch.dense("loss", new long[] {0, 1, 2}, new long[3], new double[] {1, 2, 3}));
        store.append("b", MetricBatch.dense("loss", new long[] {0, 2, 4}, new long[3], new double[] {1, 2, 3}));

        Result r = MetricStreamComparison.compare(store, "a", "b", Tolerance.NONE);

        assertThat(r.firstBeyondTolerance().orElseThrow().describe()).isEqualTo("row 1: step 1 in run A, 2 in run B");
    }

    @Test
    void systemSampleRowsAreLeftOutWhereverTheyFall() {
        write("a", 30, 0, MetricStreamComparisonTest::loss);
        // b: the same run, with sampler rows at other positions and the run's own steps
        for (int s = 0; s < 30; s++) {
            MetricBatch.Builder b = MetricBatch.builder().row(s, s).set("loss", loss(s));
            if (s % 10 == 0) {
                b.set("acc", s / 1000.0);
            }
            if (s % 7 == 3) {
                b.row(s, s).set("sys/cpu_percent", 100.0 + s).set("sys/rss_mb", 7.0 * s);
            }
            store.append("b", b.build());
        }

        Result r = MetricStreamComparison.compare(store, "a", "b", Tolerance.NONE, MetricStreamComparison.RESULTS_ONLY);

        assertThat(r.verdict()).isEqualTo(Verdict.BIT_IDENTICAL);
        assertThat(r.rowsB()).isEqualTo(30);
        assertThat(r.valuesCompared()).isEqualTo(33);
        // without the system rows left out, row 4 of b would be a sample and the streams would diverge there
        assertThat(store.read("b").size()).isEqualTo(34);
    }

    @Test
    void rejectsNegativeOrNanTolerances() {
        assertThatThrownBy(() -> new Tolerance(-1, 0))
                .hasMessage("tolerances must be non-negative numbers, got abs=-1.0 rel=0.0");
        assertThatThrownBy(() -> Tolerance.relative(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}

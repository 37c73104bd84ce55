package dev.replica.experiments.manifest;

import dev.replica.experiments.metrics.MetricNames;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compares two runs' metric streams, as {@code replica reproduce} does with the original and the rerun.
 *
 * <p>Rows are matched by position, after leaving out rows that hold only system metrics ({@code sys/}, sampled
 * at wall-clock moments). A row matches when both runs have it, with the same step, and every
 * metric is logged in both or in neither, with the same value. "Same value" is bit equality of
 * {@link Double#doubleToRawLongBits} (so {@code -0.0 != 0.0} and NaN payloads count); {@code time_ms}
 * is ignored. With a {@link Tolerance}, values that are not bit-identical still pass when
 * {@code |a - b| <= abs} or {@code |a - b| <= rel * max(|a|, |b|)}, or when both are NaN; a differing
 * step, a value logged on one side only, or a missing row never passes. Metrics are visited in name
 * order within a row, so "first divergence" means the earliest row, then the first metric name.
 */
public final class MetricStreamComparison {

    /**
     * How far values may differ and still count as reproduced.
     *
     * @param abs absolute tolerance, {@code >= 0}
     * @param rel relative tolerance (of the larger magnitude), {@code >= 0}
     */
    public record Tolerance(double abs, double rel) {
        /** Bit identity only. */
        public static final Tolerance NONE = new Tolerance(0, 0);

        public Tolerance {
            if (!(abs >= 0) || !(rel >= 0)) {
                throw new IllegalArgumentException(
                        "tolerances must be non-negative numbers, got abs=" + abs + " rel=" + rel);
            }
        }

        /** An absolute tolerance only. */
        public static Tolerance absolute(double abs) {
            return new Tolerance(abs, 0);
        }

        /** A relative tolerance only. */
        public static Tolerance relative(double rel) {
            return new Tolerance(0, rel);
        }

        boolean accepts(double a, double b) {
            if (Double.isNaN(a) || Double.isNaN(b)) {
                return Double.isNaN(a) && Double.isNaN(b);
            }
            if (a == b) {
                return true; // equal infinities, 0.0 vs -0.0
            }
            double diff = Math.abs(a - b);
            return diff <= abs || diff <= rel * Math.max(Math.abs(a), Math.abs(b));
        }
    }

    /** Outcome of a comparison. */
    public enum Verdict {
        /** Same rows, steps, metrics and bits. */
        BIT_IDENTICAL,
        /** Same rows, steps and metrics; some values differ in their bits but within the tolerance. */
        WITHIN_TOLERANCE,
        /** Something differs beyond the tolerance. */
        DIVERGED
    }

    /** What kind of difference a {@link Divergence} is. */
    public enum Kind {
        /** Both logged the metric at this row, with different values. */
        VALUE,
        /** Only one run logged the metric at this row. */
        PRESENCE,
        /** The rows have different steps. */
        STEP,
        /** One run has no row here (it ended earlier). */
        LENGTH
    }

    /**
     * One point where the runs differ.
     *
     * @param row row index (0-based)
     * @param step step of the row in run A (of run B for a row only B has)
     * @param metric the metric, or null for {@link Kind#STEP} and {@link Kind#LENGTH}
     * @param a value in run A (NaN when absent); for {@link Kind#STEP}, A's step
     * @param b value in run B (NaN when absent); for {@link Kind#STEP}, B's step
     * @param absDifference {@code |a - b|} for {@link Kind#VALUE}, else NaN
     * @param relDifference {@code |a - b| / max(|a|, |b|)} for {@link Kind#VALUE} (0 when both are 0),
     *     else NaN
     * @param onlyIn for {@link Kind#PRESENCE} and {@link Kind#LENGTH}, the run that has it ("A" or "B"),
     *     else null
     */
    public record Divergence(
            Kind kind,
            int row,
            long step,
            String metric,
            double a,
            double b,
            double absDifference,
            double relDifference,
            String onlyIn) {

        /** One line for a terminal. */
        public String describe() {
            return switch (kind) {
                case VALUE ->
                    String.format(
                            Locale.ROOT,
                            "step %d, %s: %s vs %s (abs diff %s, rel diff %s)",
                            step,
                            metric,
                            repr(a),
                            repr(b),
                            repr(absDifference),
                            repr(relDifference));
                case PRESENCE ->
                    String.format(
                            Locale.ROOT,
                            "step %d, %s: logged only in run %s (%s)",
                            step,
                            metric,
                            onlyIn,
                            repr("A".equals(onlyIn) ? a : b));
                case STEP ->
                    String.format(Locale.ROOT, "row %d: step %d in run A, %d in run B", row, (long) a, (long) b);
                case LENGTH ->
                    String.format(Locale.ROOT, "row %d (step %d): present in run %s only", row, step, onlyIn);
            };
        }

        private static String repr(double d) {
            return CanonicalJson.formatDouble(d).replace("\"", "");
        }
    }

    /**
     * The result.
     *
     * @param rowsA rows of run A
     * @param rowsB rows of run B
     * @param valuesCompared values logged in both runs at matching rows
     * @param valuesNotBitIdentical of those, how many differ in their bits
     * @param valuesBeyondTolerance of those, how many the tolerance does not accept
     * @param structuralDifferences rows or metric presences that differ (never tolerated)
     * @param firstDifference the first difference of any kind, bitwise
     * @param firstBeyondTolerance the first difference the tolerance does not accept
     * @param maxAbsDifference largest {@code |a - b|} among compared finite values (0 when none)
     */
    public record Result(
            Verdict verdict,
            Tolerance tolerance,
            int rowsA,
            int rowsB,
            long valuesCompared,
            long valuesNotBitIdentical,
            long valuesBeyondTolerance,
            long structuralDifferences,
            Optional<Divergence> firstDifference,
            Optional<Divergence> firstBeyondTolerance,
            double maxAbsDifference) {

        /** Whether {@code reproduce} should exit 0: bit-identical, or within the tolerance. */
        public boolean passes() {
            return verdict != Verdict.DIVERGED;
        }

        /** A short report for a terminal. */
        public String render() {
            StringBuilder out = new StringBuilder();
            switch (verdict) {
                case BIT_IDENTICAL ->
                    out.append("bit-identical: ")
                            .append(rowsA)
                            .append(" rows, ")
                            .append(valuesCompared)
                            .append(" values\n");
                case WITHIN_TOLERANCE ->
                    out.append("within tolerance (abs ")
                            .append(tolerance.abs())
                            .append(", rel ")
                            .append(tolerance.rel())
                            .append("): ")
                            .append(valuesNotBitIdentical)
                            .append(" of ")
                            .append(valuesCompared)
                            .append(" values differ in their bits, largest abs diff ")
                            .append(Divergence.repr(maxAbsDifference))
                            .append('\n');
                case DIVERGED -> {
                    out.append("diverged at ")
                            .append(firstBeyondTolerance.orElseThrow().describe())
                            .append('\n');
                    out.append("  rows: ")
                            .append(rowsA)
                            .append(" vs ")
                            .append(rowsB)
                            .append("; values compared: ")
                            .append(valuesCompared)
                            .append(", not bit-identical: ")
                            .append(valuesNotBitIdentical)
                            .append(", beyond tolerance: ")
                            .append(valuesBeyondTolerance)
                            .append("; structural differences: ")
                            .append(structuralDifferences)
                            .append('\n');
                    firstDifference
                            .filter(d -> !d.equals(firstBeyondTolerance.orElse(null)))
                            .ifPresent(d -> out.append("  first bitwise difference: ")
                                    .append(d.describe())
                                    .append('\n'));
                }
            }
            return out.toString();
        }
    }

    private MetricStreamComparison() {}

    /**
     * Metrics that measure the machine rather than the computation (wall time, throughput): they differ
     * on every rerun and are left out of reproduction checks.
     */
    public static final java.util.function.Predicate<String> RESULTS_ONLY =
            name -> !name.startsWith("time/") && !name.startsWith("throughput/") && !MetricNames.isSystem(name);

    /** Compares runs {@code runA} and {@code runB} of {@code store}. */
    public static Result compare(MetricStore store, String runA, String runB, Tolerance tolerance) {
        return compare(store.read(runA), store.read(runB), tolerance);
    }

    /** Compares the metrics of runs {@code runA} and {@code runB} that {@code include} accepts. */
    public static Result compare(
            MetricStore store,
            String runA,
            String runB,
            Tolerance tolerance,
            java.util.function.Predicate<String> include) {
        return compare(store.read(runA), store.read(runB), tolerance, include);
    }

    /** Compares two decoded runs. */
    public static Result compare(RunData a, RunData b, Tolerance tolerance) {
        return compare(a, b, tolerance, name -> true);
    }

    /** Compares the metrics of two decoded runs that {@code include} accepts. */
    public static Result compare(
            RunData a, RunData b, Tolerance tolerance, java.util.function.Predicate<String> include) {
        TreeSet<String> metrics = new TreeSet<>(a.metrics());
        metrics.addAll(b.metrics());
        metrics.removeIf(include.negate());
        List<String> names = new ArrayList<>(metrics);
        int[] rowsA = ownRows(a);
        int[] rowsB = ownRows(b);
        int common = Math.min(rowsA.length, rowsB.length);
        long compared = 0;
        long notIdentical = 0;
        long beyond = 0;
        long structural = 0;
        double maxAbs = 0;
        Divergence first = null;
        Divergence firstBeyond = null;
        for (int row = 0; row < common; row++) {
            int ra = rowsA[row];
            int rb = rowsB[row];
            long step = a.step(ra);
            if (step != b.step(rb)) {
                structural++;
                Divergence d =
                        new Divergence(Kind.STEP, row, step, null, step, b.step(rb), Double.NaN, Double.NaN, null);
                first = first == null ? d : first;
                firstBeyond = firstBeyond == null ? d : firstBeyond;
                continue;
            }
            for (String m : names) {
                boolean inA = a.hasMetric(m) && a.isPresent(m, ra);
                boolean inB = b.hasMetric(m) && b.isPresent(m, rb);
                if (!inA && !inB) {
                    continue;
                }
                if (inA != inB) {
                    structural++;
                    Divergence d = new Divergence(
                            Kind.PRESENCE,
                            row,
                            step,
                            m,
                            inA ? a.value(m, ra) : Double.NaN,
                            inB ? b.value(m, rb) : Double.NaN,
                            Double.NaN,
                            Double.NaN,
                            inA ? "A" : "B");
                    first = first == null ? d : first;
                    firstBeyond = firstBeyond == null ? d : firstBeyond;
                    continue;
                }
                double va = a.value(m, ra);
                double vb = b.value(m, rb);
                compared++;
                if (Double.doubleToRawLongBits(va) == Double.doubleToRawLongBits(vb)) {
                    continue;
                }
                notIdentical++;
                double abs = Math.abs(va - vb);
                double scale = Math.max(Math.abs(va), Math.abs(vb));
                double rel = scale == 0 ? 0 : abs / scale;
                if (Double.isFinite(abs) && abs > maxAbs) {
                    maxAbs = abs;
                }
                Divergence d = new Divergence(Kind.VALUE, row, step, m, va, vb, abs, rel, null);
                first = first == null ? d : first;
                if (!tolerance.accepts(va, vb)) {
                    beyond++;
                    firstBeyond = firstBeyond == null ? d : firstBeyond;
                }
            }
        }
        if (rowsA.length != rowsB.length) {
            structural += Math.abs(rowsA.length - rowsB.length);
            boolean aLonger = rowsA.length > rowsB.length;
            long step = aLonger ? a.step(rowsA[common]) : b.step(rowsB[common]);
            Divergence d = new Divergence(
                    Kind.LENGTH,
                    common,
                    step,
                    null,
                    aLonger ? step : Double.NaN,
                    aLonger ? Double.NaN : step,
                    Double.NaN,
                    Double.NaN,
                    aLonger ? "A" : "B");
            first = first == null ? d : first;
            firstBeyond = firstBeyond == null ? d : firstBeyond;
        }
        Verdict verdict = firstBeyond != null
                ? Verdict.DIVERGED
                : (first != null ? Verdict.WITHIN_TOLERANCE : Verdict.BIT_IDENTICAL);
        return new Result(
                verdict,
                tolerance,
                rowsA.length,
                rowsB.length,
                compared,
                notIdentical,
                beyond,
                structural,
                Optional.ofNullable(first),
                Optional.ofNullable(firstBeyond),
                maxAbs);
    }

    /**
     * The rows of {@code run} that are its own: all but those holding nothing but system metrics, which a
     * sampler appends at wall-clock moments that differ on every rerun (so they would shift positions).
     */
    private static int[] ownRows(RunData run) {
        List<String> system =
                run.metrics().stream().filter(MetricNames::isSystem).toList();
        if (system.isEmpty()) {
            return java.util.stream.IntStream.range(0, run.size()).toArray();
        }
        List<String> own =
                run.metrics().stream().filter(m -> !MetricNames.isSystem(m)).toList();
        return java.util.stream.IntStream.range(0, run.size())
                .filter(r -> own.stream().anyMatch(m -> run.isPresent(m, r))
                        || system.stream().noneMatch(m -> run.isPresent(m, r)))
                .toArray();
    }
}

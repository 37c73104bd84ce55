package dev.replica.experiments.kinds;

import dev.replica.experiments.compare.Efficiency;
import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.compare.GroupComparison;
import dev.replica.experiments.compare.GroupKey;
import dev.replica.experiments.compare.PairwiseComparison;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import dev.replica.experiments.metrics.SeriesQueries.Points;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import dev.replica.experiments.sweep.PlannedRun;
import dev.replica.experiments.sweep.SweepPlanner;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.arrow.memory.RootAllocator;

/**
 * Prints the comparison of a spec's runs (written by {@link RunLocally}) as Markdown, using the
 * {@code compare} package: per group (seeds aggregated) the mean and 95% t-interval of each metric's
 * final value; per candidate against the baseline group with the same values of the other swept
 * parameters, Welch and Mann–Whitney p-values (Holm-adjusted), Hedges' g, and the step efficiency on
 * seed-averaged curves (EMA-smoothed when per-step) ({@code 1 − steps_candidate / steps_baseline} to reach the
 * baseline's final value). Optionally draws the seed-averaged curves of one metric into a PNG.
 *
 * <pre>CompareLocally SPEC METRICS_DIR --metrics=train/loss,val/acc [--primary=train/loss] [--goal=min]
 *     [--last=20] [--delta] [--baseline=name=value,…] [--png=FILE (--curve=train/loss | --levels=sparsify/val_loss/p) [--ymax=Y]]</pre>
 */
public final class CompareLocally {

    /** With {@code --delta}: every scalar is the final value minus the run's first logged value. */
    private static boolean delta;

    private CompareLocally() {}

    public static void main(String[] args) throws Exception {
        Path specFile = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        Map<String, String> opt = new TreeMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].substring(2).split("=", 2);
            opt.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        ExperimentSpec spec = new SpecParser().parse(Files.readString(specFile), specFile.toString());
        List<PlannedRun> runs = SweepPlanner.plan(spec);
        Set<String> axes = new LinkedHashSet<>();
        axes.addAll(spec.sweep().grid().keySet());
        axes.addAll(spec.sweep().zip().keySet());
        List<String> metrics = List.of(opt.getOrDefault("metrics", "train/loss").split(","));
        String primary = opt.getOrDefault(
                "primary", spec.metric() != null ? spec.metric().primary() : metrics.get(0));
        boolean minimize = opt.getOrDefault(
                        "goal", spec.metric() != null ? spec.metric().goal().toString() : "min")
                .toLowerCase(Locale.ROOT)
                .startsWith("min");
        int last = Integer.parseInt(opt.getOrDefault("last", "1"));
        delta = opt.containsKey("delta");
        Map<String, Object> baselineParams =
                spec.compare() != null && spec.compare().baseline() != null
                        ? spec.compare().baseline()
                        : Map.of();
        if (opt.containsKey("baseline")) {
            Map<String, Object> b = new TreeMap<>();
            for (String kv : opt.get("baseline").split(",")) {
                String[] p = kv.split("=", 2);
                b.put(p[0], p[1]);
            }
            baselineParams = b;
        }

        try (RootAllocator alloc = new RootAllocator();
                MetricStore store = new MetricStore(dir, alloc)) {
            Map<GroupKey, List<RunData>> groups = new LinkedHashMap<>();
            for (PlannedRun r : runs) {
                String id = spec.name() + "-" + r.index();
                if (!store.exists(id)) {
                    continue;
                }
                Map<String, Object> key = new TreeMap<>();
                for (String a : axes) {
                    key.put(a, r.params().get(a));
                }
                groups.computeIfAbsent(new GroupKey(key), g -> new ArrayList<>())
                        .add(store.read(id));
            }
            StringBuilder out = new StringBuilder();
            out.append("| group | runs |");
            for (String m : metrics) {
                out.append(' ')
                        .append(m)
                        .append(m.equals(primary) && last > 1 ? " (mean of last " + last + ")" : "")
                        .append(" |");
            }
            out.append("\n|---|---|").append("---|".repeat(metrics.size())).append('\n');
            for (Map.Entry<GroupKey, List<RunData>> g : groups.entrySet()) {
                out.append("| ")
                        .append(g.getKey().label())
                        .append(" | ")
                        .append(g.getValue().size())
                        .append(" |");
                for (String m : metrics) {
                    double[] v = scalars(g.getValue(), m, m.equals(primary) ? last : 1);
                    GroupAggregator.Interval ci = GroupAggregator.meanInterval(v, 0.95);
                    out.append(String.format(
                            Locale.ROOT,
                            " %.4f ± %.4f |",
                            ci.mean(),
                            Double.isNaN(ci.high()) ? 0.0 : ci.high() - ci.mean()));
                }
                out.append('\n');
            }
            if (!baselineParams.isEmpty()) {
                out.append("\nAgainst the baseline (")
                        .append(baselineParams)
                        .append(", same other parameters), on ")
                        .append(primary)
                        .append(last > 1 ? " (mean of last " + last + " points)" : " (final)")
                        .append(delta ? ", as the change from the run's first value" : "")
                        .append(
                                ":\n\n| candidate | mean | baseline mean | Δ | Welch p (Holm) | Mann–Whitney p (Holm) | Hedges g | steps to baseline final | efficiency |\n")
                        .append("|---|---|---|---|---|---|---|---|---|\n");
                Map<GroupKey, List<GroupKey>> byBaseline = new LinkedHashMap<>();
                for (GroupKey g : groups.keySet()) {
                    if (matches(g, baselineParams)) {
                        continue;
                    }
                    GroupKey b = baselineFor(g, baselineParams, groups.keySet());
                    if (b != null) {
                        byBaseline.computeIfAbsent(b, x -> new ArrayList<>()).add(g);
                    }
                }
                for (Map.Entry<GroupKey, List<GroupKey>> e : byBaseline.entrySet()) {
                    Map<GroupKey, double[]> values = new LinkedHashMap<>();
                    values.put(e.getKey(), scalars(groups.get(e.getKey()), primary, last));
                    for (GroupKey c : e.getValue()) {
                        values.put(c, scalars(groups.get(c), primary, last));
                    }
                    List<PairwiseComparison> cmp = GroupComparison.compareValues(values, e.getKey());
                    Points base = meanCurve(groups.get(e.getKey()), primary);
                    for (PairwiseComparison pc : cmp) {
                        Points cand = meanCurve(groups.get(pc.candidate()), primary);
                        Efficiency eff = Efficiency.of(
                                base,
                                cand,
                                minimize ? Efficiency.Goal.MINIMIZE : Efficiency.Goal.MAXIMIZE,
                                Efficiency.Target.FINAL);
                        String steps = eff.reached()
                                ? String.format(Locale.ROOT, "%.0f / %.0f", eff.candidateX(), eff.baselineX())
                                : String.format(Locale.ROOT, "not within %.0f", eff.candidateLastX());
                        String effStr = eff.ratio() == null
                                ? "—"
                                : String.format(Locale.ROOT, "%+.1f%%", 100 * (1 - eff.ratio()));
                        out.append(String.format(
                                Locale.ROOT,
                                "| %s | %.4f | %.4f | %+.4f | %.3g | %.3g | %.2f | %s | %s |%n",
                                pc.candidate().label(),
                                pc.meanCandidate(),
                                pc.meanBaseline(),
                                pc.meanCandidate() - pc.meanBaseline(),
                                pc.welchPHolm(),
                                pc.mannWhitneyPHolm(),
                                pc.hedgesG(),
                                steps,
                                effStr));
                    }
                }
                out.append(
                        "\nEfficiency = 1 − steps_candidate / steps_baseline to reach the baseline's final value, on the seed-mean "
                                + "curve (smoothed with an EMA, α = 0.1, when it has ≥ 100 points).\n");
            }
            System.out.print(out);
            if (opt.containsKey("png")) {
                String curve = opt.getOrDefault("curve", primary);
                Map<String, Points> curves = new LinkedHashMap<>();
                String xLabel = "step";
                if (opt.containsKey("levels")) {
                    // x = the numeric suffix of metrics named <levels><x>, y = seed mean of their final values
                    String prefix = opt.get("levels");
                    xLabel = prefix + "<x>";
                    for (Map.Entry<GroupKey, List<RunData>> e : groups.entrySet()) {
                        TreeMap<Double, Double> pts = new TreeMap<>();
                        for (String m : e.getValue().get(0).metrics()) {
                            if (m.startsWith(prefix)) {
                                double[] v = scalars(e.getValue(), m, 1);
                                pts.put(
                                        Double.parseDouble(m.substring(prefix.length())),
                                        java.util.Arrays.stream(v).average().orElse(Double.NaN));
                            }
                        }
                        curves.put(
                                e.getKey().label(),
                                new Points(
                                        e.getKey().label(),
                                        pts.keySet().stream()
                                                .mapToDouble(Double::doubleValue)
                                                .toArray(),
                                        pts.values().stream()
                                                .mapToDouble(Double::doubleValue)
                                                .toArray()));
                    }
                } else {
                    groups.forEach((g, rs) -> curves.put(g.label(), meanCurve(rs, curve)));
                }
                plot(
                        Path.of(opt.get("png")),
                        spec.name() + ": "
                                + (opt.containsKey("levels")
                                        ? opt.get("levels") + "<x> (seed mean)"
                                        : curve + " (seed mean; EMA when per-step)"),
                        xLabel,
                        curve,
                        curves,
                        opt.containsKey("ymax") ? Double.parseDouble(opt.get("ymax")) : Double.NaN);
            }
        }
    }

    private static boolean matches(GroupKey g, Map<String, Object> params) {
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (!String.valueOf(g.params().get(e.getKey())).equals(String.valueOf(e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static GroupKey baselineFor(GroupKey g, Map<String, Object> baseline, Set<GroupKey> all) {
        for (GroupKey b : all) {
            if (!matches(b, baseline)) {
                continue;
            }
            boolean same = true;
            for (Map.Entry<String, Object> e : g.params().entrySet()) {
                if (!baseline.containsKey(e.getKey())
                        && !String.valueOf(b.params().get(e.getKey())).equals(String.valueOf(e.getValue()))) {
                    same = false;
                }
            }
            if (same) {
                return b;
            }
        }
        // zipped axes move together: with a single baseline group, every other group is compared to it
        List<GroupKey> baselines =
                all.stream().filter(b -> matches(b, baseline)).toList();
        return baselines.size() == 1 ? baselines.get(0) : null;
    }

    /** Per run, the mean of the metric's last {@code last} logged values. */
    static double[] scalars(List<RunData> runs, String metric, int last) {
        double[] out = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            RunData d = runs.get(i);
            List<Double> v = new ArrayList<>();
            for (int r = 0; r < d.size(); r++) {
                if (d.hasMetric(metric) && d.isPresent(metric, r)) {
                    v.add(d.value(metric, r));
                }
            }
            double s = 0;
            int n = Math.min(last, v.size());
            for (int j = v.size() - n; j < v.size(); j++) {
                s += v.get(j);
            }
            out[i] = n == 0 ? Double.NaN : s / n - (delta ? v.get(0) : 0.0);
        }
        return out;
    }

    /**
     * Seed-mean of a metric over runs (steps where every run logged it), then an EMA with α = 0.1 when the
     * metric has at least 100 points (per-step training curves); evaluation curves stay raw.
     */
    static Points meanCurve(List<RunData> runs, String metric) {
        TreeMap<Long, double[]> acc = new TreeMap<>();
        for (RunData d : runs) {
            for (int r = 0; r < d.size(); r++) {
                if (d.hasMetric(metric) && d.isPresent(metric, r)) {
                    double[] a = acc.computeIfAbsent(d.step(r), s -> new double[2]);
                    a[0] += d.value(metric, r);
                    a[1]++;
                }
            }
        }
        List<double[]> pts = new ArrayList<>();
        double ema = Double.NaN;
        double alpha = acc.size() >= 100 ? 0.1 : 1.0; // sparse (evaluation) curves are not smoothed
        for (Map.Entry<Long, double[]> e : acc.entrySet()) {
            if (e.getValue()[1] < runs.size()) {
                continue;
            }
            double v = e.getValue()[0] / e.getValue()[1];
            ema = Double.isNaN(ema) ? v : (1 - alpha) * ema + alpha * v;
            pts.add(new double[] {e.getKey(), ema});
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new Points(runs.isEmpty() ? "none" : runs.get(0).runId(), x, y);
    }

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
    };

    /** A plain line chart (Java 2D, headless). */
    static void plot(Path file, String title, String xLabel, String yLabel, Map<String, Points> curves, double yMaxCap)
            throws Exception {
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D sg = scratch.createGraphics();
        int legend = 0;
        for (String label : curves.keySet()) {
            legend = Math.max(legend, sg.getFontMetrics(small).stringWidth(label));
        }
        sg.dispose();
        int left = 80, right = Math.max(160, legend + 50), top = 40, bottom = 50;
        int w = 640 + right, h = 560;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Points p : curves.values()) {
            for (int i = 0; i < p.x().length; i++) {
                xmin = Math.min(xmin, p.x()[i]);
                xmax = Math.max(xmax, p.x()[i]);
                ymin = Math.min(ymin, p.y()[i]);
                ymax = Math.max(ymax, p.y()[i]);
            }
        }
        if (!Double.isNaN(yMaxCap)) {
            ymax = Math.min(ymax, yMaxCap);
        }
        if (xmax <= xmin) {
            xmax = xmin + 1;
        }
        if (ymax <= ymin) {
            ymax = ymin + 1;
        }
        int pw = w - left - right, ph = h - top - bottom;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(small);
        g.drawRect(left, top, pw, ph);
        for (int i = 0; i <= 5; i++) {
            double yv = ymin + (ymax - ymin) * i / 5;
            int yy = top + ph - (int) (ph * i / 5.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left + 1, yy, left + pw - 1, yy);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3f", yv), 8, yy + 4);
            double xv = xmin + (xmax - xmin) * i / 5;
            int xx = left + (int) (pw * i / 5.0);
            g.drawString(String.format(Locale.ROOT, "%.0f", xv), xx - 10, top + ph + 16);
        }
        g.drawString(xLabel, left + pw / 2, h - 12);
        g.drawString(yLabel, 8, top - 8);
        int c = 0;
        g.setClip(left, top, pw + 1, ph + 1);
        for (Map.Entry<String, Points> e : curves.entrySet()) {
            g.setColor(PALETTE[c % PALETTE.length]);
            g.setStroke(new BasicStroke(
                    c < PALETTE.length ? 1.8f : 1.0f,
                    BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND,
                    1f,
                    c < PALETTE.length ? null : new float[] {6f, 4f},
                    0f));
            Points p = e.getValue();
            if (p.x().length < 40) {
                for (int i = 0; i < p.x().length; i++) {
                    g.fillOval(
                            left + (int) ((p.x()[i] - xmin) / (xmax - xmin) * pw) - 3,
                            top + ph - (int) ((p.y()[i] - ymin) / (ymax - ymin) * ph) - 3,
                            6,
                            6);
                }
            }
            for (int i = 1; i < p.x().length; i++) {
                g.drawLine(
                        left + (int) ((p.x()[i - 1] - xmin) / (xmax - xmin) * pw),
                        top + ph - (int) ((p.y()[i - 1] - ymin) / (ymax - ymin) * ph),
                        left + (int) ((p.x()[i] - xmin) / (xmax - xmin) * pw),
                        top + ph - (int) ((p.y()[i] - ymin) / (ymax - ymin) * ph));
            }
            c++;
        }
        g.setClip(null);
        c = 0;
        for (String label : curves.keySet()) {
            g.setColor(PALETTE[c % PALETTE.length]);
            g.fillRect(left + pw + 12, top + 6 + c * 18, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(label, left + pw + 30, top + 12 + c * 18);
            c++;
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }
}

import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.kind.KindSchema;
import dev.replica.experiments.kinds.OptimizerSweepKind;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.run.RunCancelledException;
import dev.replica.experiments.run.RunContext;
import dev.replica.experiments.search.RungDecision;
import dev.replica.experiments.search.Rungs;
import dev.replica.experiments.search.SuccessiveHalving;
import dev.replica.experiments.search.Tpe;
import dev.replica.experiments.spec.MetricGoal.Goal;
import dev.replica.experiments.spec.SearchSpec.PruneOn;
import dev.replica.experiments.spec.SweepSpec.Distribution;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;

/**
 * ASHA, Hyperband and TPE against random search at equal compute (total optimizer steps) on the built-in
 * optimizer-sweep kind: each search runs real training runs one at a time until it has spent its budget, and
 * records the best final val/loss found against the steps spent. The searches use Replica's own decision code
 * (SuccessiveHalving, Tpe). Run by bench/search-vs-random.sh, which prints the table and writes the plot.
 *
 * <p>Arguments: --task teacher-stream --reps 5 --budget-runs 12 --steps 243 --min 9 --eta 3 --width 16 --batch 16
 * --png PATH.
 */
public final class SearchBench {

    static String task = "teacher-stream";
    static int reps = 5, budgetRuns = 12, steps = 243, min = 9, eta = 3, width = 16, batch = 16;
    static final double[] FRACTIONS = {1.0 / 9, 1.0 / 6, 1.0 / 3, 1.0 / 2, 2.0 / 3, 1.0};
    static final String[] METHODS = {"random", "asha", "hyperband", "tpe"};
    static MetricStore store;
    static KernelBackend kernels;
    static int runCounter;

    /** The best final value found so far after each run, against the steps spent so far. */
    record Curve(List<long[]> spentAt, List<Double> best) {
        double bestAt(long spent) {
            double b = Double.POSITIVE_INFINITY;
            for (int i = 0; i < best.size(); i++) {
                if (spentAt.get(i)[0] <= spent) {
                    b = Math.min(b, best.get(i));
                }
            }
            return b;
        }

        /** The first compute at which the best reaches {@code target}; -1 if never. */
        long reaches(double target) {
            for (int i = 0; i < best.size(); i++) {
                if (best.get(i) <= target) {
                    return spentAt.get(i)[0];
                }
            }
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        Path png = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--task" -> task = v;
                case "--reps" -> reps = Integer.parseInt(v);
                case "--budget-runs" -> budgetRuns = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--min" -> min = Integer.parseInt(v);
                case "--eta" -> eta = Integer.parseInt(v);
                case "--width" -> width = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--png" -> png = Path.of(v);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        kernels = KernelBackends.select("jvm").backend();
        Path dir = Files.createTempDirectory("search-bench");
        store = new MetricStore(dir, new RootAllocator());
        long budget = (long) budgetRuns * steps;
        System.out.printf(Locale.ROOT, "# task %s, %d steps per full run, budget %d steps (%d full runs), eta %d,"
                + " first rung %d, %d repetitions%n", task, steps, budget, budgetRuns, eta, min, reps);
        Map<String, List<Curve>> curves = new LinkedHashMap<>();
        for (String m : METHODS) {
            curves.put(m, new ArrayList<>());
            for (int rep = 0; rep < reps; rep++) {
                long t0 = System.nanoTime();
                Curve c = search(m, 1000 + rep, budget);
                curves.get(m).add(c);
                System.out.printf(Locale.ROOT, "# %-9s rep %d: best %.5f after %d steps (%.1f s)%n", m, rep,
                        c.bestAt(budget), budget, (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "%-9s %s%n", "method", "best final val/loss at a share of the budget: mean [95% CI] over repetitions");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-9s", "compute"));
        for (double f : FRACTIONS) {
            head.append(String.format(Locale.ROOT, " %26s", String.format(Locale.ROOT, "%.3f", f)));
        }
        System.out.println(head);
        Map<String, double[][]> table = new LinkedHashMap<>();
        for (String m : METHODS) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-9s", m));
            double[][] cells = new double[FRACTIONS.length][];
            for (int i = 0; i < FRACTIONS.length; i++) {
                long at = Math.round(FRACTIONS[i] * budget);
                double[] v = curves.get(m).stream().mapToDouble(c -> c.bestAt(at)).toArray();
                GroupAggregator.Interval ci = GroupAggregator.meanInterval(v, 0.95);
                cells[i] = new double[] {ci.mean(), ci.low(), ci.high()};
                row.append(String.format(Locale.ROOT, " %8.5f [%7.5f, %7.5f]", ci.mean(), ci.low(), ci.high()));
            }
            table.put(m, cells);
            System.out.println(row);
        }
        // compute each method needs to reach random search's final best, per repetition (paired by rep)
        System.out.println("method    share of the budget to reach random's final best (per repetition; mean [95% CI]; never = 1+)");
        double randomShare = 0;
        for (String m : METHODS) {
            double[] share = new double[reps];
            StringBuilder per = new StringBuilder();
            for (int rep = 0; rep < reps; rep++) {
                double target = curves.get("random").get(rep).bestAt(budget);
                long r = curves.get(m).get(rep).reaches(target);
                share[rep] = r < 0 ? 1.0 + 1e-9 : (double) r / budget;
                per.append(r < 0 ? " never" : String.format(Locale.ROOT, " %.3f", share[rep]));
            }
            GroupAggregator.Interval ci = GroupAggregator.meanInterval(share, 0.95);
            if (m.equals("random")) {
                randomShare = ci.mean();
            }
            System.out.printf(Locale.ROOT, "%-9s%s; mean %.3f [%.3f, %.3f]; ratio to random's %.2f%n", m, per,
                    ci.mean(), ci.low(), ci.high(), ci.mean() / randomShare);
        }
        if (png != null) {
            plot(table, png);
            System.out.println("# plot written to " + png);
        }
        store.close();
    }

    static Map<String, Distribution> space() {
        Map<String, Distribution> s = new LinkedHashMap<>();
        s.put("lr", new Distribution.LogUniform(1e-5, 1));
        s.put("optimizer", new Distribution.Choice(List.of("adamw", "sgd")));
        return s;
    }

    /** One search with sampler seed {@code seed}, until {@code budget} steps are spent. */
    static Curve search(String method, long seed, long budget) {
        Tpe sampler = new Tpe(space(), Goal.MIN, seed, method.equals("tpe") ? 5 : Integer.MAX_VALUE);
        Rungs rungs = new Rungs(min, (long) steps, eta);
        int brackets = 1;
        if (method.equals("hyperband")) {
            while (rungs.resource(brackets, 0) > 0) {
                brackets++;
            }
        }
        SuccessiveHalving halving =
                new SuccessiveHalving(rungs, Goal.MIN, PruneOn.MEAN, 1);
        boolean prunes = method.equals("asha") || method.equals("hyperband");
        List<Tpe.Result> results = new ArrayList<>();
        List<Map<String, Object>> earlier = new ArrayList<>();
        List<long[]> spentAt = new ArrayList<>();
        List<Double> best = new ArrayList<>();
        long spent = 0;
        double bestSoFar = Double.POSITIVE_INFINITY;
        for (int i = 0; spent < budget; i++) {
            Tpe.Proposal p = sampler.propose(i, results, earlier);
            earlier.add(p.params());
            String config = "c" + i;
            int bracket = i % brackets;
            long left = budget - spent;
            Outcome o = train(p.params(), (int) Math.min(steps, left), prunes ? halving : null, config, bracket);
            spent += o.steps();
            boolean complete = o.steps() >= steps;
            if (complete && Double.isFinite(o.last())) {
                bestSoFar = Math.min(bestSoFar, o.last());
            }
            results.add(new Tpe.Result(p.params(), o.last(), o.steps(), complete));
            spentAt.add(new long[] {spent});
            best.add(bestSoFar);
        }
        return new Curve(spentAt, best);
    }

    record Outcome(long steps, double last) {}

    /** Trains one configuration (seed 0) up to {@code limit} steps, stopping where successive halving prunes it. */
    static Outcome train(Map<String, Object> swept, int limit, SuccessiveHalving halving, String config, int bracket) {
        Map<String, Object> params = new LinkedHashMap<>(
                KindRegistry.find(OptimizerSweepKind.NAME).map(KindSchema::defaults).orElseThrow());
        params.put("task", task);
        params.put("steps", (long) steps);
        params.put("eval_every", (long) min); // every rung (r·eta^k) is a multiple of the first
        params.put("width", (long) width);
        params.put("batch", (long) batch);
        params.putAll(swept);
        long[] reached = {0};
        double[] last = {Double.NaN};
        boolean[] stop = {false};
        String runId = "b" + (runCounter++);
        MetricSink sink = MetricSink.observingBatches(store, runId, 1, 0, System::currentTimeMillis, (b, r) -> {
            int v = b.metricIndex("val/loss");
            for (int row = 0; row < b.size(); row++) {
                reached[0] = Math.max(reached[0], b.step(row));
                if (v < 0 || !b.isPresent(v, row)) {
                    continue;
                }
                last[0] = b.value(v, row);
                if (b.step(row) >= limit) {
                    stop[0] = true;
                }
                if (halving != null) {
                    for (RungDecision d : halving.report(config, bracket, 0, b.step(row), last[0])) {
                        stop[0] |= d.pruned();
                    }
                }
            }
        });
        RunContext ctx = new RunContext() {
            public String runId() { return runId; }
            public Map<String, Object> params() { return params; }
            public long seed() { return 0; }
            public MetricSink metrics() { return sink; }
            public KernelBackend kernels() { return kernels; }
            public Path runDir() { return Path.of(System.getProperty("java.io.tmpdir")); }
            public boolean cancelled() { return stop[0]; }
            public void progress(long done, long total) {}
            public void log(String line) {}
        };
        try {
            new OptimizerSweepKind().run(ctx);
        } catch (RunCancelledException e) {
            // pruned at a rung, or the budget ran out
        } finally {
            sink.close();
        }
        return new Outcome(Math.min(Math.max(reached[0], 1), steps), last[0]);
    }

    /** Best final val/loss against the share of the budget, one line per method with its CI band. */
    static void plot(Map<String, double[][]> table, Path png) throws Exception {
        int w = 720, h = 440, left = 80, right = 150, top = 30, bottom = 60;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[][] cells : table.values()) {
            for (double[] c : cells) {
                for (double v : c) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        double pad = (hi - lo) * 0.05 + 1e-9;
        lo -= pad;
        hi += pad;
        int pw = w - left - right, ph = h - top - bottom;
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("share of the compute budget (total optimizer steps)", left + 60, h - 15);
        g.drawString("best final val/loss", 5, top - 10);
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = top + ph - (int) Math.round(ph * i / 4.0);
            g.drawString(String.format(Locale.ROOT, "%.4f", v), 10, y + 4);
            double f = i / 4.0;
            g.drawString(String.format(Locale.ROOT, "%.2f", f), left + (int) Math.round(pw * f) - 10, top + ph + 18);
        }
        Color[] colors = {new Color(0x555555), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xd62728)};
        int k = 0;
        for (Map.Entry<String, double[][]> e : table.entrySet()) {
            g.setColor(colors[k % colors.length]);
            g.setStroke(new BasicStroke(2f));
            double[][] c = e.getValue();
            for (int i = 0; i < FRACTIONS.length; i++) {
                int x = left + (int) Math.round(pw * FRACTIONS[i]);
                int y = top + ph - (int) Math.round(ph * (c[i][0] - lo) / (hi - lo));
                if (Double.isFinite(c[i][1])) {
                    int y1 = top + ph - (int) Math.round(ph * (c[i][1] - lo) / (hi - lo));
                    int y2 = top + ph - (int) Math.round(ph * (c[i][2] - lo) / (hi - lo));
                    g.setStroke(new BasicStroke(1f));
                    g.drawLine(x + k * 3, Math.max(top, y2), x + k * 3, Math.min(top + ph, y1));
                    g.setStroke(new BasicStroke(2f));
                }
                if (i > 0 && Double.isFinite(c[i - 1][0]) && Double.isFinite(c[i][0])) {
                    int px = left + (int) Math.round(pw * FRACTIONS[i - 1]);
                    int py = top + ph - (int) Math.round(ph * (c[i - 1][0] - lo) / (hi - lo));
                    g.drawLine(px, py, x, y);
                }
                g.fillOval(x - 3, y - 3, 6, 6);
            }
            g.drawString(e.getKey(), w - right + 15, top + 20 + 20 * k);
            k++;
        }
        g.dispose();
        javax.imageio.ImageIO.write(img, "png", png.toFile());
    }
}

package dev.replica.experiments.kinds;

import dev.replica.experiments.data.CharCorpus;
import dev.replica.experiments.data.FashionMnist;
import dev.replica.experiments.data.LabeledData;
import dev.replica.experiments.data.Rng;
import dev.replica.experiments.data.TeacherStream;
import dev.replica.experiments.kind.ExperimentKind;
import dev.replica.experiments.kind.RunContext;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.optim.LrSchedule;
import dev.replica.experiments.optim.OptimizerConfig;
import dev.replica.experiments.optim.ParamGroupOptimizer;
import dev.replica.experiments.train.Classifier;
import dev.replica.experiments.train.DeviceParams;
import dev.replica.experiments.train.Loss;
import dev.replica.experiments.train.Mlp;
import dev.replica.experiments.train.Transformer;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.Tensor;
import dev.replica.kernels.TensorKernels;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code optimizer-sweep}: AdamW / Muon / NorMuon / SGD-momentum on hidden 2-D weights (AdamW for the
 * rest) on one of three tasks (SEEDS.md §1):
 * <ul>
 *   <li>{@code teacher-stream}: student MLP 64 → w → 4w → w → 10 (w = {@code width}) on fresh samples
 *       labelled by a fixed random teacher; validation on 2,048 held-out samples;</li>
 *   <li>{@code fashion-mnist-mlp}: MLP 784 → w → w → 10 on Fashion-MNIST (shuffled epochs), validated on
 *       the 10,000 test images;</li>
 *   <li>{@code char-transformer}: a causal transformer ({@code layers}, width w, w/32 heads) on a
 *       character corpus, next-character loss on random windows.</li>
 * </ul>
 * Metrics: {@code train/loss}, {@code train/acc}, {@code train/lr} every step; at evaluations
 * {@code val/loss}, {@code val/acc}, {@code update/row_norm_cv/<matrix>}, {@code throughput/samples_per_s}
 * (or {@code throughput/tokens_per_s}) and {@code time/wall_s}. Only the last two depend on the clock.
 */
public final class OptimizerSweepKind implements ExperimentKind {

    public static final String NAME = "optimizer-sweep";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunContext ctx) {
        Map<String, Object> p = ctx.params();
        double lr = p.get("lr") == null ? Double.NaN : ctx.doubleParam("lr");
        OptimizerConfig cfg = OptimizerConfig.of(
                ctx.stringParam("optimizer"),
                lr,
                ctx.doubleParam("lr_scale"),
                ctx.doubleParam("momentum"),
                ctx.doubleParam("beta2"),
                ctx.doubleParam("weight_decay"),
                ctx.stringParam("muon_scale"));
        int steps = ctx.intParam("steps");
        LrSchedule schedule = LrSchedule.of(
                ctx.stringParam("schedule"),
                steps,
                ctx.longParam("warmup_steps"),
                ctx.doubleParam("warmdown_fraction"));
        ctx.log("optimizer " + cfg);
        switch (ctx.stringParam("task")) {
            case "teacher-stream" -> runTeacher(ctx, cfg, schedule);
            case "fashion-mnist-mlp" -> runFashion(ctx, cfg, schedule);
            case "char-transformer" -> runChar(ctx, cfg, schedule);
            default -> throw new IllegalArgumentException("unknown task " + ctx.stringParam("task"));
        }
    }

    /** Supplies training batch {@code step} (0-based). */
    private interface Batches {
        void fill(long step, float[] x, int[] y);
    }

    private void runTeacher(RunContext ctx, OptimizerConfig cfg, LrSchedule schedule) {
        TeacherStream stream = TeacherStream.standard(ctx.seed());
        int w = ctx.intParam("width");
        Mlp model = new Mlp(new int[] {stream.dim(), w, 4 * w, w, stream.classes()}, Rng.of(ctx.seed(), 1));
        int B = ctx.intParam("batch");
        LabeledData val = stream.validation(2048);
        trainClassifier(ctx, model, cfg, schedule, stream.dim(), val, (step, x, y) -> stream.batch(0, step, x, y, B));
    }

    private void runFashion(RunContext ctx, OptimizerConfig cfg, LrSchedule schedule) {
        FashionMnist.Splits data = FashionMnist.load(Path.of(ctx.stringParam("data_dir")));
        data.fileHashes().forEach((f, h) -> ctx.log("dataset " + f + " sha256 " + h));
        int w = ctx.intParam("width");
        Mlp model = new Mlp(new int[] {data.train().dim(), w, w, data.train().classes()}, Rng.of(ctx.seed(), 1));
        int B = ctx.intParam("batch");
        LabeledData train = data.train();
        int perEpoch = train.n() / B;
        Rng order = Rng.of(ctx.seed(), 2);
        int[][] perm = new int[1][];
        long[] permEpoch = {-1};
        trainClassifier(ctx, model, cfg, schedule, train.dim(), data.test(), (step, x, y) -> {
            long epoch = step / perEpoch;
            if (epoch != permEpoch[0]) {
                perm[0] = order.fork(epoch).permutation(train.n());
                permEpoch[0] = epoch;
            }
            train.gather(perm[0], (int) (step % perEpoch) * B, B, x, y);
        });
    }

    private void trainClassifier(
            RunContext ctx,
            Classifier model,
            OptimizerConfig cfg,
            LrSchedule schedule,
            int dim,
            LabeledData val,
            Batches batches) {
        KernelBackend k = ctx.kernels();
        MetricSink sink = ctx.metrics();
        ParamGroupOptimizer opt = new ParamGroupOptimizer(model.params(), cfg);
        int B = ctx.intParam("batch");
        int steps = ctx.intParam("steps");
        int every = ctx.intParam("eval_every");
        float[] x = new float[B * dim];
        int[] y = new int[B];
        Loss loss = new Loss();
        long start = System.nanoTime();
        long lastTime = start;
        long lastStep = 0;
        Loss.Value v0 = KindSupport.evaluate(k, model, val, loss);
        sink.log(0, "val/loss", v0.loss());
        sink.log(0, "val/acc", v0.accuracy());
        for (int s = 1; s <= steps; s++) {
            KindSupport.checkCancelled(ctx);
            batches.fill(s - 1, x, y);
            model.zeroGrad();
            float[] logits = model.forward(k, x, B);
            Loss.Value v = loss.compute(k, logits, y, B, model.classes(), true);
            model.backward(k, loss.dlogits(), B);
            boolean eval = KindSupport.evalStep(s, every, steps);
            double mult = schedule.at(s - 1);
            opt.step(k, mult, eval);
            sink.log(s, "train/loss", v.loss());
            sink.log(s, "train/acc", v.accuracy());
            sink.log(s, "train/lr", cfg.lr() * mult);
            if (eval) {
                long now = System.nanoTime();
                logDiagnostics(sink, s, opt);
                sink.log(s, "throughput/samples_per_s", (double) (s - lastStep) * B / ((now - lastTime) / 1e9));
                Loss.Value ve = KindSupport.evaluate(k, model, val, loss);
                sink.log(s, "val/loss", ve.loss());
                sink.log(s, "val/acc", ve.accuracy());
                sink.log(s, "time/wall_s", (System.nanoTime() - start) / 1e9);
                lastTime = System.nanoTime();
                lastStep = s;
            }
            ctx.progress(s, steps);
        }
    }

    private static void logDiagnostics(MetricSink sink, long s, ParamGroupOptimizer opt) {
        double sum = 0;
        for (Map.Entry<String, Double> e : opt.rowNormCv().entrySet()) {
            sink.log(s, "update/row_norm_cv/" + e.getKey(), e.getValue());
            sum += e.getValue();
        }
        if (!opt.rowNormCv().isEmpty()) {
            sink.log(s, "update/row_norm_cv/mean", sum / opt.rowNormCv().size());
        }
    }

    private void runChar(RunContext ctx, OptimizerConfig cfg, LrSchedule schedule) {
        KernelBackend k = ctx.kernels();
        MetricSink sink = ctx.metrics();
        CharCorpus corpus = CharCorpus.load(ctx.stringParam("text_file"));
        int T = ctx.intParam("context");
        int w = ctx.intParam("width");
        int heads = Math.max(1, w / 32);
        while (w % heads != 0) {
            heads--;
        }
        Transformer model =
                new Transformer(corpus.vocabSize(), T, w, ctx.intParam("layers"), heads, Rng.of(ctx.seed(), 1));
        ctx.log("char-transformer: " + corpus.length() + " chars, vocab " + corpus.vocabSize() + ", "
                + model.parameterCount() + " parameters");
        ParamGroupOptimizer opt = new ParamGroupOptimizer(model.params(), cfg);
        // Weights, gradients, activations and optimizer state stay on the backend's tensors (on a device:
        // in device memory) for the whole run; only the logged loss and accuracy come back each step.
        TensorKernels d = k.tensors();
        DeviceParams dp = model.bind(d);
        int B = ctx.intParam("batch");
        int steps = ctx.intParam("steps");
        int every = ctx.intParam("eval_every");
        int[] in = new int[B * T];
        int[] tg = new int[B * T];
        Loss loss = new Loss();
        Rng data = Rng.of(ctx.seed(), 2);
        long start = System.nanoTime();
        long lastTime = start;
        long lastStep = 0;
        evalChar(ctx, d, model, corpus, loss, 0, B, T);
        for (int s = 1; s <= steps; s++) {
            KindSupport.checkCancelled(ctx);
            corpus.batch(data, false, in, tg, B, T);
            model.zeroGrad();
            Tensor logits = model.forward(d, in, B, T);
            Loss.Value v = loss.compute(d, logits, tg, B * T, corpus.vocabSize(), true);
            model.backward(d, loss.dlogitsTensor());
            boolean eval = KindSupport.evalStep(s, every, steps);
            double mult = schedule.at(s - 1);
            opt.step(dp, mult, eval);
            sink.log(s, "train/loss", v.loss());
            sink.log(s, "train/acc", v.accuracy());
            sink.log(s, "train/lr", cfg.lr() * mult);
            if (eval) {
                long now = System.nanoTime();
                logDiagnostics(sink, s, opt);
                sink.log(s, "throughput/tokens_per_s", (double) (s - lastStep) * B * T / ((now - lastTime) / 1e9));
                evalChar(ctx, d, model, corpus, loss, s, B, T);
                sink.log(s, "time/wall_s", (System.nanoTime() - start) / 1e9);
                lastTime = System.nanoTime();
                lastStep = s;
            }
            ctx.progress(s, steps);
        }
        model.syncToHost();
    }

    /** Validation on 8 fixed batches of random windows from the held-out 10% (same windows every time). */
    private static void evalChar(
            RunContext ctx, TensorKernels d, Transformer model, CharCorpus corpus, Loss loss, long step, int B, int T) {
        Rng rng = Rng.of(ctx.seed(), 3);
        int[] in = new int[B * T];
        int[] tg = new int[B * T];
        double l = 0;
        double a = 0;
        int batches = 8;
        for (int i = 0; i < batches; i++) {
            corpus.batch(rng, true, in, tg, B, T);
            Tensor logits = model.forward(d, in, B, T);
            Loss.Value v = loss.compute(d, logits, tg, B * T, corpus.vocabSize(), false);
            l += v.loss();
            a += v.accuracy();
        }
        ctx.metrics().log(step, "val/loss", l / batches);
        ctx.metrics().log(step, "val/acc", a / batches);
    }
}

package dev.replica.experiments.kinds;

import dev.replica.experiments.data.FashionMnist;
import dev.replica.experiments.data.LabeledData;
import dev.replica.experiments.data.Rng;
import dev.replica.experiments.kind.ExperimentKind;
import dev.replica.experiments.kind.RunContext;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.optim.OptimizerConfig;
import dev.replica.experiments.optim.ParamGroupOptimizer;
import dev.replica.experiments.train.Loss;
import dev.replica.experiments.train.MoeClassifier;
import dev.replica.experiments.train.MoeLayer;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mone}: a SwiGLU MoE classifier on Fashion-MNIST (SEEDS.md §3), width {@value #WIDTH}, with
 * {@code experts} experts of which {@code top_k} are active per example.
 * <ul>
 *   <li>{@code variant}: {@code moe} (d_e neurons), {@code mone} (d_e neurons, the top
 *       {@code neuron_fraction·d_e} per token by |gate|), {@code moe-half} (d_e/2 neurons) — MoNE and
 *       the half-width MoE activate the same number of neurons.</li>
 *   <li>{@code study: sparsify} trains the variant, then evaluates it with the lowest x% of each activated
 *       expert's neurons pruned by |gate|, for x ∈ {0, 50, 60, 80, 90, 95, 99}.</li>
 * </ul>
 * Trained with AdamW (lr, β 0.9/0.95, wd 0) on shuffled epochs. Metrics: {@code train/loss},
 * {@code train/acc} per step; {@code val/loss}, {@code val/acc} (on the 10,000 test images) every
 * {@code eval_every} steps, with each expert's share of the evaluation's routing slots
 * {@code val/load/e<i>} and {@code val/load_max} (the largest share × experts: 1 is perfectly balanced);
 * {@code train/balance_loss} per step, the load-balancing loss {@code E·Σ f_e·P_e} of the batch, which
 * {@code balance_coeff} α > 0 adds to the objective as α·L_bal (train/loss stays the cross-entropy);
 * {@code model/activated_neurons}; for sparsify
 * {@code sparsify/val_loss/p<x>} and {@code sparsify/val_acc/p<x>}, and {@code val/loss}, {@code val/acc}
 * of the {@code prune_percent} level at the last step.
 */
public final class MoneKind implements ExperimentKind {

    public static final String NAME = "mone";
    public static final int WIDTH = 64;
    public static final List<Integer> PRUNE_LEVELS = List.of(0, 50, 60, 80, 90, 95, 99);

    @Override
    public String name() {
        return NAME;
    }

    /** Neurons kept per activated expert when pruning the lowest {@code percent}% of {@code de}. */
    public static int keptNeurons(int de, double percent) {
        return Math.max(1, (int) Math.round(de * (1 - percent / 100.0)));
    }

    @Override
    public void run(RunContext ctx) {
        KernelBackend k = ctx.kernels();
        MetricSink sink = ctx.metrics();
        FashionMnist.Splits data = FashionMnist.load(Path.of(ctx.stringParam("data_dir")));
        data.fileHashes().forEach((f, h) -> ctx.log("dataset " + f + " sha256 " + h));
        LabeledData train = data.train();
        LabeledData test = data.test();
        String variant = ctx.stringParam("variant");
        int de = ctx.intParam("expert_dim");
        int expertDim = variant.equals("moe-half") ? Math.max(1, de / 2) : de;
        int neuronK =
                variant.equals("mone") ? Math.max(1, (int) Math.round(ctx.doubleParam("neuron_fraction") * de)) : 0;
        MoeClassifier model = new MoeClassifier(
                train.dim(),
                WIDTH,
                train.classes(),
                ctx.intParam("experts"),
                ctx.intParam("top_k"),
                expertDim,
                neuronK,
                Rng.of(ctx.seed(), 1));
        MoeLayer moe = model.moe();
        moe.setBalanceCoeff(ctx.doubleParam("balance_coeff"));
        ctx.log("mone: variant " + variant + ", " + model.parameterCount() + " parameters, " + moe.activatedNeurons()
                + " activated neurons per example");
        double lr = ctx.doubleParam("lr");
        ParamGroupOptimizer opt = new ParamGroupOptimizer(
                model.params(),
                new OptimizerConfig(
                        OptimizerConfig.Kind.ADAMW, lr, lr, 0.9, 0.95, 1e-10, 0.0, MuonScale.SPECTRAL, false));
        int B = ctx.intParam("batch");
        int steps = ctx.intParam("steps");
        int every = ctx.intParam("eval_every");
        int perEpoch = Math.max(1, train.n() / B);
        Rng order = Rng.of(ctx.seed(), 2);
        int[] perm = null;
        long permEpoch = -1;
        float[] x = new float[B * train.dim()];
        int[] y = new int[B];
        Loss loss = new Loss();
        sink.log(0, "model/activated_neurons", moe.activatedNeurons());
        boolean stats = ctx.boolParam("log_neuron_stats");
        for (int s = 1; s <= steps; s++) {
            KindSupport.checkCancelled(ctx);
            long epoch = (s - 1) / perEpoch;
            if (epoch != permEpoch) {
                perm = order.fork(epoch).permutation(train.n());
                permEpoch = epoch;
            }
            train.gather(perm, (int) ((s - 1) % perEpoch) * B, Math.min(B, train.n()), x, y);
            model.zeroGrad();
            float[] logits = model.forward(k, x, B);
            Loss.Value v = loss.compute(k, logits, y, B, model.classes(), true);
            model.backward(k, loss.dlogits(), B);
            opt.step(k, 1.0, false);
            sink.log(s, "train/loss", v.loss());
            sink.log(s, "train/acc", v.accuracy());
            sink.log(s, "train/balance_loss", moe.balanceLoss());
            if (stats) {
                double[] load = moe.load();
                for (int e = 0; e < load.length; e++) {
                    sink.log(s, "moe/load/e" + e, load[e]);
                }
            }
            if (KindSupport.evalStep(s, every, steps)
                    && !(s == steps && ctx.stringParam("study").equals("sparsify"))) {
                moe.resetLoadCount();
                Loss.Value ve = KindSupport.evaluate(k, model, test, loss);
                sink.log(s, "val/loss", ve.loss());
                sink.log(s, "val/acc", ve.accuracy());
                logLoad(sink, s, moe.loadSinceReset());
            }
            ctx.progress(s, steps);
        }
        if (ctx.stringParam("study").equals("sparsify")) {
            int trainedK = moe.neuronK();
            for (int level : PRUNE_LEVELS) {
                KindSupport.checkCancelled(ctx);
                moe.setNeuronK(level == 0 ? trainedK : keptNeurons(expertDim, level));
                Loss.Value ve = KindSupport.evaluate(k, model, test, loss);
                sink.log(steps, "sparsify/val_loss/p" + level, ve.loss());
                sink.log(steps, "sparsify/val_acc/p" + level, ve.accuracy());
            }
            double pct = ctx.doubleParam("prune_percent");
            moe.setNeuronK(pct == 0 ? trainedK : keptNeurons(expertDim, pct));
            moe.resetLoadCount();
            Loss.Value ve = KindSupport.evaluate(k, model, test, loss);
            sink.log(steps, "val/loss", ve.loss());
            sink.log(steps, "val/acc", ve.accuracy());
            logLoad(sink, steps, moe.loadSinceReset());
            moe.setNeuronK(trainedK);
        }
    }

    /** Each expert's share of the evaluation's routing slots, and the largest share relative to uniform. */
    private static void logLoad(MetricSink sink, long step, double[] load) {
        double max = 0;
        for (int e = 0; e < load.length; e++) {
            sink.log(step, "val/load/e" + e, load[e]);
            max = Math.max(max, load[e]);
        }
        sink.log(step, "val/load_max", max * load.length);
    }
}

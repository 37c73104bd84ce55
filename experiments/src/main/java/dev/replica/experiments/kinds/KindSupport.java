package dev.replica.experiments.kinds;

import dev.replica.experiments.data.LabeledData;
import dev.replica.experiments.kind.RunCancelledException;
import dev.replica.experiments.kind.RunContext;
import dev.replica.experiments.train.Classifier;
import dev.replica.experiments.train.Loss;
import dev.replica.kernels.KernelBackend;

/** Helpers shared by the built-in kinds. */
final class KindSupport {

    private KindSupport() {}

    static void checkCancelled(RunContext ctx) {
        if (ctx.cancelled()) {
            throw new RunCancelledException("run " + ctx.runId() + " cancelled");
        }
    }

    /** Mean loss and accuracy of {@code model} over {@code data}, in batches of 1,000 (fixed order). */
    static Loss.Value evaluate(KernelBackend k, Classifier model, LabeledData data, Loss loss) {
        int bs = 1000;
        float[] xb = new float[bs * data.dim()];
        int[] yb = new int[bs];
        double lossSum = 0;
        double correct = 0;
        int[] idx = new int[data.n()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int from = 0; from < data.n(); from += bs) {
            int n = Math.min(bs, data.n() - from);
            data.gather(idx, from, n, xb, yb);
            float[] logits = model.forward(k, xb, n);
            Loss.Value v = loss.compute(k, logits, yb, n, model.classes(), false);
            lossSum += v.loss() * n;
            correct += v.accuracy() * n;
        }
        return new Loss.Value(lossSum / data.n(), correct / data.n(), data.n());
    }

    /** Whether step {@code s} (1-based, of {@code total}) is an evaluation step. */
    static boolean evalStep(long s, long every, long total) {
        return s % every == 0 || s == total;
    }
}

package dev.replica.kernels.ops;

import static dev.replica.kernels.testing.Parity.ints;
import static dev.replica.kernels.testing.Parity.randn;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every backward pass of the reference kernels on tiny shapes. The scalar
 * probed is L = Σ w ⊙ forward(x) with fixed random weights w, accumulated in double; the analytic gradient is
 * backward(dout = w). Central differences with h = 1e-2 on float forward passes.
 */
class ReferenceGradientCheckTest {

    private final ReferenceKernels k = new ReferenceKernels();
    private final Random rnd = new Random(42);

    /** Forward that writes into a fresh output buffer. */
    private interface Forward {
        float[] run();
    }

    private static double dot(float[] a, float[] w) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * w[i];
        }
        return s;
    }

    /** Checks analytic gradient {@code grad} of L = Σ w·forward() with respect to buffer {@code x}. */
    private static void check(String label, float[] x, float[] grad, float[] w, Forward forward) {
        double h = 1e-2;
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = (float) (saved + h);
            double lp = dot(forward.run(), w);
            x[i] = (float) (saved - h);
            double lm = dot(forward.run(), w);
            x[i] = saved;
            double numeric = (lp - lm) / (2 * h);
            double err = Math.abs(numeric - grad[i]) / Math.max(1.0, Math.abs(numeric));
            worst = Math.max(worst, err);
        }
        System.out.printf("gradcheck %s: max scaled error %.3e over %d inputs%n", label, worst, x.length);
        assertTrue(worst < 2e-2, label + ": finite-difference mismatch " + worst);
    }

    private float[] zeros(int n) {
        return new float[n];
    }

    @Test
    void matmulBackwardMatchesFiniteDifferences() {
        int B = 2, T = 3, C = 5, OC = 4;
        float[] inp = randn(rnd, B * T * C),
                w = randn(rnd, OC * C),
                bias = randn(rnd, OC),
                dout = randn(rnd, B * T * OC);
        float[] dinp = zeros(inp.length), dw = zeros(w.length), db = zeros(OC);
        k.matmulBackward(dinp, dw, db, dout, inp, w, B, T, C, OC);
        Forward f = () -> {
            float[] out = new float[B * T * OC];
            k.matmulForward(out, inp, w, bias, B, T, C, OC);
            return out;
        };
        check("matmul dinp", inp, dinp, dout, f);
        check("matmul dweight", w, dw, dout, f);
        check("matmul dbias", bias, db, dout, f);
    }

    @Test
    void softmaxAndLogSoftmaxBackwardMatchFiniteDifferences() {
        int B = 2, T = 2, V = 5;
        float[] logits = randn(rnd, B * T * V), dout = randn(rnd, B * T * V);
        float[] probs = new float[logits.length], logp = new float[logits.length];
        k.softmaxForward(probs, logits, B, T, V);
        k.logSoftmaxForward(logp, logits, B, T, V);
        float[] d1 = zeros(logits.length), d2 = zeros(logits.length);
        k.softmaxBackward(d1, dout, probs, B, T, V);
        k.logSoftmaxBackward(d2, dout, logp, B, T, V);
        check("softmax", logits, d1, dout, () -> {
            float[] o = new float[logits.length];
            k.softmaxForward(o, logits, B, T, V);
            return o;
        });
        check("logSoftmax", logits, d2, dout, () -> {
            float[] o = new float[logits.length];
            k.logSoftmaxForward(o, logits, B, T, V);
            return o;
        });
    }

    @Test
    void fusedSoftmaxCrossEntropyBackwardMatchesFiniteDifferences() {
        int B = 2, T = 3, V = 6;
        float[] logits = randn(rnd, B * T * V), dloss = randn(rnd, B * T);
        int[] targets = ints(rnd, B * T, V);
        float[] probs = new float[logits.length];
        k.softmaxForward(probs, logits, B, T, V);
        float[] d = zeros(logits.length);
        k.crossEntropySoftmaxBackward(d, dloss, probs, targets, B, T, V);
        check("crossEntropy∘softmax", logits, d, dloss, () -> {
            float[] p = new float[logits.length], l = new float[B * T];
            k.softmaxForward(p, logits, B, T, V);
            k.crossEntropyForward(l, p, targets, B, T, V);
            return l;
        });
    }

    @Test
    void layerNormAndRmsNormBackwardMatchFiniteDifferences() {
        int B = 2, T = 2, C = 6;
        float[] inp = randn(rnd, B * T * C), w = randn(rnd, C), bias = randn(rnd, C), dout = randn(rnd, B * T * C);
        float[] out = new float[inp.length], mean = new float[B * T], rstd = new float[B * T];
        k.layerNormForward(out, mean, rstd, inp, w, bias, B, T, C);
        float[] dinp = zeros(inp.length), dw = zeros(C), db = zeros(C);
        k.layerNormBackward(dinp, dw, db, dout, inp, w, mean, rstd, B, T, C);
        Forward ln = () -> {
            float[] o = new float[inp.length];
            k.layerNormForward(o, new float[B * T], new float[B * T], inp, w, bias, B, T, C);
            return o;
        };
        check("layerNorm dinp", inp, dinp, dout, ln);
        check("layerNorm dweight", w, dw, dout, ln);
        check("layerNorm dbias", bias, db, dout, ln);

        k.rmsNormForward(out, rstd, inp, w, B, T, C);
        float[] dinp2 = zeros(inp.length), dw2 = zeros(C);
        k.rmsNormBackward(dinp2, dw2, dout, inp, w, rstd, B, T, C);
        Forward rms = () -> {
            float[] o = new float[inp.length];
            k.rmsNormForward(o, new float[B * T], inp, w, B, T, C);
            return o;
        };
        check("rmsNorm dinp", inp, dinp2, dout, rms);
        check("rmsNorm dweight", w, dw2, dout, rms);
    }

    @Test
    void activationBackwardsMatchFiniteDifferences() {
        int N = 9;
        float[] x = randn(rnd, N), up = randn(rnd, N), dout = randn(rnd, N);
        float[] dg = zeros(N), ds = zeros(N), dgate = zeros(N), dup = zeros(N);
        k.geluBackward(dg, dout, x, N);
        k.siluBackward(ds, dout, x, N);
        k.swigluBackward(dgate, dup, dout, x, up, N);
        check("gelu", x, dg, dout, () -> {
            float[] o = new float[N];
            k.geluForward(o, x, N);
            return o;
        });
        check("silu", x, ds, dout, () -> {
            float[] o = new float[N];
            k.siluForward(o, x, N);
            return o;
        });
        Forward sw = () -> {
            float[] o = new float[N];
            k.swigluForward(o, x, up, N);
            return o;
        };
        check("swiglu dgate", x, dgate, dout, sw);
        check("swiglu dup", up, dup, dout, sw);
    }

    @Test
    void attentionBackwardMatchesFiniteDifferences() {
        int B = 1, T = 4, C = 6, NH = 2;
        float[] inp = randn(rnd, B * T * 3 * C), dout = randn(rnd, B * T * C);
        float[] out = new float[B * T * C], pre = new float[B * NH * T * T], att = new float[B * NH * T * T];
        k.attentionForward(out, pre, att, inp, B, T, C, NH);
        float[] dinp = zeros(inp.length);
        k.attentionBackward(dinp, zeros(pre.length), zeros(att.length), dout, inp, att, B, T, C, NH);
        check("attention dinp", inp, dinp, dout, () -> {
            float[] o = new float[B * T * C];
            k.attentionForward(o, new float[pre.length], new float[att.length], inp, B, T, C, NH);
            return o;
        });
    }

    @Test
    void embeddingBackwardMatchesFiniteDifferencesWithRepeatedTokens() {
        int B = 2, T = 3, C = 4, V = 3;
        int[] tokens = {0, 2, 0, 1, 0, 2};
        float[] wte = randn(rnd, V * C), dout = randn(rnd, B * T * C), dwte = zeros(V * C);
        k.embeddingBackward(dwte, dout, tokens, B, T, C);
        check("embedding dwte", wte, dwte, dout, () -> {
            float[] o = new float[B * T * C];
            k.embeddingForward(o, tokens, wte, B, T, C);
            return o;
        });
    }

    @Test
    void topKMaskBackwardMatchesFiniteDifferencesAwayFromTies() {
        int rows = 2, cols = 5, kk = 2;
        float[] x = {3f, -1f, 0.2f, -5f, 0.7f, 0.1f, 2f, -0.4f, 1.5f, 9f};
        float[] out = new float[x.length], mask = new float[x.length], dout = randn(rnd, x.length);
        k.topKMaskForward(out, mask, x, rows, cols, kk);
        float[] dinp = zeros(x.length);
        k.topKMaskBackward(dinp, dout, mask, rows, cols);
        check("topKMask", x, dinp, dout, () -> {
            float[] o = new float[x.length];
            k.topKMaskForward(o, new float[x.length], x, rows, cols, kk);
            return o;
        });
    }
}

package dev.replica.experiments.rl;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.Rng;
import dev.replica.experiments.train.Transformer;
import dev.replica.kernels.KernelBackend;
import java.util.Arrays;

/**
 * Autoregressive sampling from a causal {@link Transformer} over addition sequences. Sequences are
 * (B, L) with L = {@link Addition#length()}; the model sees the first L − 1 tokens and position t
 * predicts token t + 1. Generation re-runs the full forward for each new token (causal attention
 * makes later PAD positions irrelevant), which is cheap at this size.
 */
public final class Policy {

    private final Transformer model;
    private final Addition task;

    public Policy(Transformer model, Addition task) {
        this.model = model;
        this.task = task;
    }

    public Transformer model() {
        return model;
    }

    /** Model input length: L − 1. */
    public int inputLength() {
        return task.length() - 1;
    }

    /**
     * Fills the responses of {@code seqs (B, L)}, whose prompts are already written, by sampling at
     * {@code temperature} (or greedily when {@code rng} is null). After END the rest is PAD.
     */
    public void generate(KernelBackend k, int[] seqs, int B, double temperature, Rng rng) {
        generate(k, seqs, B, temperature, rng, task.promptLength());
    }

    /** As {@link #generate(KernelBackend, int[], int, double, Rng)} for prompts of {@code P} tokens. */
    public void generate(KernelBackend k, int[] seqs, int B, double temperature, Rng rng, int P) {
        int L = task.length();
        int T = L - 1;
        int V = model.vocab();
        for (int b = 0; b < B; b++) {
            Arrays.fill(seqs, b * L + P, (b + 1) * L, Addition.PAD);
        }
        boolean[] done = new boolean[B];
        int[] in = new int[B * T];
        float[] w = new float[V];
        for (int j = 0; j < L - P; j++) {
            for (int b = 0; b < B; b++) {
                System.arraycopy(seqs, b * L, in, b * T, T);
            }
            float[] logits = model.forward(k, in, B, T);
            int pos = P + j - 1;
            for (int b = 0; b < B; b++) {
                if (done[b]) {
                    continue;
                }
                int o = (b * T + pos) * V;
                int tok;
                if (rng == null) {
                    tok = 0;
                    for (int v = 1; v < V; v++) {
                        if (logits[o + v] > logits[o + tok]) {
                            tok = v;
                        }
                    }
                } else {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int v = 0; v < V; v++) {
                        max = Math.max(max, logits[o + v]);
                    }
                    for (int v = 0; v < V; v++) {
                        w[v] = (float) Math.exp((logits[o + v] - max) / temperature);
                    }
                    tok = rng.sampleCategorical(w, 0, V);
                }
                seqs[b * L + P + j] = tok;
                if (tok == Addition.END) {
                    done[b] = true;
                }
            }
        }
    }

    /**
     * Splits sequences into model inputs {@code (B, L−1)}, next-token targets and the response mask:
     * 1 at positions predicting a response token up to and including the first END.
     */
    public void inputsTargetsMask(int[] seqs, int B, int[] in, int[] targets, float[] mask) {
        inputsTargetsMask(seqs, B, in, targets, mask, null);
    }

    /** As above, with {@code promptLength[b]} prompt tokens in row b (null: the task's prompt length). */
    public void inputsTargetsMask(int[] seqs, int B, int[] in, int[] targets, float[] mask, int[] promptLength) {
        int L = task.length();
        int T = L - 1;
        for (int b = 0; b < B; b++) {
            int P = promptLength == null ? task.promptLength() : promptLength[b];
            boolean ended = false;
            for (int t = 0; t < T; t++) {
                in[b * T + t] = seqs[b * L + t];
                int tok = seqs[b * L + t + 1];
                targets[b * T + t] = tok;
                boolean response = t + 1 >= P && !ended;
                mask[b * T + t] = response ? 1f : 0f;
                if (response && tok == Addition.END) {
                    ended = true;
                }
            }
        }
    }
}

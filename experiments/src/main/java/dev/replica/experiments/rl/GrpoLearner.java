package dev.replica.experiments.rl;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.Rng;
import dev.replica.experiments.optim.ParamGroupOptimizer;
import dev.replica.experiments.train.Transformer;
import dev.replica.kernels.KernelBackend;

/**
 * One GRPO update per call on addition prompts (SEEDS.md §2): {@code G} rollouts per prompt at the
 * sampling temperature, verifier rewards, group-normalized advantages, the {@link Grpo} loss with k3 KL to
 * a frozen reference, one optimizer step. Shared by the 1-shot / full-set training and by the GRPO run
 * over the pool that scores examples for 1-shot selection.
 */
public final class GrpoLearner {

    /** The rollouts' rewards (prompt by prompt, {@code G} each) and the loss terms of the update. */
    public record Step(float[] rewards, Grpo.Stats stats) {
        public double meanReward() {
            double s = 0;
            for (float r : rewards) {
                s += r;
            }
            return s / rewards.length;
        }

        /** Correct rollouts of prompt {@code q}. */
        public int correct(int q, int G) {
            int c = 0;
            for (int g = 0; g < G; g++) {
                c += rewards[q * G + g] > 0 ? 1 : 0;
            }
            return c;
        }
    }

    private final Policy policy;
    private final Transformer reference;
    private final ParamGroupOptimizer opt;
    private final Grpo.Config cfg;
    private final Addition task;
    private final int G;
    private final Rng rollouts;

    /**
     * @param reference the frozen policy of the KL term (not updated here)
     * @param rollouts  the sampling stream, advanced by every call
     */
    public GrpoLearner(
            Policy policy,
            Transformer reference,
            ParamGroupOptimizer opt,
            Grpo.Config cfg,
            Addition task,
            int groupSize,
            Rng rollouts) {
        this.policy = policy;
        this.reference = reference;
        this.opt = opt;
        this.cfg = cfg;
        this.task = task;
        this.G = groupSize;
        this.rollouts = rollouts;
    }

    public int groupSize() {
        return G;
    }

    /** Samples {@code G} responses for each of {@code prompts}, rewards them and takes one optimizer step. */
    public Step step(KernelBackend k, Addition.Problem[] prompts) {
        int L = task.length();
        int B = prompts.length * G;
        int[] rs = rollouts(k, prompts);
        float[] rewards = new float[B];
        for (int b = 0; b < B; b++) {
            rewards[b] = task.verify(prompts[b / G], rs, b * L + task.promptLength()) ? 1f : 0f;
        }
        return new Step(rewards, update(k, rs, null, rewards));
    }

    /** {@code G} sampled responses for each of {@code prompts}: sequences (prompts·G, L), prompt by prompt. */
    public int[] rollouts(KernelBackend k, Addition.Problem[] prompts) {
        int L = task.length();
        int[] rs = new int[prompts.length * G * L];
        for (int q = 0; q < prompts.length; q++) {
            for (int g = 0; g < G; g++) {
                task.writePrompt(prompts[q], rs, (q * G + g) * L);
            }
        }
        policy.generate(k, rs, prompts.length * G, cfg.temperature(), rollouts);
        return rs;
    }

    /** Fills the responses of sequences whose prompts of {@code P} tokens are written, at the temperature. */
    public void sample(KernelBackend k, int[] seqs, int B, int P) {
        policy.generate(k, seqs, B, cfg.temperature(), rollouts, P);
    }

    /**
     * One optimizer step on rewarded sequences {@code (B, L)} laid out in groups of {@code G}:
     * group-normalized advantages, the {@link Grpo} loss, backward.
     *
     * @param promptLength per row, the prompt's length (null: the task's)
     */
    public Grpo.Stats update(KernelBackend k, int[] rs, int[] promptLength, float[] rewards) {
        int T = task.length() - 1;
        int V = Addition.VOCAB;
        int B = rewards.length;
        float[] adv = Grpo.advantages(rewards, G);
        int[] rin = new int[B * T];
        int[] rtg = new int[B * T];
        float[] rmask = new float[B * T];
        policy.inputsTargetsMask(rs, B, rin, rtg, rmask, promptLength);
        float[] advTok = new float[B * T];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                advTok[b * T + t] = adv[b];
            }
        }
        float[] refLogits = reference.forward(k, rin, B, T);
        float[] refLp = Grpo.logProbs(refLogits, rtg, rmask, B * T, V, cfg.temperature());
        Transformer model = policy.model();
        model.zeroGrad();
        float[] logits = model.forward(k, rin, B, T);
        float[] oldLp = Grpo.logProbs(logits, rtg, rmask, B * T, V, cfg.temperature());
        float[] dlogits = new float[B * T * V];
        Grpo.Stats st = Grpo.lossAndGrad(cfg, dlogits, logits, rtg, rmask, advTok, oldLp, refLp, B * T, V);
        model.backward(k, dlogits);
        opt.step(k, 1.0, false);
        return st;
    }
}

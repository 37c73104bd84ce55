package dev.replica.experiments.rl;

/**
 * The GRPO objective of SEEDS.md §2 on per-token logits, with its gradient written out.
 *
 * <pre>
 * A_i  = (r_i − mean_g r) / (std_g r + 1e-6)                 group-normalized advantage
 * ρ    = π_θ(token) / π_old(token)
 * L_pg = tokmean( max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε)) )
 * H_t  = logsumexp(z_t) − Σ softmax(z_t)·z_t                   z = logits / T
 * k3_t = clamp(exp(ℓ_ref − ℓ) − (ℓ_ref − ℓ) − 1, −10, 10)      KL estimate to the reference policy
 * loss = pg·L_pg − ent·tokmean(H) + kl·tokmean(k3)
 * </pre>
 * Log-probabilities ℓ are of the temperature-scaled distribution softmax(z), the one sampled from.
 * std is the population standard deviation of the group.
 */
public final class Grpo {

    /** Coefficients and clip range. */
    public record Config(double pgCoeff, double entCoeff, double klCoeff, double clip, double temperature) {}

    /** Token means of the loss terms of one {@link #lossAndGrad} call. */
    public record Stats(double loss, double pgLoss, double entropy, double kl, double clipFraction, int tokens) {}

    private Grpo() {}

    /**
     * Group-normalized advantages: rewards are laid out group by group ({@code groups × groupSize}).
     */
    public static float[] advantages(float[] rewards, int groupSize) {
        if (rewards.length % groupSize != 0) {
            throw new IllegalArgumentException(rewards.length + " rewards are not whole groups of " + groupSize);
        }
        float[] a = new float[rewards.length];
        for (int g0 = 0; g0 < rewards.length; g0 += groupSize) {
            double mean = 0;
            for (int i = 0; i < groupSize; i++) {
                mean += rewards[g0 + i];
            }
            mean /= groupSize;
            double var = 0;
            for (int i = 0; i < groupSize; i++) {
                double d = rewards[g0 + i] - mean;
                var += d * d;
            }
            double std = Math.sqrt(var / groupSize);
            for (int i = 0; i < groupSize; i++) {
                a[g0 + i] = (float) ((rewards[g0 + i] - mean) / (std + 1e-6));
            }
        }
        return a;
    }

    /**
     * The loss and, into {@code dlogits}, its gradient with respect to the raw logits.
     *
     * @param dlogits      (N,V) overwritten at positions with mask 1, zeroed elsewhere
     * @param logits       (N,V) the policy's raw logits at every position
     * @param tokens       (N) the sampled token each position predicts
     * @param mask         (N) 1 for response tokens, 0 otherwise
     * @param advantage    (N) the sequence's advantage, repeated per position
     * @param oldLogProb   (N) ℓ_old of the token under the sampling policy
     * @param refLogProb   (N) ℓ_ref of the token under the frozen reference (ignored when kl = 0)
     */
    public static Stats lossAndGrad(
            Config cfg,
            float[] dlogits,
            float[] logits,
            int[] tokens,
            float[] mask,
            float[] advantage,
            float[] oldLogProb,
            float[] refLogProb,
            int N,
            int V) {
        int count = 0;
        for (int i = 0; i < N; i++) {
            if (mask[i] != 0) {
                count++;
            }
        }
        double inv = count == 0 ? 0 : 1.0 / count;
        double invT = 1.0 / cfg.temperature();
        double lo = 1 - cfg.clip();
        double hi = 1 + cfg.clip();
        double pgSum = 0;
        double entSum = 0;
        double klSum = 0;
        int clipped = 0;
        double[] p = new double[V];
        for (int i = 0; i < N; i++) {
            int o = i * V;
            if (mask[i] == 0) {
                java.util.Arrays.fill(dlogits, o, o + V, 0f);
                continue;
            }
            // softmax of z = logits / T, in double
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                max = Math.max(max, logits[o + v] * invT);
            }
            double sum = 0;
            for (int v = 0; v < V; v++) {
                p[v] = Math.exp(logits[o + v] * invT - max);
                sum += p[v];
            }
            double lse = max + Math.log(sum);
            double ez = 0;
            for (int v = 0; v < V; v++) {
                p[v] /= sum;
                ez += p[v] * logits[o + v] * invT;
            }
            double logp = logits[o + tokens[i]] * invT - lse;
            double entropy = lse - ez;
            // policy gradient: d/dℓ of max(−Aρ, −A·clip(ρ)); the clipped branch has no gradient
            double a = advantage[i];
            double rho = Math.exp(logp - oldLogProb[i]);
            double unclipped = -a * rho;
            double clippedTerm = -a * Math.min(hi, Math.max(lo, rho));
            double dlogp = 0;
            if (unclipped >= clippedTerm) {
                pgSum += unclipped;
                dlogp += cfg.pgCoeff() * (-a * rho);
            } else {
                pgSum += clippedTerm;
                clipped++;
            }
            // k3 KL to the reference: d k3/dℓ = 1 − exp(ℓ_ref − ℓ) unless clamped
            if (cfg.klCoeff() != 0) {
                double r = refLogProb[i] - logp;
                double k3 = Math.exp(r) - r - 1;
                if (k3 > 10) {
                    k3 = 10;
                } else {
                    dlogp += cfg.klCoeff() * (1 - Math.exp(r));
                }
                klSum += k3;
            } else {
                double r = refLogProb[i] - logp;
                klSum += Math.min(10, Math.exp(r) - r - 1);
            }
            entSum += entropy;
            // d/dz: dℓ/dz_v = onehot − p_v; dH/dz_v = −p_v·(z_v − Σ p z); loss has −ent·H
            for (int v = 0; v < V; v++) {
                double zv = logits[o + v] * invT;
                double dz = dlogp * ((v == tokens[i] ? 1 : 0) - p[v]) + cfg.entCoeff() * p[v] * (zv - ez);
                dlogits[o + v] = (float) (dz * invT * inv);
            }
        }
        double pg = pgSum * inv;
        double ent = entSum * inv;
        double kl = klSum * inv;
        double loss = cfg.pgCoeff() * pg - cfg.entCoeff() * ent + cfg.klCoeff() * kl;
        return new Stats(loss, pg, ent, kl, count == 0 ? 0 : (double) clipped / count, count);
    }

    /** log softmax(logits/T)[token] at each masked position (0 elsewhere). */
    public static float[] logProbs(float[] logits, int[] tokens, float[] mask, int N, int V, double temperature) {
        float[] out = new float[N];
        double invT = 1.0 / temperature;
        for (int i = 0; i < N; i++) {
            if (mask[i] == 0) {
                continue;
            }
            int o = i * V;
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                max = Math.max(max, logits[o + v] * invT);
            }
            double sum = 0;
            for (int v = 0; v < V; v++) {
                sum += Math.exp(logits[o + v] * invT - max);
            }
            out[i] = (float) (logits[o + tokens[i]] * invT - max - Math.log(sum));
        }
        return out;
    }
}

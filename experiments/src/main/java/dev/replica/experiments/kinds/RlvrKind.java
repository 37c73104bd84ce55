package dev.replica.experiments.kinds;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.ProblemSynthesis;
import dev.replica.experiments.data.Rng;
import dev.replica.experiments.kind.ExperimentKind;
import dev.replica.experiments.kind.RunContext;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.optim.OptimizerConfig;
import dev.replica.experiments.optim.ParamGroupOptimizer;
import dev.replica.experiments.rl.Grpo;
import dev.replica.experiments.rl.GrpoLearner;
import dev.replica.experiments.rl.PassAtK;
import dev.replica.experiments.rl.Policy;
import dev.replica.experiments.rl.SelfPlaySynthesis;
import dev.replica.experiments.rl.WeaknessSynthesis;
import dev.replica.experiments.train.Loss;
import dev.replica.experiments.train.Transformer;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code rlvr}: 1-shot RLVR (SEEDS.md §2) on multi-digit addition with a tiny causal transformer.
 *
 * <ol>
 *   <li>Base model: {@code pretrain_steps} supervised steps (AdamW 1e-3, batch 64) on random problems
 *       whose targets are flawed at {@code flaw_rate} (half drop every carry, half repeat the last digit
 *       instead of the end token). Held-out problems never appear.</li>
 *   <li>Example selection ({@code select_history}): {@code grpo} (the paper's) runs GRPO from the base
 *       model over the whole pool for {@code select_epochs} epochs ({@code copies} problems per step, a
 *       fresh order each epoch, on a scratch copy: the base model is unchanged) and records each problem's
 *       rollout accuracy per epoch; {@code pretraining} records every pool problem's sampled accuracy
 *       ({@code group_size} samples) five times during pretraining instead. {@code select}: {@code max-std}
 *       takes the problem with the largest standard deviation of that history (the paper's), {@code min-std}
 *       the smallest (a control), {@code random} a uniformly drawn one (a control); ties go to the
 *       earlier problem. The log line and {@code select/*} metrics record the choice.</li>
 *   <li>GRPO for {@code steps}: one-shot mode repeats the example {@code copies} times; full-set mode
 *       draws {@code copies} pool problems per step; each prompt gets {@code group_size} rollouts at
 *       {@code temperature}; one AdamW step per rollout batch; k3 KL to the frozen base model. svs mode
 *       draws like full-set and runs {@link SelfPlaySynthesis} on each batch ({@code svs_problems} middle-band
 *       problems at most); {@code synth_pretrain_share} of the pretraining sequences then teach the base model
 *       the synthesis format (set it equally for an SvS run and its baseline, so both start from one model).
 *       Its full-set baseline with equal rollouts uses {@code copies + svs_problems·(1 + group_size)}
 *       prompts, SvS's most rollouts per step. sws mode first runs a GRPO probe of
 *       {@code sws_probe_epochs} epochs over the pool on the policy itself, then trains full-set on the pool
 *       plus {@code sws_budget} problems from {@link WeaknessSynthesis} (its steps count after the probe, so
 *       a plain-RL baseline runs {@code steps + sws_probe_epochs·⌈pool_size/copies⌉} steps).</li>
 * </ol>
 * Metrics per step: {@code train/reward}, {@code train/acc} (fraction of rollouts correct),
 * {@code train/entropy} (mean token entropy of rollouts), {@code train/kl}, {@code train/pg_loss},
 * {@code train/loss}, {@code train/clip_frac}. Every {@code eval_every} steps (and at step 0, the base
 * model): {@code eval/pass@1} (greedy), {@code eval/pass@k} (unbiased, k = pass_n/2, from pass_n samples
 * at the sampling temperature), {@code eval/pass@<k>} for k = 1, 2, 4, … ≤ pass_n, {@code eval/format}
 * (greedy answers that end with the end token in place), {@code eval/example_acc} (greedy, the example).
 * {@code eval/pass@1/carry<c>}: greedy pass@1 of the held-out problems with c carries (SwS's categories);
 * sws mode logs at step 0 {@code sws/weak_problems}, {@code sws/failure_rate/carry<c>},
 * {@code sws/synthesized/carry<c>} and {@code sws/train_set_size}.
 * {@code train/rollouts} per step; {@code eval/entropy}: mean token entropy (at the sampling temperature) of
 * the greedy answers. svs mode adds per step {@code svs/band_problems}, {@code svs/synthesized},
 * {@code svs/wellformed_share}, {@code svs/valid_share} (synthesized problems whose a + b is the reference
 * answer), {@code svs/synth_reward} and {@code svs/synth_solve_acc}; {@code train/acc} is the batch's solve
 * accuracy and the other train/* terms are the whole update's.
 * At step 0: {@code pretrain/loss}, {@code select/example_std}, {@code select/example_mean_acc} (the
 * example's mean accuracy over its history), {@code select/history_points}, {@code select/example_a},
 * {@code select/example_b}.
 */
public final class RlvrKind implements ExperimentKind {

    public static final String NAME = "rlvr";
    static final int PRETRAIN_BATCH = 64;
    static final double PRETRAIN_LR = 1e-3;
    static final int HISTORY_POINTS = 5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(RunContext ctx) {
        KernelBackend k = ctx.kernels();
        MetricSink sink = ctx.metrics();
        Addition task = new Addition(ctx.intParam("digits"));
        int width = ctx.intParam("width");
        int heads = Math.max(1, width / 32);
        while (width % heads != 0) {
            heads--;
        }
        Transformer model = new Transformer(
                Addition.VOCAB, task.length() - 1, width, ctx.intParam("layers"), heads, Rng.of(ctx.seed(), 1));
        Policy policy = new Policy(model, task);
        double temperature = ctx.doubleParam("temperature");
        int G = ctx.intParam("group_size");

        Rng problems = Rng.of(ctx.seed(), 10);
        List<Addition.Problem> evalSet = task.distinct(problems, ctx.intParam("eval_problems"), Set.of());
        Set<Addition.Problem> held = new HashSet<>(evalSet);
        List<Addition.Problem> pool = task.distinct(problems.fork(1), ctx.intParam("pool_size"), held);
        held.addAll(pool);

        // 1. base model on flawed data, with the pool's accuracy history for example selection
        int pretrain = ctx.intParam("pretrain_steps");
        String select = ctx.stringParam("select");
        boolean pretrainHistory = ctx.stringParam("select_history").equals("pretraining");
        int selectEpochs = pretrainHistory ? 0 : ctx.intParam("select_epochs");
        int prompts = ctx.intParam("copies");
        int stepsPerEpoch = (pool.size() + prompts - 1) / prompts;
        int selectSteps = selectEpochs * stepsPerEpoch;
        int probeSteps = ctx.stringParam("mode").equals("sws") ? ctx.intParam("sws_probe_epochs") * stepsPerEpoch : 0;
        long total = pretrain + selectSteps + probeSteps + ctx.longParam("steps");
        double[][] history = new double[pool.size()][pretrainHistory ? HISTORY_POINTS : selectEpochs];
        Rng pre = Rng.of(ctx.seed(), 12);
        Rng sampling = Rng.of(ctx.seed(), 13);
        ParamGroupOptimizer preOpt = new ParamGroupOptimizer(
                model.params(),
                new OptimizerConfig(
                        OptimizerConfig.Kind.ADAMW,
                        PRETRAIN_LR,
                        PRETRAIN_LR,
                        0.9,
                        0.95,
                        1e-10,
                        0.0,
                        MuonScale.SPECTRAL,
                        false));
        int L = task.length();
        int T = L - 1;
        int[] seqs = new int[PRETRAIN_BATCH * L];
        int[] in = new int[PRETRAIN_BATCH * T];
        int[] tg = new int[PRETRAIN_BATCH * T];
        float[] mask = new float[PRETRAIN_BATCH * T];
        Loss loss = new Loss();
        double flawRate = ctx.doubleParam("flaw_rate");
        double synthShare = ctx.doubleParam("synth_pretrain_share");
        ProblemSynthesis synthesis = new ProblemSynthesis(task);
        int[] promptLengths = synthShare > 0 ? new int[PRETRAIN_BATCH] : null;
        double lastPretrainLoss = Double.NaN;
        int point = 0;
        for (int s = 1; s <= pretrain; s++) {
            KindSupport.checkCancelled(ctx);
            for (int b = 0; b < PRETRAIN_BATCH; b++) {
                Addition.Problem p;
                do {
                    p = task.random(pre);
                } while (held.contains(p));
                double u = pre.nextDouble();
                Addition.Flaw flaw = u < flawRate / 2
                        ? Addition.Flaw.DROP_CARRY
                        : u < flawRate ? Addition.Flaw.NO_END : Addition.Flaw.NONE;
                // SvS: a share of the base model's data teaches it to write a problem for a given answer
                boolean synth = synthShare > 0 && pre.nextDouble() < synthShare;
                System.arraycopy(synth ? synthesis.sequence(p, pre) : task.sequence(p, flaw), 0, seqs, b * L, L);
                if (promptLengths != null) {
                    promptLengths[b] = synth ? synthesis.promptLength() : task.promptLength();
                }
            }
            policy.inputsTargetsMask(seqs, PRETRAIN_BATCH, in, tg, mask, promptLengths);
            for (int i = 0; i < tg.length; i++) {
                if (mask[i] == 0) {
                    tg[i] = -1;
                }
            }
            model.zeroGrad();
            float[] logits = model.forward(k, in, PRETRAIN_BATCH, T);
            Loss.Value v = loss.compute(k, logits, tg, PRETRAIN_BATCH * T, Addition.VOCAB, true);
            model.backward(k, loss.dlogits());
            preOpt.step(k, 1.0, false);
            lastPretrainLoss = v.loss();
            if (pretrainHistory && point < HISTORY_POINTS && s >= (long) (point + 1) * pretrain / HISTORY_POINTS) {
                double[] acc = sampledAccuracy(k, policy, task, pool, G, temperature, sampling);
                for (int i = 0; i < pool.size(); i++) {
                    history[i][point] = acc[i];
                }
                point++;
            }
            ctx.progress(s, total);
        }
        if (pretrainHistory && point == 0) {
            double[] acc = sampledAccuracy(k, policy, task, pool, G, temperature, sampling);
            for (int i = 0; i < pool.size(); i++) {
                history[i][0] = acc[i];
            }
            point = 1;
        }
        Grpo.Config gcfg = new Grpo.Config(
                ctx.doubleParam("pg_coeff"),
                ctx.doubleParam("ent_coeff"),
                ctx.doubleParam("kl_coeff"),
                ctx.doubleParam("clip"),
                temperature);
        if (!pretrainHistory) {
            // the paper's selection: GRPO over the whole pool from the base model, one accuracy per epoch
            Transformer scratch =
                    new Transformer(Addition.VOCAB, T, width, ctx.intParam("layers"), heads, Rng.of(0, 0));
            scratch.copyFrom(model);
            GrpoLearner selector = new GrpoLearner(
                    new Policy(scratch, task),
                    model,
                    grpoOptimizer(ctx, scratch),
                    gcfg,
                    task,
                    G,
                    Rng.of(ctx.seed(), 15));
            grpoHistory(ctx, selector, pool, prompts, history, Rng.of(ctx.seed(), 16), pretrain, total);
            point = selectEpochs;
        }
        int chosen = switch (select) {
            case "max-std" -> selectExample(history, point);
            case "min-std" -> selectLowest(history, point);
            case "random" -> Rng.of(ctx.seed(), 14).nextInt(pool.size());
            default -> throw new IllegalArgumentException("unknown select: " + select);
        };
        Addition.Problem example = pool.get(chosen);
        double meanAcc = 0;
        for (int i = 0; i < point; i++) {
            meanAcc += history[chosen][i] / point;
        }
        ctx.log("1-shot example (select " + select + " over the " + (pretrainHistory ? "pretraining" : "GRPO")
                + " history of " + point + " points): " + example.a() + "+" + example.b() + " (history std "
                + std(history[chosen], point) + ", mean accuracy " + meanAcc + ")");
        sink.log(0, "pretrain/loss", lastPretrainLoss);
        sink.log(0, "select/example_std", std(history[chosen], point));
        sink.log(0, "select/example_mean_acc", meanAcc);
        sink.log(0, "select/history_points", point);
        sink.log(0, "select/example_a", example.a());
        sink.log(0, "select/example_b", example.b());

        // 2. GRPO
        Transformer reference = new Transformer(Addition.VOCAB, T, width, ctx.intParam("layers"), heads, Rng.of(0, 0));
        reference.copyFrom(model);
        GrpoLearner learner =
                new GrpoLearner(policy, reference, grpoOptimizer(ctx, model), gcfg, task, G, Rng.of(ctx.seed(), 20));
        boolean oneShot = ctx.stringParam("mode").equals("one-shot");
        List<Addition.Problem> trainSet = pool;
        if (ctx.stringParam("mode").equals("sws")) {
            trainSet = augmentByWeakness(ctx, learner, task, pool, held, prompts, pretrain + selectSteps, total);
        }
        SelfPlaySynthesis svs = ctx.stringParam("mode").equals("svs") ? new SelfPlaySynthesis(learner, task) : null;
        int svsProblems = ctx.intParam("svs_problems");
        Rng draw = Rng.of(ctx.seed(), 21);
        Rng evalRng = Rng.of(ctx.seed(), 30);
        int steps = ctx.intParam("steps");
        int every = ctx.intParam("eval_every");
        evaluate(ctx, policy, task, evalSet, example, 0, evalRng);
        Addition.Problem[] batch = new Addition.Problem[prompts];
        for (int s = 1; s <= steps; s++) {
            KindSupport.checkCancelled(ctx);
            for (int q = 0; q < prompts; q++) {
                batch[q] = oneShot ? example : trainSet.get(draw.nextInt(trainSet.size()));
            }
            Grpo.Stats st;
            double meanReward;
            int rolloutCount = prompts * G;
            if (svs != null) {
                SelfPlaySynthesis.Result r = svs.step(k, batch, svsProblems);
                st = r.stats();
                meanReward = r.solveAcc();
                rolloutCount = r.rollouts();
                sink.log(s, "svs/band_problems", r.bandProblems());
                sink.log(s, "svs/synthesized", r.synthesized());
                if (r.synthesized() > 0) {
                    sink.log(s, "svs/wellformed_share", (double) r.wellFormed() / r.synthesized());
                    sink.log(s, "svs/valid_share", (double) r.valid() / r.synthesized());
                    sink.log(s, "svs/synth_reward", r.synthReward());
                }
                if (r.wellFormed() > 0) {
                    sink.log(s, "svs/synth_solve_acc", r.synthSolveAcc());
                }
            } else {
                GrpoLearner.Step step = learner.step(k, batch);
                st = step.stats();
                meanReward = step.meanReward();
            }
            sink.log(s, "train/rollouts", rolloutCount);
            sink.log(s, "train/reward", meanReward);
            sink.log(s, "train/acc", meanReward);
            sink.log(s, "train/entropy", st.entropy());
            sink.log(s, "train/kl", st.kl());
            sink.log(s, "train/pg_loss", st.pgLoss());
            sink.log(s, "train/loss", st.loss());
            sink.log(s, "train/clip_frac", st.clipFraction());
            sink.log(s, "train/response_tokens", (double) st.tokens() / (prompts * G));
            if (KindSupport.evalStep(s, every, steps)) {
                evaluate(ctx, policy, task, evalSet, example, s, evalRng);
            }
            ctx.progress(pretrain + selectSteps + probeSteps + s, total);
        }
    }

    /**
     * Mean token entropy of softmax(z/T) over the response tokens of the first {@code n} greedy answers:
     * the policy's entropy on held-out prompts (the {@link Grpo} loss with every coefficient 0 computes it).
     */
    private static double greedyEntropy(KernelBackend k, Policy policy, int[] seqs, int n, double temperature) {
        int T = policy.inputLength();
        int V = Addition.VOCAB;
        int[] in = new int[n * T];
        int[] tg = new int[n * T];
        float[] mask = new float[n * T];
        policy.inputsTargetsMask(seqs, n, in, tg, mask);
        float[] logits = policy.model().forward(k, in, n, T);
        float[] zeros = new float[n * T];
        return Grpo.lossAndGrad(
                        new Grpo.Config(0, 0, 0, 0.2, temperature),
                        new float[n * T * V],
                        logits,
                        tg,
                        mask,
                        zeros,
                        zeros,
                        zeros,
                        n * T,
                        V)
                .entropy();
    }

    /**
     * SwS: a GRPO probe of {@code sws_probe_epochs} epochs over the pool on the policy itself, then the pool
     * plus {@code sws_budget} new problems allotted to categories by failure rate (or equally:
     * {@code sws_allocation: uniform}); logs the weakness analysis at step 0.
     */
    private static List<Addition.Problem> augmentByWeakness(
            RunContext ctx,
            GrpoLearner learner,
            Addition task,
            List<Addition.Problem> pool,
            Set<Addition.Problem> held,
            int prompts,
            long done,
            long total) {
        MetricSink sink = ctx.metrics();
        double[][] probe = new double[pool.size()][ctx.intParam("sws_probe_epochs")];
        grpoHistory(ctx, learner, pool, prompts, probe, Rng.of(ctx.seed(), 17), done, total);
        double[] rates = WeaknessSynthesis.failureRates(task, pool, probe);
        int weak = 0;
        for (double[] h : probe) {
            weak += WeaknessSynthesis.weak(h) ? 1 : 0;
        }
        boolean uniform = ctx.stringParam("sws_allocation").equals("uniform");
        double[] weights = rates;
        if (uniform) {
            weights = new double[rates.length];
            java.util.Arrays.fill(weights, 1.0);
        }
        int[] per = WeaknessSynthesis.allocate(weights, ctx.intParam("sws_budget"));
        List<Addition.Problem> extra = WeaknessSynthesis.synthesize(task, per, held, Rng.of(ctx.seed(), 18));
        sink.log(0, "sws/weak_problems", weak);
        for (int c = 0; c < rates.length; c++) {
            sink.log(0, "sws/failure_rate/carry" + c, rates[c]);
            sink.log(0, "sws/synthesized/carry" + c, per[c]);
        }
        List<Addition.Problem> augmented = new ArrayList<>(pool);
        augmented.addAll(extra);
        sink.log(0, "sws/train_set_size", augmented.size());
        ctx.log("sws: " + weak + " weak pool problems; " + extra.size() + " synthesized ("
                + (uniform ? "uniform" : "by failure rate") + ")");
        return augmented;
    }

    /** AdamW at the GRPO stage's lr and weight decay (β 0.9/0.95). */
    private static ParamGroupOptimizer grpoOptimizer(RunContext ctx, Transformer model) {
        return new ParamGroupOptimizer(
                model.params(),
                new OptimizerConfig(
                        OptimizerConfig.Kind.ADAMW,
                        ctx.doubleParam("lr"),
                        ctx.doubleParam("lr"),
                        0.9,
                        0.95,
                        1e-10,
                        ctx.doubleParam("weight_decay"),
                        MuonScale.SPECTRAL,
                        false));
    }

    /**
     * GRPO over the pool for {@code history[0].length} epochs (each a fresh permutation, {@code prompts}
     * problems per step): {@code history[i][e]} is problem i's rollout accuracy in epoch e, the training
     * accuracy the paper ranks examples by.
     */
    private static void grpoHistory(
            RunContext ctx,
            GrpoLearner learner,
            List<Addition.Problem> pool,
            int prompts,
            double[][] history,
            Rng order,
            long done,
            long total) {
        int n = pool.size();
        int G = learner.groupSize();
        long step = done;
        for (int epoch = 0; epoch < history[0].length; epoch++) {
            int[] perm = order.fork(epoch).permutation(n);
            for (int from = 0; from < n; from += prompts) {
                KindSupport.checkCancelled(ctx);
                int m = Math.min(prompts, n - from);
                Addition.Problem[] batch = new Addition.Problem[m];
                for (int q = 0; q < m; q++) {
                    batch[q] = pool.get(perm[from + q]);
                }
                GrpoLearner.Step st = learner.step(ctx.kernels(), batch);
                for (int q = 0; q < m; q++) {
                    history[perm[from + q]][epoch] = (double) st.correct(q, G) / G;
                }
                ctx.progress(++step, total);
            }
        }
    }

    /** Per pool problem, the fraction of {@code G} samples that are correct. */
    static double[] sampledAccuracy(
            KernelBackend k,
            Policy policy,
            Addition task,
            List<Addition.Problem> pool,
            int G,
            double temperature,
            Rng rng) {
        int L = task.length();
        int n = pool.size();
        int[] seqs = new int[n * G * L];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < G; g++) {
                task.writePrompt(pool.get(i), seqs, (i * G + g) * L);
            }
        }
        policy.generate(k, seqs, n * G, temperature, rng);
        double[] acc = new double[n];
        for (int i = 0; i < n; i++) {
            int c = 0;
            for (int g = 0; g < G; g++) {
                if (task.verify(pool.get(i), seqs, (i * G + g) * L + task.promptLength())) {
                    c++;
                }
            }
            acc[i] = (double) c / G;
        }
        return acc;
    }

    /** Index of the history with the largest standard deviation (ties: the lowest index). */
    static int selectExample(double[][] history, int points) {
        int best = 0;
        double bestStd = -1;
        for (int i = 0; i < history.length; i++) {
            double s = std(history[i], points);
            if (s > bestStd) {
                bestStd = s;
                best = i;
            }
        }
        return best;
    }

    /** Index of the history with the smallest standard deviation (ties: the lowest index). */
    static int selectLowest(double[][] history, int points) {
        int best = 0;
        double bestStd = Double.POSITIVE_INFINITY;
        for (int i = 0; i < history.length; i++) {
            double s = std(history[i], points);
            if (s < bestStd) {
                bestStd = s;
                best = i;
            }
        }
        return best;
    }

    static double std(double[] h, int points) {
        double mean = 0;
        for (int i = 0; i < points; i++) {
            mean += h[i];
        }
        mean /= points;
        double var = 0;
        for (int i = 0; i < points; i++) {
            var += (h[i] - mean) * (h[i] - mean);
        }
        return Math.sqrt(var / points);
    }

    private static void evaluate(
            RunContext ctx,
            Policy policy,
            Addition task,
            List<Addition.Problem> evalSet,
            Addition.Problem example,
            long step,
            Rng rng) {
        KernelBackend k = ctx.kernels();
        MetricSink sink = ctx.metrics();
        int L = task.length();
        int P = task.promptLength();
        int n = evalSet.size();
        // greedy pass@1 and format
        int[] seqs = new int[(n + 1) * L];
        for (int i = 0; i < n; i++) {
            task.writePrompt(evalSet.get(i), seqs, i * L);
        }
        task.writePrompt(example, seqs, n * L);
        policy.generate(k, seqs, n + 1, 1.0, null);
        int correct = 0;
        int formatted = 0;
        for (int i = 0; i < n; i++) {
            if (task.verify(evalSet.get(i), seqs, i * L + P)) {
                correct++;
            }
            boolean digitsOnly = true;
            for (int j = 0; j <= task.digits(); j++) {
                digitsOnly &= seqs[i * L + P + j] < 10;
            }
            if (digitsOnly && seqs[i * L + P + task.digits() + 1] == Addition.END) {
                formatted++;
            }
        }
        int[] catCorrect = new int[task.digits() + 1];
        int[] catAll = new int[task.digits() + 1];
        for (int i = 0; i < n; i++) {
            int c = task.carries(evalSet.get(i));
            catAll[c]++;
            catCorrect[c] += task.verify(evalSet.get(i), seqs, i * L + P) ? 1 : 0;
        }
        for (int c = 0; c < catAll.length; c++) {
            if (catAll[c] > 0) {
                sink.log(step, "eval/pass@1/carry" + c, (double) catCorrect[c] / catAll[c]);
            }
        }
        sink.log(step, "eval/pass@1", (double) correct / n);
        sink.log(step, "eval/entropy", greedyEntropy(k, policy, seqs, n, ctx.doubleParam("temperature")));
        sink.log(step, "eval/format", (double) formatted / n);
        sink.log(step, "eval/example_acc", task.verify(example, seqs, n * L + P) ? 1.0 : 0.0);
        // sampled pass@k, unbiased, from pass_n samples per problem
        int passN = ctx.intParam("pass_n");
        double temperature = ctx.doubleParam("temperature");
        int[] counts = new int[n];
        int chunk = Math.max(1, 2048 / passN);
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            int[] s = new int[m * passN * L];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < passN; j++) {
                    task.writePrompt(evalSet.get(from + i), s, (i * passN + j) * L);
                }
            }
            policy.generate(k, s, m * passN, temperature, rng);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < passN; j++) {
                    if (task.verify(evalSet.get(from + i), s, (i * passN + j) * L + P)) {
                        counts[from + i]++;
                    }
                }
            }
        }
        List<Integer> ks = new ArrayList<>();
        for (int kk = 1; kk <= passN; kk *= 2) {
            ks.add(kk);
        }
        for (int kk : ks) {
            sink.log(step, "eval/pass@" + kk + (kk == 1 ? "_sampled" : ""), PassAtK.mean(passN, counts, kk));
        }
        sink.log(step, "eval/pass@k", PassAtK.mean(passN, counts, Math.max(1, passN / 2)));
    }
}

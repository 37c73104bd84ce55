package dev.replica.experiments.rl;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.ProblemSynthesis;
import dev.replica.kernels.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One training step of SvS, self-play with variational problem synthesis (issue #18 item 1, SEEDS.md §4),
 * on toy addition:
 * <ol>
 *   <li>{@code G} solve rollouts for each prompt of the batch, rewarded by the verifier;</li>
 *   <li>up to {@code maxSynth} distinct problems whose group accuracy lies in the middle band
 *       [{@value #SOLVE_LOW}, {@value #SOLVE_HIGH}] have a correct solution turned by the policy into new
 *       problems ({@code G} synthesis rollouts each, {@link ProblemSynthesis}) that carry the original
 *       reference answer;</li>
 *   <li>each well-formed synthesized problem gets {@code G} solve rollouts, rewarded against that reference
 *       answer; a synthesis is rewarded 1 when its problem is solved in
 *       [{@value #SYNTH_LOW}, {@value #SYNTH_HIGH}] of them (1–5 of 8: sometimes, not always), else 0;</li>
 *   <li>one GRPO update on all three kinds of groups, each normalized within its group.</li>
 * </ol>
 */
public final class SelfPlaySynthesis {

    public static final double SOLVE_LOW = 0.125;
    public static final double SOLVE_HIGH = 0.5;
    public static final double SYNTH_LOW = 0.125;
    public static final double SYNTH_HIGH = 0.625;

    /**
     * What one step did: the update's loss terms, the batch's solve accuracy, how many band problems were
     * synthesized from, synthesized problems (well-formed, valid: a + b equals the reference answer), the mean
     * synthesis reward, the solve accuracy on well-formed synthesized problems and the rollouts sampled.
     */
    public record Result(
            Grpo.Stats stats,
            double solveAcc,
            int bandProblems,
            int synthesized,
            int wellFormed,
            int valid,
            double synthReward,
            double synthSolveAcc,
            int rollouts) {}

    private final GrpoLearner learner;
    private final Addition task;
    private final ProblemSynthesis synthesis;

    public SelfPlaySynthesis(GrpoLearner learner, Addition task) {
        this.learner = learner;
        this.task = task;
        this.synthesis = new ProblemSynthesis(task);
    }

    static boolean inBand(int correct, int G, double lo, double hi) {
        double acc = (double) correct / G;
        return acc >= lo - 1e-12 && acc <= hi + 1e-12;
    }

    public Result step(KernelBackend k, Addition.Problem[] prompts, int maxSynth) {
        int G = learner.groupSize();
        int L = task.length();
        int P = task.promptLength();
        // 1. solve
        int[] solve = learner.rollouts(k, prompts);
        int nSolve = prompts.length * G;
        float[] solveReward = new float[nSolve];
        int solved = 0;
        for (int b = 0; b < nSolve; b++) {
            solveReward[b] = task.verify(prompts[b / G], solve, b * L + P) ? 1f : 0f;
            solved += (int) solveReward[b];
        }
        // 2. synthesize from the middle band
        List<Addition.Problem> band = new ArrayList<>();
        for (int q = 0; q < prompts.length && band.size() < maxSynth; q++) {
            int c = 0;
            for (int g = 0; g < G; g++) {
                c += (int) solveReward[q * G + g];
            }
            if (inBand(c, G, SOLVE_LOW, SOLVE_HIGH) && !band.contains(prompts[q])) {
                band.add(prompts[q]);
            }
        }
        int nSyn = band.size() * G;
        int[] syn = new int[nSyn * L];
        for (int i = 0; i < nSyn; i++) {
            synthesis.writePrompt(band.get(i / G).sum(), syn, i * L);
        }
        int SP = synthesis.promptLength();
        if (nSyn > 0) {
            learner.sample(k, syn, nSyn, SP);
        }
        List<Addition.Problem> posed = new ArrayList<>();
        List<Integer> posedRow = new ArrayList<>();
        int valid = 0;
        for (int i = 0; i < nSyn; i++) {
            Optional<Addition.Problem> p = synthesis.parse(syn, i * L + SP);
            if (p.isPresent()) {
                posed.add(p.get());
                posedRow.add(i);
                if (p.get().sum() == band.get(i / G).sum()) {
                    valid++;
                }
            }
        }
        // 3. solve the synthesized problems against the reference answer they carry
        int[] posedSolve = posed.isEmpty() ? new int[0] : learner.rollouts(k, posed.toArray(new Addition.Problem[0]));
        int nPosed = posed.size() * G;
        float[] posedReward = new float[nPosed];
        float[] synReward = new float[nSyn];
        int posedSolved = 0;
        for (int j = 0; j < posed.size(); j++) {
            long reference = band.get(posedRow.get(j) / G).sum();
            int c = 0;
            for (int g = 0; g < G; g++) {
                int b = j * G + g;
                posedReward[b] = task.verifySum(reference, posedSolve, b * L + P) ? 1f : 0f;
                c += (int) posedReward[b];
            }
            posedSolved += c;
            synReward[posedRow.get(j)] = inBand(c, G, SYNTH_LOW, SYNTH_HIGH) ? 1f : 0f;
        }
        // 4. one update on solve, synthesis and synthetic-solve groups
        int B = nSolve + nSyn + nPosed;
        int[] all = new int[B * L];
        int[] promptLength = new int[B];
        float[] reward = new float[B];
        System.arraycopy(solve, 0, all, 0, nSolve * L);
        System.arraycopy(syn, 0, all, nSolve * L, nSyn * L);
        System.arraycopy(posedSolve, 0, all, (nSolve + nSyn) * L, nPosed * L);
        System.arraycopy(solveReward, 0, reward, 0, nSolve);
        System.arraycopy(synReward, 0, reward, nSolve, nSyn);
        System.arraycopy(posedReward, 0, reward, nSolve + nSyn, nPosed);
        for (int b = 0; b < B; b++) {
            promptLength[b] = b >= nSolve && b < nSolve + nSyn ? SP : P;
        }
        Grpo.Stats st = learner.update(k, all, promptLength, reward);
        double synMean = 0;
        for (float r : synReward) {
            synMean += r;
        }
        return new Result(
                st,
                (double) solved / nSolve,
                band.size(),
                nSyn,
                posed.size(),
                valid,
                nSyn == 0 ? 0 : synMean / nSyn,
                nPosed == 0 ? 0 : (double) posedSolved / nPosed,
                B);
    }
}

package dev.replica.experiments.compare;

/**
 * One candidate group against the baseline on one scalar per run (two-sided tests).
 *
 * @param candidate the candidate group
 * @param baseline the baseline group
 * @param nCandidate runs of the candidate with a value
 * @param nBaseline runs of the baseline with a value
 * @param meanCandidate mean scalar of the candidate
 * @param meanBaseline mean scalar of the baseline
 * @param welchT Welch t statistic (candidate minus baseline)
 * @param welchDf Welch degrees of freedom
 * @param welchP Welch p-value
 * @param welchPHolm Welch p-value, Holm-adjusted over all candidates
 * @param mannWhitneyU U statistic of the candidate
 * @param mannWhitneyP Mann–Whitney p-value
 * @param mannWhitneyPHolm Mann–Whitney p-value, Holm-adjusted over all candidates
 * @param cohensD effect size (candidate minus baseline, pooled sd)
 * @param hedgesG bias-corrected effect size
 */
public record PairwiseComparison(
        GroupKey candidate,
        GroupKey baseline,
        int nCandidate,
        int nBaseline,
        double meanCandidate,
        double meanBaseline,
        double welchT,
        double welchDf,
        double welchP,
        double welchPHolm,
        double mannWhitneyU,
        double mannWhitneyP,
        double mannWhitneyPHolm,
        double cohensD,
        double hedgesG) {}

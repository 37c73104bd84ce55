package dev.replica.backend.compare;

import dev.replica.experiments.compare.EfficiencyEstimate;
import java.util.Map;

/**
 * One configuration of an experiment (its seeds pooled) on the primary metric's final value.
 *
 * @param params      the parameters that vary across the experiment
 * @param runs        runs with a value
 * @param mean        mean over seeds
 * @param ciLow       95% confidence interval (Student t), low end; NaN with fewer than two runs
 * @param ciHigh      high end
 * @param baseline    whether this is a baseline group
 * @param pVsBaseline Welch p-value against the matching baseline group (Holm-adjusted over all rows);
 *                    NaN when there is no baseline or too few runs
 * @param efficiency  the spec's efficiency measure against the matching baseline group (seed-mean curves,
 *                    bootstrap CI over seeds); null when the spec asks for none, for baseline rows, or
 *                    when the baseline has no values
 */
public record GroupRow(
        Map<String, Object> params,
        int runs,
        double mean,
        double ciLow,
        double ciHigh,
        boolean baseline,
        double pVsBaseline,
        EfficiencyEstimate.Result efficiency) {}

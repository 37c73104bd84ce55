package dev.replica.backend.search;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An experiment's adaptive search as the API shows it: its settings, the budget spent and left, every rung with
 * its members and cut-off, the early-stopping decisions and TPE's proposals. Built from the database (the runs,
 * the metric summaries and the search log), so it reads the same after a restart.
 *
 * @param experimentId the experiment
 * @param method       grid, random, asha, hyperband or tpe
 * @param resource     the resource axis rungs sit on (asha, hyperband), else null
 * @param eta          reduction factor (asha, hyperband), else null
 * @param brackets     Hyperband brackets (1 for asha), else null
 * @param pruneOn      mean or upper_ci (asha, hyperband), else null
 * @param nStartup     random proposals before the model (tpe), else null
 * @param parallel     configurations in flight at once (tpe), else null
 * @param budget       what has been spent and what is left
 * @param rungs        each rung reached so far, by bracket then rung
 * @param decisions    every early-stopping decision, oldest first
 * @param proposals    TPE's proposals in order (empty for other methods)
 */
public record SearchState(
        long experimentId,
        String method,
        String resource,
        Integer eta,
        Integer brackets,
        String pruneOn,
        Integer nStartup,
        Integer parallel,
        Budget budget,
        List<Rung> rungs,
        List<Decision> decisions,
        List<Proposal> proposals) {

    /**
     * The budget.
     *
     * @param maxRuns        the run budget ({@code max_runs}), null when unbounded
     * @param configurations how many configurations the search may try
     * @param started        configurations created so far (TPE creates them as it goes)
     * @param runs           runs created so far
     * @param finished       runs that have ended (succeeded, failed, cancelled, pruned)
     * @param pruned         runs stopped by early stopping
     * @param resourceSpent  the resource spent so far: the sum over runs of the last step they logged
     */
    public record Budget(
            Integer maxRuns, int configurations, int started, int runs, int finished, int pruned, long resourceSpent) {}

    /**
     * A rung as its decisions left it.
     *
     * @param bracket  Hyperband bracket (0 for ASHA)
     * @param rung     index within the bracket
     * @param resource where it sits on the resource axis
     * @param cutoff   the cut-off of its latest decision
     * @param members  the configurations that reached it, in arrival order
     */
    public record Rung(int bracket, int rung, long resource, Double cutoff, List<Member> members) {}

    /**
     * A configuration at a rung.
     *
     * @param label  its swept parameters
     * @param mean   its seeds' mean at the rung
     * @param ciLow  lower end of the mean's 95% CI (null with one seed)
     * @param ciHigh upper end
     * @param rank   its rank among those that had arrived when it was judged (1 = best)
     * @param pruned whether it was stopped here
     */
    public record Member(String label, Double mean, Double ciLow, Double ciHigh, int rank, boolean pruned) {}

    /**
     * One early-stopping decision.
     *
     * @param at          when
     * @param label       the configuration
     * @param bracket     Hyperband bracket
     * @param rung        rung index
     * @param resource    the rung's resource
     * @param pruned      stopped (true) or promoted
     * @param mean        seeds' mean at the rung
     * @param ciLow       lower end of its 95% CI
     * @param ciHigh      upper end
     * @param seedValues  each seed run's value at the rung
     * @param cutoff      the rung's cut-off then
     * @param rank        its rank then
     * @param reached     how many configurations had reached the rung then
     * @param stoppedRuns the runs it stopped
     */
    public record Decision(
            Instant at,
            String label,
            int bracket,
            int rung,
            long resource,
            boolean pruned,
            Double mean,
            Double ciLow,
            Double ciHigh,
            List<Double> seedValues,
            Double cutoff,
            int rank,
            int reached,
            List<Long> stoppedRuns) {}

    /**
     * One TPE proposal.
     *
     * @param index    position in the search
     * @param params   the swept parameters proposed
     * @param origin   startup (random) or model
     * @param observed finished configurations it was proposed from
     * @param pending  in-flight configurations that stood in as the worst result
     * @param status   running (some seed run not ended), finished, pruned, or failed (no value on any seed)
     * @param value    its seeds' mean of the primary metric once ended, else null
     * @param at       when it was proposed
     */
    public record Proposal(
            int index,
            Map<String, Object> params,
            String origin,
            int observed,
            int pending,
            String status,
            Double value,
            Instant at) {}
}

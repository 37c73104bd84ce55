package dev.replica.backend.search;

import static dev.replica.backend.db.Tables.SEARCH_DECISION;
import static dev.replica.backend.db.Tables.SEARCH_PROPOSAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.experiments.search.RungDecision;
import dev.replica.experiments.search.Tpe;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.sweep.PlannedRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * What a search has done, in the database: TPE's proposals (each with the results it was proposed from, so it
 * replays) and every early-stopping decision. The search state shown over REST is read back from here, so it
 * outlives the process that decided.
 */
@ApplicationScoped
public class SearchLog {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DSLContext dsl;

    /**
     * A stored proposal.
     *
     * @param index     its position in the search
     * @param configKey the key its runs carry
     * @param params    the swept parameters proposed
     * @param origin    {@code startup} (random) or {@code model}
     * @param observed  how many finished configurations it was proposed from
     * @param pending   how many in-flight configurations stood in as the worst result
     * @param results   the results it was proposed from, in the order given to the sampler
     * @param at        when it was proposed
     */
    public record StoredProposal(
            int index,
            String configKey,
            Map<String, Object> params,
            String origin,
            int observed,
            int pending,
            List<StoredResult> results,
            Instant at) {}

    /**
     * One result as the sampler saw it.
     *
     * @param proposal the proposal index of the configuration
     * @param value    its seeds' mean (null when it had none)
     * @param reached  the rung it was pruned at (0 when it ran to the end)
     * @param complete whether it ran to the end
     */
    public record StoredResult(int proposal, Double value, long reached, boolean complete) {}

    /**
     * A stored early-stopping decision.
     *
     * @param configKey   the configuration's key
     * @param label       the configuration by its swept parameters
     * @param decision    the decision as taken (non-finite means stored as NaN)
     * @param stoppedRuns the runs it stopped
     * @param at          when it was taken
     */
    public record StoredDecision(
            String configKey, String label, RungDecision decision, List<Long> stoppedRuns, Instant at) {}

    /**
     * Records the proposals a TPE experiment starts with (random draws; see {@code SweepPlanner}): the distinct
     * configurations of its plan, in order, by their swept parameters.
     */
    public void recordPlan(long experimentId, ExperimentSpec spec, List<PlannedRun> plan, Instant now) {
        int seeds = spec.seeds().size();
        for (int i = 0; i * seeds < plan.size(); i++) {
            PlannedRun first = plan.get(i * seeds);
            Map<String, Object> swept = new LinkedHashMap<>();
            for (String name : spec.sweep().random().params().keySet()) {
                swept.put(name, first.params().get(name));
            }
            insert(
                    experimentId,
                    new Tpe.Proposal(i, swept, Tpe.Origin.STARTUP, 0, i),
                    first.configKey(),
                    List.of(),
                    now);
        }
    }

    /** Stores one proposal; fails on a duplicate index, so two processes cannot both propose the same slot. */
    void insert(long experimentId, Tpe.Proposal p, String configKey, List<StoredResult> results, Instant now) {
        dsl.insertInto(SEARCH_PROPOSAL)
                .set(SEARCH_PROPOSAL.EXPERIMENT_ID, experimentId)
                .set(SEARCH_PROPOSAL.PROPOSAL_INDEX, p.index())
                .set(SEARCH_PROPOSAL.CONFIG_KEY, configKey)
                .set(SEARCH_PROPOSAL.PARAMS_JSON, write(p.params()))
                .set(SEARCH_PROPOSAL.ORIGIN, p.origin().label())
                .set(SEARCH_PROPOSAL.OBSERVED, p.observed())
                .set(SEARCH_PROPOSAL.PENDING, p.pending())
                .set(SEARCH_PROPOSAL.RESULTS_JSON, write(results))
                .set(SEARCH_PROPOSAL.CREATED_AT, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .execute();
    }

    /** An experiment's proposals, in order. */
    public List<StoredProposal> proposals(long experimentId) {
        return dsl.selectFrom(SEARCH_PROPOSAL)
                .where(SEARCH_PROPOSAL.EXPERIMENT_ID.eq(experimentId))
                .orderBy(SEARCH_PROPOSAL.PROPOSAL_INDEX)
                .fetch(r -> new StoredProposal(
                        r.getProposalIndex(),
                        r.getConfigKey(),
                        read(r.getParamsJson(), new TypeReference<LinkedHashMap<String, Object>>() {}),
                        r.getOrigin(),
                        r.getObserved(),
                        r.getPending(),
                        read(r.getResultsJson(), new TypeReference<List<StoredResult>>() {}),
                        r.getCreatedAt().toInstant()));
    }

    /** Experiments that have a proposal log. */
    List<Long> proposingExperiments() {
        return dsl.selectDistinct(SEARCH_PROPOSAL.EXPERIMENT_ID)
                .from(SEARCH_PROPOSAL)
                .fetch(SEARCH_PROPOSAL.EXPERIMENT_ID);
    }

    /** Stores one early-stopping decision. */
    void record(long experimentId, String label, RungDecision d, List<Long> stopped, Instant now) {
        dsl.insertInto(SEARCH_DECISION)
                .set(SEARCH_DECISION.EXPERIMENT_ID, experimentId)
                .set(SEARCH_DECISION.CONFIG_KEY, d.config())
                .set(SEARCH_DECISION.LABEL, label)
                .set(SEARCH_DECISION.BRACKET, d.bracket())
                .set(SEARCH_DECISION.RUNG, d.rung())
                .set(SEARCH_DECISION.RESOURCE, d.resource())
                .set(SEARCH_DECISION.PRUNED, d.pruned())
                .set(SEARCH_DECISION.MEAN, finite(d.mean()))
                .set(SEARCH_DECISION.CI_LOW, finite(d.ciLow()))
                .set(SEARCH_DECISION.CI_HIGH, finite(d.ciHigh()))
                .set(SEARCH_DECISION.CUTOFF, finite(d.cutoff()))
                .set(SEARCH_DECISION.RANK, d.rank())
                .set(SEARCH_DECISION.REACHED, d.reached())
                .set(
                        SEARCH_DECISION.SEED_VALUES,
                        write(d.seeds().stream().map(SearchLog::finite).toList()))
                .set(SEARCH_DECISION.STOPPED_RUNS, write(stopped))
                .set(SEARCH_DECISION.AT, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .execute();
    }

    /** An experiment's early-stopping decisions, oldest first. */
    public List<StoredDecision> decisions(long experimentId) {
        return dsl.selectFrom(SEARCH_DECISION)
                .where(SEARCH_DECISION.EXPERIMENT_ID.eq(experimentId))
                .orderBy(SEARCH_DECISION.ID)
                .fetch(r -> {
                    List<Double> seeds = read(r.getSeedValues(), new TypeReference<List<Double>>() {});
                    List<Double> seedValues = new ArrayList<>();
                    for (Double v : seeds) {
                        seedValues.add(v == null ? Double.NaN : v);
                    }
                    RungDecision d = new RungDecision(
                            r.getConfigKey(),
                            r.getBracket(),
                            r.getRung(),
                            r.getResource(),
                            r.getPruned(),
                            orNaN(r.getMean()),
                            orNaN(r.getCiLow()),
                            orNaN(r.getCiHigh()),
                            seedValues,
                            orNaN(r.getCutoff()),
                            r.getRank(),
                            r.getReached());
                    return new StoredDecision(
                            r.getConfigKey(),
                            r.getLabel(),
                            d,
                            read(r.getStoppedRuns(), new TypeReference<List<Long>>() {}),
                            r.getAt().toInstant());
                });
    }

    /** Columns hold finite numbers only (PostgreSQL and H2 disagree on ±Inf/NaN round trips). */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }

    static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the search log: " + json, e);
        }
    }

    /** Results as the sampler takes them. */
    static List<Tpe.Result> results(List<StoredResult> stored, Map<Integer, Map<String, Object>> paramsByIndex) {
        List<Tpe.Result> out = new ArrayList<>();
        for (StoredResult r : stored) {
            out.add(new Tpe.Result(
                    paramsByIndex.get(r.proposal()),
                    r.value() == null ? Double.NaN : r.value(),
                    r.reached(),
                    r.complete()));
        }
        return out;
    }
}

package dev.replica.backend.search;

import static dev.replica.backend.db.Tables.METRIC_SUMMARY;
import static dev.replica.backend.db.Tables.RUN;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.search.RungDecision;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.InvalidInputException;
import dev.replica.experiments.spec.SearchSpec;
import dev.replica.experiments.sweep.SweepPlanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Reads an experiment's search state back from the database: the same answer before and after a restart. */
@ApplicationScoped
public class SearchStateService {

    @Inject
    ExperimentService experiments;

    @Inject
    SearchLog log;

    @Inject
    DSLContext dsl;

    /**
     * The search state of an experiment; empty when it has no such experiment.
     *
     * @throws InvalidInputException when the experiment's sweep is not a search (no {@code sweep.method})
     */
    public Optional<SearchState> of(long experimentId) {
        ExperimentSpec spec;
        try {
            spec = experiments.specOf(experimentId);
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
        SearchSpec search = spec.sweep().search();
        if (search == null) {
            throw new InvalidInputException(
                    "experiment",
                    "experiment " + experimentId
                            + " is not a search: its spec has no sweep.method (asha, hyperband, tpe, random or grid)");
        }
        boolean prunes = search.method().prunes();
        boolean proposes = search.method().proposes();
        List<SearchLog.StoredDecision> decisions = log.decisions(experimentId);
        List<SearchState.Proposal> proposals = proposes ? proposals(experimentId, spec) : List.of();
        return Optional.of(new SearchState(
                experimentId,
                search.method().label(),
                prunes ? search.resource() : null,
                prunes ? search.eta() : null,
                prunes ? search.brackets() : null,
                prunes ? search.pruneOn().label() : null,
                proposes ? search.nStartup() : null,
                proposes ? search.parallel() : null,
                budget(experimentId, spec),
                rungs(decisions),
                decisions.stream().map(SearchStateService::decision).toList(),
                proposals));
    }

    private List<SearchState.Proposal> proposals(long experimentId, ExperimentSpec spec) {
        SearchProgress progress =
                SearchProgress.load(dsl, experimentId, spec.metric().primary());
        List<SearchState.Proposal> out = new ArrayList<>();
        for (SearchLog.StoredProposal p : log.proposals(experimentId)) {
            Double value =
                    progress.resultOf(p).map(SearchLog.StoredResult::value).orElse(null);
            out.add(new SearchState.Proposal(
                    p.index(), p.params(), p.origin(), p.observed(), p.pending(), progress.status(p), value, p.at()));
        }
        return out;
    }

    private SearchState.Budget budget(long experimentId, ExperimentSpec spec) {
        Map<RunState, Integer> states = new LinkedHashMap<>();
        dsl.select(RUN.STATE, DSL.count())
                .from(RUN)
                .where(RUN.EXPERIMENT_ID.eq(experimentId))
                .groupBy(RUN.STATE)
                .forEach(r -> states.put(RunState.valueOf(r.value1()), r.value2()));
        int runs = states.values().stream().mapToInt(Integer::intValue).sum();
        int finished = states.entrySet().stream()
                .filter(e -> e.getKey().isFinal())
                .mapToInt(Map.Entry::getValue)
                .sum();
        int configurations;
        int started;
        int seeds = spec.seeds().size();
        if (spec.sweep().search().method().proposes()) {
            configurations = SweepPlanner.configurations(spec);
            started = log.proposals(experimentId).size();
        } else {
            configurations = SweepPlanner.plan(spec).size() / seeds;
            started = runs / seeds;
        }
        // a run's spend is the furthest step it logged, over all its metrics
        var perRun = dsl.select(
                        METRIC_SUMMARY.RUN_ID, DSL.max(METRIC_SUMMARY.LAST_STEP).as("steps"))
                .from(METRIC_SUMMARY)
                .join(RUN)
                .on(RUN.ID.eq(METRIC_SUMMARY.RUN_ID))
                .where(RUN.EXPERIMENT_ID.eq(experimentId))
                .groupBy(METRIC_SUMMARY.RUN_ID)
                .asTable("per_run");
        Number spent = dsl.select(DSL.sum(perRun.field("steps", Long.class)))
                .from(perRun)
                .fetchOne(0, Number.class);
        return new SearchState.Budget(
                spec.sweep().search().maxRuns(),
                configurations,
                started,
                runs,
                finished,
                states.getOrDefault(RunState.PRUNED, 0),
                spent == null ? 0 : spent.longValue());
    }

    /** Rungs in bracket and rung order, each with the configurations judged there in the order they arrived. */
    static List<SearchState.Rung> rungs(List<SearchLog.StoredDecision> decisions) {
        Map<List<Integer>, List<SearchLog.StoredDecision>> byRung = new java.util.TreeMap<>(
                java.util.Comparator.<List<Integer>>comparingInt(k -> k.get(0)).thenComparingInt(k -> k.get(1)));
        for (SearchLog.StoredDecision d : decisions) {
            byRung.computeIfAbsent(List.of(d.decision().bracket(), d.decision().rung()), k -> new ArrayList<>())
                    .add(d);
        }
        List<SearchState.Rung> out = new ArrayList<>();
        for (List<SearchLog.StoredDecision> members : byRung.values()) {
            RungDecision last = members.get(members.size() - 1).decision();
            out.add(new SearchState.Rung(
                    last.bracket(),
                    last.rung(),
                    last.resource(),
                    finite(last.cutoff()),
                    members.stream()
                            .map(m -> new SearchState.Member(
                                    m.label(),
                                    finite(m.decision().mean()),
                                    finite(m.decision().ciLow()),
                                    finite(m.decision().ciHigh()),
                                    m.decision().rank(),
                                    m.decision().pruned()))
                            .toList()));
        }
        return out;
    }

    private static SearchState.Decision decision(SearchLog.StoredDecision s) {
        RungDecision d = s.decision();
        return new SearchState.Decision(
                s.at(),
                s.label(),
                d.bracket(),
                d.rung(),
                d.resource(),
                d.pruned(),
                finite(d.mean()),
                finite(d.ciLow()),
                finite(d.ciHigh()),
                d.seeds().stream().map(SearchStateService::finite).toList(),
                finite(d.cutoff()),
                d.rank(),
                d.reached(),
                s.stoppedRuns());
    }

    private static Double finite(double v) {
        return SearchLog.finite(v);
    }
}

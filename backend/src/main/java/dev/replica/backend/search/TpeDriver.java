package dev.replica.backend.search;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.experiments.search.Tpe;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.sweep.PlannedRun;
import dev.replica.experiments.sweep.SweepPlanner;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jooq.DSLContext;

/**
 * Creates the runs of a TPE search as it goes: whenever fewer than {@code parallel} configurations are in flight
 * and the budget allows, the next one is proposed from the finished ones and its seed runs are queued. Called by
 * the scheduler on every tick; everything it needs (proposals, run states, final values) is in the database, so a
 * restarted server, or another process, continues the same search.
 */
@ApplicationScoped
public class TpeDriver {

    private static final Logger LOG = Logger.getLogger(TpeDriver.class);

    @Inject
    ExperimentService experiments;

    @Inject
    SearchLog log;

    @Inject
    DSLContext dsl;

    /** Experiments whose search has nothing left to propose, or that do not propose. */
    private final Set<Long> closed = ConcurrentHashMap.newKeySet();

    private final Map<Long, ExperimentSpec> specs = new ConcurrentHashMap<>();

    /**
     * Proposes what the searches (one experiment, or every one when null) may propose now.
     *
     * @return how many runs were queued
     */
    public synchronized int refill(Long experimentId) {
        List<Long> ids = experimentId == null ? log.proposingExperiments() : List.of(experimentId);
        int queued = 0;
        for (long id : ids) {
            if (closed.contains(id)) {
                continue;
            }
            try {
                queued += refillOne(id);
            } catch (RuntimeException e) {
                // e.g. another process proposed the same index first: its proposal stands, try again next tick
                LOG.debugf(e, "experiment %d: no proposal this tick", id);
            }
        }
        return queued;
    }

    private int refillOne(long experimentId) {
        ExperimentSpec spec = specs.computeIfAbsent(experimentId, this::specOrNull);
        if (spec == null
                || spec.sweep().search() == null
                || !spec.sweep().search().method().proposes()) {
            closed.add(experimentId);
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> proposeWhatFits(experimentId, spec));
    }

    private ExperimentSpec specOrNull(long experimentId) {
        try {
            return experiments.specOf(experimentId);
        } catch (RuntimeException e) {
            return null; // not a Replica spec (e.g. made through the MLflow API)
        }
    }

    private int proposeWhatFits(long experimentId, ExperimentSpec spec) {
        int budget = SweepPlanner.configurations(spec);
        int parallel = spec.sweep().search().parallel();
        int seeds = spec.seeds().size();
        List<SearchLog.StoredProposal> proposals = log.proposals(experimentId);
        SearchProgress progress =
                SearchProgress.load(dsl, experimentId, spec.metric().primary());
        List<SearchLog.StoredResult> results = new ArrayList<>();
        List<Map<String, Object>> earlier = new ArrayList<>();
        Map<Integer, Map<String, Object>> paramsByIndex = new HashMap<>();
        int inFlight = 0;
        for (SearchLog.StoredProposal p : proposals) {
            earlier.add(p.params());
            paramsByIndex.put(p.index(), p.params());
            Optional<SearchLog.StoredResult> r = progress.resultOf(p);
            if (r.isPresent()) {
                results.add(r.get());
            } else {
                inFlight++;
            }
        }
        Tpe tpe = SweepPlanner.tpe(spec);
        int queued = 0;
        int next = proposals.size();
        while (next < budget && inFlight < parallel) {
            Tpe.Proposal p = tpe.propose(next, SearchLog.results(results, paramsByIndex), earlier);
            if (p == null) {
                LOG.infof("experiment %d: the search space has no new configuration left after %d", experimentId, next);
                closed.add(experimentId);
                break;
            }
            PlannedRun.Point point = SweepPlanner.point(spec, p.params());
            log.insert(experimentId, p, point.configKey(), List.copyOf(results), Instant.now());
            List<PlannedRun> runs = new ArrayList<>();
            for (int s = 0; s < seeds; s++) {
                runs.add(new PlannedRun(
                        next * seeds + s, point.params(), spec.seeds().get(s), point.configKey()));
            }
            experiments.append(experimentId, runs, spec.retries(), spec.tags());
            earlier.add(p.params());
            paramsByIndex.put(next, p.params());
            queued += runs.size();
            inFlight++;
            next++;
        }
        if (next >= budget) {
            closed.add(experimentId);
        }
        return queued;
    }

    /** Forgets what this process cached about an experiment (it was deleted). */
    public void forget(long experimentId) {
        closed.remove(experimentId);
        specs.remove(experimentId);
    }
}

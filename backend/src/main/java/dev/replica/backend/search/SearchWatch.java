package dev.replica.backend.search;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.backend.event.RunEventBus;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.metric.MetricsAppended;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunState;
import dev.replica.backend.scheduler.RunPruner;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.search.RungDecision;
import dev.replica.experiments.search.Rungs;
import dev.replica.experiments.search.SuccessiveHalving;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SearchSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import org.jboss.logging.Logger;

/**
 * Early stopping while runs report: every appended metric batch of a run whose experiment searches with
 * {@code method: asha | hyperband} is fed, row by row, to the experiment's {@link SuccessiveHalving}; when it
 * prunes a configuration, every unfinished seed run of it is stopped through {@link RunPruner}. Decisions are kept
 * for {@link #drain} (what {@code replica run} prints as they happen).
 *
 * <p>The rung records live in this process: the one that executes the runs and so receives their metrics.
 */
@ApplicationScoped
public class SearchWatch {

    private static final Logger LOG = Logger.getLogger(SearchWatch.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Decisions kept per experiment until {@link #drain} takes them. */
    static final int MAX_UNDRAINED = 10_000;

    @Inject
    ExperimentService experiments;

    @Inject
    RunPruner pruner;

    @Inject
    RunEventBus bus;

    @Inject
    SearchLog log;

    /** Experiment → its search, or empty when it does not stop early. */
    private final Map<Long, Optional<Search>> searches = new ConcurrentHashMap<>();
    /** Run → where it sits in its search. */
    private final Map<Long, RunKey> runKeys = new ConcurrentHashMap<>();

    /** A run's place in its experiment: its configuration, seed and Hyperband bracket. */
    private record RunKey(long experimentId, String config, long seed, int runIndex, Map<String, Object> params) {}

    /** One experiment's search: the decision component, each run's latest resource, undelivered decisions. */
    private static final class Search {
        final ExperimentSpec spec;
        final SearchSpec settings;
        final SuccessiveHalving halving;
        final Map<Long, Long> resourceOf = new ConcurrentHashMap<>();
        /** Bounded: a server where no CLI drains them keeps the latest only. */
        final LinkedBlockingDeque<SearchEvent> events = new LinkedBlockingDeque<>(MAX_UNDRAINED);

        Search(ExperimentSpec spec) {
            this.spec = spec;
            this.settings = spec.sweep().search();
            this.halving = new SuccessiveHalving(
                    Rungs.of(settings),
                    spec.metric().goal(),
                    settings.pruneOn(),
                    spec.seeds().size());
        }

        /** The configuration by its swept parameters, in axis order: {@code lr=0.01, optimizer=muon}. */
        String label(Map<String, Object> params) {
            List<String> axes = new ArrayList<>(spec.sweep().grid().keySet());
            axes.addAll(spec.sweep().zip().keySet());
            if (spec.sweep().random() != null) {
                axes.addAll(spec.sweep().random().params().keySet());
            }
            StringBuilder sb = new StringBuilder();
            for (String axis : axes) {
                sb.append(sb.isEmpty() ? "" : ", ").append(axis).append('=').append(params.get(axis));
            }
            return sb.toString();
        }

        /** Configurations go to brackets in plan order, round robin (plan order is configuration-major). */
        int bracketOf(int runIndex) {
            return (runIndex / spec.seeds().size()) % settings.brackets();
        }
    }

    void onAppend(@Observes MetricsAppended appended) {
        RunKey key = runKeys.computeIfAbsent(appended.runId(), this::lookup);
        if (key.experimentId() < 0) {
            return;
        }
        Optional<Search> search = searches.computeIfAbsent(key.experimentId(), this::searchOf);
        search.ifPresent(s -> observe(s, key, appended.runId(), appended.batch()));
    }

    /** The decisions taken since the last call, oldest first. */
    public List<SearchEvent> drain(long experimentId) {
        List<SearchEvent> out = new ArrayList<>();
        Optional<Search> search = searches.getOrDefault(experimentId, Optional.empty());
        search.ifPresent(s -> {
            for (SearchEvent e; (e = s.events.poll()) != null; ) {
                out.add(e);
            }
        });
        return out;
    }

    private void observe(Search s, RunKey key, long runId, MetricBatch batch) {
        int primary = batch.metricIndex(s.spec.metric().primary());
        boolean byStep = SearchSpec.STEP.equals(s.settings.resource());
        int resourceColumn = byStep ? -1 : batch.metricIndex(s.settings.resource());
        int bracket = s.bracketOf(key.runIndex());
        for (int row = 0; row < batch.size(); row++) {
            if (s.halving.isPruned(key.config())) {
                return;
            }
            long resource;
            if (byStep) {
                resource = batch.step(row);
            } else if (resourceColumn >= 0 && batch.isPresent(resourceColumn, row)) {
                resource = (long) Math.floor(batch.value(resourceColumn, row));
                s.resourceOf.put(runId, resource);
            } else {
                resource = s.resourceOf.getOrDefault(runId, 0L);
            }
            if (primary < 0 || !batch.isPresent(primary, row)) {
                continue;
            }
            double value = batch.value(primary, row);
            for (RungDecision d : s.halving.report(key.config(), bracket, key.seed(), resource, value)) {
                decided(s, key, runId, d);
            }
        }
    }

    private void decided(Search s, RunKey key, long runId, RungDecision d) {
        String text = d.describe(s.settings.resource());
        List<Long> stopped = new ArrayList<>();
        if (d.pruned()) {
            String why = text + " (" + s.settings.method().label() + ", eta " + s.settings.eta() + ", prune_on "
                    + s.settings.pruneOn().label() + ")";
            for (long seedRun : unfinishedRunsOf(key.experimentId(), d.config())) {
                pruner.prune(seedRun, d.resource(), why);
                stopped.add(seedRun);
            }
        }
        LOG.debugf("experiment %d: %s: %s", key.experimentId(), d.config(), text);
        SearchEvent event = new SearchEvent(key.experimentId(), s.label(key.params()), d, stopped, text);
        java.time.Instant now = java.time.Instant.now();
        QuarkusTransaction.requiringNew().run(() -> log.record(key.experimentId(), event.label(), d, stopped, now));
        while (!s.events.offerLast(event)) {
            s.events.pollFirst();
        }
        bus.search(runId, key.experimentId(), event.label() + ": " + text, now);
    }

    private List<Long> unfinishedRunsOf(long experimentId, String config) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Run.<Run>list(
                                "experiment.id = ?1 and configKey = ?2 and state in ?3 order by runIndex",
                                experimentId,
                                config,
                                List.of(RunState.QUEUED, RunState.RUNNING))
                        .stream()
                        .map(r -> r.id)
                        .toList());
    }

    private RunKey lookup(long runId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Run.<Run>findByIdOptional(runId)
                        .map(r -> new RunKey(r.experiment.id, r.configKey, r.seed, r.runIndex, params(r.paramsJson)))
                        .orElse(new RunKey(-1, "", 0, 0, Map.of())));
    }

    private static Map<String, Object> params(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    private Optional<Search> searchOf(long experimentId) {
        ExperimentSpec spec;
        try {
            spec = experiments.specOf(experimentId);
        } catch (RuntimeException e) {
            return Optional.empty(); // e.g. an experiment made through the MLflow API: no Replica spec to search by
        }
        if (spec == null || !spec.sweep().prunes() || spec.metric() == null) {
            return Optional.empty();
        }
        return Optional.of(new Search(spec));
    }
}

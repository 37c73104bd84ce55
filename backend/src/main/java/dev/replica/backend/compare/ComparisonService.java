package dev.replica.backend.compare;

import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.compare.ComparisonEngine;
import dev.replica.experiments.compare.ComparisonQuestion;
import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.compare.ComparisonRun;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.SeriesQueries;
import dev.replica.experiments.metrics.XAxis;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.InvalidInputException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the {@link ComparisonEngine}: reads runs from the database and their metric from the store, and
 * the question's defaults from the experiment's spec. It computes nothing itself, so the CLI, the REST
 * API, the compare page and reports show the same numbers.
 */
@ApplicationScoped
public class ComparisonService {

    @Inject
    RunQueries runs;

    @Inject
    ExperimentRepository experiments;

    @Inject
    ExperimentService experimentService;

    @Inject
    MetricStore store;

    /**
     * What a caller may override of the spec's question; null or empty parts take the spec's.
     *
     * @param metric the metric
     * @param value {@code final}, {@code best}, {@code min}, {@code max} or {@code mean_last_K}
     * @param by grouping parameters
     * @param baseline the baseline's parameter values
     * @param goal {@code min} or {@code max}
     */
    public record Ask(String metric, String value, List<String> by, Map<String, Object> baseline, String goal) {
        public static final Ask SPEC = new Ask(null, null, List.of(), Map.of(), null);

        /**
         * Reads {@code by=a,b} and {@code baseline=k=v,k=v} as a command line or query string gives them.
         *
         * @throws InvalidInputException naming the part of {@code baseline} that is not {@code k=v}
         */
        public static Ask parse(String metric, String value, String by, String baseline, String goal) {
            List<String> names = by == null
                    ? List.of()
                    : Arrays.stream(by.split(","))
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .toList();
            Map<String, Object> base = new LinkedHashMap<>();
            if (baseline != null) {
                for (String part : baseline.split(",")) {
                    if (part.isBlank()) {
                        continue;
                    }
                    int eq = part.indexOf('=');
                    if (eq <= 0) {
                        throw new InvalidInputException(
                                "baseline",
                                "baseline must be name=value pairs separated by commas, got '" + part.trim() + "'");
                    }
                    base.put(
                            part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
            return new Ask(metric, value, names, base, goal);
        }
    }

    /**
     * The comparison of every run of an experiment.
     *
     * @throws NotFoundException when there is no such experiment
     * @throws InvalidInputException naming the part of the question that is wrong
     */
    public ComparisonReport forExperiment(long experimentId, Ask ask) {
        return forExperiment(experimentId, ask, null);
    }

    /**
     * As {@link #forExperiment(long, Ask)}, leaving out the runs {@code exclude} names: {@code pruned} (the runs
     * early stopping stopped, a biased sample of their configuration) or null for none. The same word serves
     * {@code replica compare --exclude} and {@code GET /api/experiments/{id}/comparison?exclude=}.
     *
     * @throws IllegalArgumentException when {@code exclude} is another word
     */
    public ComparisonReport forExperiment(long experimentId, Ask ask, String exclude) {
        boolean noPruned = excludesPruned(exclude);
        ExperimentSpec spec = spec(experimentId);
        List<RunView> all = runs.list(new RunFilter(experimentId, null, Map.of(), RunFilter.MAX_LIMIT, 0));
        if (noPruned) {
            all = all.stream().filter(r -> !"PRUNED".equals(r.state())).toList();
        }
        return compare(all, spec, ask);
    }

    /** Whether {@code exclude} asks to leave out pruned runs; null or blank leaves every run in. */
    static boolean excludesPruned(String exclude) {
        if (exclude == null || exclude.isBlank()) {
            return false;
        }
        if (!exclude.strip().equalsIgnoreCase("pruned")) {
            throw new IllegalArgumentException(
                    "exclude: only \"pruned\" can be left out (runs stopped by early stopping), got \"" + exclude
                            + "\"");
        }
        return true;
    }

    /**
     * The comparison of the named runs, with the question's defaults from the first run's experiment.
     *
     * @throws NotFoundException naming the first id that is not a run
     */
    public ComparisonReport forRuns(List<Long> runIds, Ask ask) {
        List<RunView> selected = runs.requireViews(runIds);
        ExperimentSpec spec = selected.isEmpty() ? null : spec(selected.get(0).experimentId());
        return compare(selected, spec, ask);
    }

    /** The question the experiment's spec asks, with the caller's overrides. */
    public ComparisonQuestion question(long experimentId, Ask ask) {
        return ComparisonQuestion.forSpec(
                spec(experimentId), ask.metric(), ask.value(), ask.by(), ask.baseline(), ask.goal());
    }

    private ComparisonReport compare(List<RunView> selected, ExperimentSpec spec, Ask ask) {
        ComparisonQuestion question =
                ComparisonQuestion.forSpec(spec, ask.metric(), ask.value(), ask.by(), ask.baseline(), ask.goal());
        List<String> ids = selected.stream().map(r -> Long.toString(r.id())).toList();
        SeriesQueries queries = new SeriesQueries(store);
        Map<String, SeriesQueries.Points> bySteps = queries.points(ids, question.metric(), XAxis.step());
        Map<String, SeriesQueries.Points> byTimes =
                question.efficiency() != null && question.efficiency().startsWith("time_")
                        ? queries.points(ids, question.metric(), XAxis.timeMs())
                        : Map.of();
        List<ComparisonRun> in = new ArrayList<>();
        for (RunView r : selected) {
            String id = Long.toString(r.id());
            in.add(new ComparisonRun(id, r.params(), r.seed(), r.state(), bySteps.get(id), byTimes.get(id)));
        }
        return ComparisonEngine.compare(in, question);
    }

    private ExperimentSpec spec(long experimentId) {
        Experiment e = QuarkusTransaction.joiningExisting()
                .call(() -> experiments.findExperiment(experimentId))
                .orElseThrow(() -> new NotFoundException("no experiment with id " + experimentId));
        return experimentService.validate(e.specText, e.specFile);
    }
}

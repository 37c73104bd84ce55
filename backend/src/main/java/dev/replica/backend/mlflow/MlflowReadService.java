package dev.replica.backend.mlflow;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The MLflow API's reads, each in a transaction of its own so that it sees what earlier requests committed;
 * the queries themselves are {@link MlflowQueries}.
 */
@ApplicationScoped
public class MlflowReadService {

    @Inject
    MlflowQueries queries;

    /** An experiment by id. */
    Optional<MlflowQueries.ExperimentRecord> experiment(long id) {
        return read(() -> queries.experiment(id));
    }

    /** The experiment with this name. */
    Optional<MlflowQueries.ExperimentRecord> experimentByName(String name) {
        return read(() -> queries.experimentByName(name));
    }

    /** A run by id. */
    Optional<MlflowQueries.RunRecord> run(long runId) {
        return read(() -> queries.run(runId));
    }

    /** One page of MLflow's search-experiments. */
    MlflowQueries.Page<MlflowQueries.ExperimentRecord> searchExperiments(
            String filter, String viewType, int maxResults, List<String> orderBy, String pageToken) {
        return read(() -> queries.searchExperiments(filter, viewType, maxResults, orderBy, pageToken));
    }

    /** One page of MLflow's search-runs over the runs of {@code experimentIds}. */
    MlflowQueries.Page<MlflowQueries.RunRecord> searchRuns(
            List<Long> experimentIds,
            String filter,
            String viewType,
            int maxResults,
            List<String> orderBy,
            String pageToken) {
        return read(() -> queries.searchRuns(experimentIds, filter, viewType, maxResults, orderBy, pageToken));
    }

    /** Every point of one metric of a run, in the order logged. */
    List<MlflowView.Metric> history(long runId, String metric) {
        return queries.history(runId, metric);
    }

    private static <T> T read(Supplier<T> query) {
        return QuarkusTransaction.requiringNew().call(query::get);
    }
}

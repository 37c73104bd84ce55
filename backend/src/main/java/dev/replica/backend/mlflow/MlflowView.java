package dev.replica.backend.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * MLflow's tracking entities as its REST API writes them (snake_case, as protobuf's JSON mapping with
 * original field names). Doubles that are NaN or infinite are written as the strings protobuf expects.
 */
public final class MlflowView {

    private MlflowView() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Experiment(
            String experimentId,
            String name,
            String artifactLocation,
            String lifecycleStage,
            Long lastUpdateTime,
            Long creationTime,
            List<Tag> tags) {}

    public record Tag(String key, String value) {}

    public record Param(String key, String value) {}

    public record Metric(String key, double value, long timestamp, long step) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunInfo(
            String runId,
            String runUuid,
            String runName,
            String experimentId,
            String userId,
            String status,
            Long startTime,
            Long endTime,
            String artifactUri,
            String lifecycleStage) {}

    public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RunInputs(List<DatasetInput> datasetInputs) {}

    public record DatasetInput(List<Tag> tags, Dataset dataset) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Dataset(
            String name, String digest, String sourceType, String source, String schema, String profile) {}

    public record Run(RunInfo info, RunData data, RunInputs inputs) {}
}

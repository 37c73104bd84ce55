package dev.replica.backend.mlflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.equalTo;

import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import dev.replica.backend.manifest.ManifestService;
import dev.replica.backend.run.RunQueries;
import dev.replica.experiments.manifest.RunManifest;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.Projection;
import dev.replica.experiments.metrics.RunData;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.RunsPage;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The MLflow-compatible tracking API against MLflow's official Java client (org.mlflow:mlflow-client),
 * over HTTP against the running application, with a server-mode token as MLflow's bearer token; once per
 * database.
 */
public abstract class MlflowApiContract {

    @TestHTTPResource("/")
    URL base;

    @Inject
    TokenService tokens;

    @Inject
    RunQueries runQueries;

    @Inject
    ManifestService manifests;

    @Inject
    MetricStore store;

    @Inject
    dev.replica.backend.run.RunService runService;

    String token;
    MlflowClient client;

    @BeforeEach
    void setUp() {
        token = tokens.create("mlflow-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        String uri = base.toString().replaceAll("/$", "");
        client = new MlflowClient(new BasicMlflowHostCreds(uri, token));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void logsHundredThousandPointsInBatchesAndReadsTheHistoryBackBitExact() {
        String experimentId = client.createExperiment(unique("mlflow-bulk"));
        String runId = client.createRun(experimentId).getRunId();
        int n = 100_000;
        double[] values = new double[n];
        SplittableRandom rng = new SplittableRandom(17);
        for (int i = 0; i < n; i++) {
            values[i] = (rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(-300, 300));
        }
        // values JSON must carry exactly: specials, signed zero, subnormals, extremes, 1e23 (not shortest in JDK 17)
        double[] special = {
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0,
            0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            1e23,
            0.1,
            1.0 / 3
        };
        System.arraycopy(special, 0, values, 500, special.length);
        long t0 = 1_700_000_000_000L;
        for (int start = 0; start < n; start += 1000) {
            List<Service.Metric> batch = new ArrayList<>(1000);
            for (int i = start; i < start + 1000; i++) {
                batch.add(Service.Metric.newBuilder()
                        .setKey("train/loss")
                        .setValue(values[i])
                        .setTimestamp(t0 + i)
                        .setStep(i)
                        .build());
            }
            client.logBatch(runId, batch, List.of(), List.of());
        }
        // stored bit for bit (NaN payload, signed zero and all) in the run's Arrow file
        RunData stored = store.read(runId, Projection.of("train/loss").withTimes());
        assertThat(stored.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(stored.step(i)).isEqualTo(i);
            assertThat(stored.timeMs(i)).isEqualTo(t0 + i);
            assertThat(Double.doubleToRawLongBits(stored.value("train/loss", i)))
                    .as("stored point %d: %s", i, values[i])
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        // and read back through the client: bit for bit, except what JSON and the client's parser cannot carry
        List<Service.Metric> history = client.getMetricHistory(runId, "train/loss");
        assertThat(history).hasSize(n);
        for (int i = 0; i < n; i++) {
            Service.Metric m = history.get(i);
            assertThat(m.getStep()).isEqualTo(i);
            assertThat(m.getTimestamp()).isEqualTo(t0 + i);
            if (Double.isNaN(values[i])) {
                assertThat(m.getValue()).isNaN(); // JSON carries NaN as "NaN": no payload bits
            } else if (values[i] == 0) {
                assertThat(m.getValue()).isZero(); // protobuf's JSON parser reads numbers via BigDecimal: no -0.0
            } else {
                assertThat(Double.doubleToRawLongBits(m.getValue()))
                        .as("point %d: %s", i, values[i])
                        .isEqualTo(Double.doubleToRawLongBits(values[i]));
            }
        }
        // the server sends the sign of zero; only the Java client's parser drops it
        String raw = given().header("Authorization", "Bearer " + token)
                .queryParam("run_id", runId)
                .queryParam("metric_key", "train/loss")
                .get("/api/2.0/mlflow/metrics/get-history")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(raw)
                .contains("{\"key\":\"train/loss\",\"value\":-0.0,\"timestamp\":" + (t0 + 503) + ",\"step\":503}");
        // the MLflow run is a Replica run: its summary counts every point, the last one is the latest value
        var detail = runQueries.find(Long.parseLong(runId)).orElseThrow();
        var loss = detail.metrics().get(0);
        assertThat(loss.metric()).isEqualTo("train/loss");
        assertThat(loss.count()).isEqualTo(n);
        assertThat(loss.nanCount()).isEqualTo(1);
        Service.Run run = client.getRun(runId);
        assertThat(run.getData().getMetrics(0).getValue()).isEqualTo(values[n - 1]);
        assertThat(run.getData().getMetrics(0).getStep()).isEqualTo(n - 1);

        client.setTerminated(runId, Service.RunStatus.FINISHED, t0 + n);
        Service.RunInfo info = client.getRun(runId).getInfo();
        assertThat(info.getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(info.getEndTime()).isEqualTo(t0 + n);
        assertThat(runQueries.find(Long.parseLong(runId)).orElseThrow().run().state())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void searchesRunsWithMlflowFiltersOrderAndPages() {
        String experimentId = client.createExperiment(unique("mlflow-search"));
        // optimizer × seed; loss by hand: adamw 0.9/0.8, muon 0.3/0.4
        String[][] runs = {{"adamw", "1", "0.9"}, {"adamw", "2", "0.8"}, {"muon", "1", "0.3"}, {"muon", "2", "0.4"}};
        List<String> ids = new ArrayList<>();
        for (String[] r : runs) {
            String id = client.createRun(experimentId).getRunId();
            ids.add(id);
            client.logBatch(
                    id,
                    List.of(Service.Metric.newBuilder()
                            .setKey("val loss")
                            .setValue(Double.parseDouble(r[2]))
                            .setTimestamp(1000)
                            .setStep(10)
                            .build()),
                    List.of(
                            Service.Param.newBuilder()
                                    .setKey("optimizer")
                                    .setValue(r[0])
                                    .build(),
                            Service.Param.newBuilder()
                                    .setKey("seed")
                                    .setValue(r[1])
                                    .build(),
                            Service.Param.newBuilder()
                                    .setKey("lr")
                                    .setValue("1e-3")
                                    .build()),
                    List.of(Service.RunTag.newBuilder()
                            .setKey("team")
                            .setValue(r[0].equals("muon") ? "Optim-Lab" : "baseline")
                            .build()));
        }
        client.setTerminated(ids.get(2), Service.RunStatus.FINISHED);

        assertThat(search(experimentId, "metrics.`val loss` < 0.5 and params.optimizer = 'muon'", List.of()))
                .containsExactlyInAnyOrder(ids.get(2), ids.get(3));
        assertThat(search(experimentId, "params.optimizer != \"muon\" AND metrics.\"val loss\" >= 0.85", List.of()))
                .containsExactly(ids.get(0));
        assertThat(search(experimentId, "tags.team ILIKE 'optim%'", List.of()))
                .containsExactlyInAnyOrder(ids.get(2), ids.get(3));
        assertThat(search(experimentId, "tags.team LIKE 'optim%'", List.of())).isEmpty();
        assertThat(search(experimentId, "attributes.status = 'FINISHED'", List.of()))
                .containsExactly(ids.get(2));
        assertThat(search(experimentId, "attributes.run_id IN ('" + ids.get(1) + "', '" + ids.get(3) + "')", List.of()))
                .containsExactlyInAnyOrder(ids.get(1), ids.get(3));
        assertThat(search(experimentId, "", List.of("metrics.`val loss` ASC")))
                .containsExactly(ids.get(2), ids.get(3), ids.get(1), ids.get(0));

        RunsPage first = client.searchRuns(
                List.of(experimentId), "", Service.ViewType.ACTIVE_ONLY, 3, List.of("metrics.`val loss` DESC"));
        assertThat(first.getItems().stream().map(r -> r.getInfo().getRunId()))
                .containsExactly(ids.get(0), ids.get(1), ids.get(3));
        assertThat(first.hasNextPage()).isTrue();
        var second = first.getNextPage();
        List<String> rest = new ArrayList<>();
        second.getItems().forEach(r -> rest.add(r.getInfo().getRunId()));
        assertThat(rest).containsExactly(ids.get(2));
        assertThat(second.hasNextPage()).isFalse();

        // MLflow params are Replica params: the two seeds of one optimizer share a configuration key
        var muon1 = runQueries.find(Long.parseLong(ids.get(2))).orElseThrow().run();
        var muon2 = runQueries.find(Long.parseLong(ids.get(3))).orElseThrow().run();
        assertThat(muon1.seed()).isEqualTo(1);
        assertThat(muon2.seed()).isEqualTo(2);
        assertThat(muon1.params()).containsEntry("optimizer", "muon").containsEntry("lr", 0.001);
        assertThat(client.getRun(ids.get(2)).getData().getParamsList())
                .anySatisfy(p -> assertThat(p.getKey() + "=" + p.getValue()).isEqualTo("lr=1e-3"));

        client.deleteRun(ids.get(0));
        assertThat(search(experimentId, "", List.of())).hasSize(3).doesNotContain(ids.get(0));
        assertThat(client.searchRuns(List.of(experimentId), "", Service.ViewType.DELETED_ONLY).stream()
                        .map(Service.RunInfo::getRunId))
                .containsExactly(ids.get(0));
        client.restoreRun(ids.get(0));
        assertThat(search(experimentId, "", List.of())).hasSize(4);
    }

    private List<String> search(String experimentId, String filter, List<String> orderBy) {
        RunsPage page = client.searchRuns(List.of(experimentId), filter, Service.ViewType.ACTIVE_ONLY, 1000, orderBy);
        return page.getItems().stream().map(r -> r.getInfo().getRunId()).toList();
    }

    @Test
    void managesExperimentsByNameTagAndLifecycle() {
        String name = unique("mlflow-exp");
        String id = client.createExperiment(name);
        assertThat(client.getExperimentByName(name).orElseThrow().getExperimentId())
                .isEqualTo(id);
        assertThat(client.getExperimentByName(unique("absent"))).isEmpty();
        client.setExperimentTag(id, "owner", "lab");
        Service.Experiment e = client.getExperiment(id);
        assertThat(e.getName()).isEqualTo(name);
        assertThat(e.getLifecycleStage()).isEqualTo("active");
        assertThat(e.getTagsList()).anySatisfy(t -> assertThat(t.getValue()).isEqualTo("lab"));
        assertThat(client.searchExperiments("name LIKE '" + name + "%'").getItems().stream()
                        .map(Service.Experiment::getExperimentId))
                .containsExactly(id);

        client.deleteExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.searchExperiments("name = '" + name + "'").getItems()).isEmpty();
        MlflowHttpException createInDeleted =
                catchThrowableOfType(MlflowHttpException.class, () -> client.createRun(id));
        assertThat(createInDeleted.getBodyMessage()).contains("INVALID_STATE");
        client.restoreExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");

        MlflowHttpException duplicate =
                catchThrowableOfType(MlflowHttpException.class, () -> client.createExperiment(name));
        assertThat(duplicate.getStatusCode()).isEqualTo(400);
        assertThat(duplicate.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void answersErrorsWithMlflowErrorCodes() {
        MlflowHttpException unknown =
                catchThrowableOfType(MlflowHttpException.class, () -> client.getExperiment("987654321"));
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getBodyMessage()).contains("\"error_code\":\"RESOURCE_DOES_NOT_EXIST\"");

        MlflowHttpException noRun = catchThrowableOfType(MlflowHttpException.class, () -> client.getRun("not-a-run"));
        assertThat(noRun.getStatusCode()).isEqualTo(404);
        assertThat(noRun.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");

        String experimentId = client.createExperiment(unique("mlflow-errors"));
        String runId = client.createRun(experimentId).getRunId();
        List<Service.Metric> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Service.Metric.newBuilder()
                    .setKey("loss")
                    .setValue(i)
                    .setTimestamp(i)
                    .setStep(i)
                    .build());
        }
        MlflowHttpException oversized = catchThrowableOfType(
                MlflowHttpException.class, () -> client.logBatch(runId, tooMany, List.of(), List.of()));
        assertThat(oversized.getStatusCode()).isEqualTo(400);
        assertThat(oversized.getBodyMessage())
                .contains("INVALID_PARAMETER_VALUE")
                .contains("at most 1000 metrics. Got 1001");
        assertThat(client.getMetricHistory(runId, "loss")).isEmpty(); // nothing of a rejected batch is stored

        MlflowHttpException badFilter = catchThrowableOfType(
                MlflowHttpException.class,
                () -> client.searchRuns(List.of(experimentId), "metrics.loss < 'low' or params.x = 1"));
        assertThat(badFilter.getStatusCode()).isEqualTo(400);
        assertThat(badFilter.getBodyMessage())
                .contains("INVALID_PARAMETER_VALUE")
                .contains("expected a numeric value for metric 'loss'");
        MlflowHttpException orFilter = catchThrowableOfType(
                MlflowHttpException.class,
                () -> client.searchRuns(List.of(experimentId), "metrics.loss < 1 or params.x = '1'"));
        assertThat(orFilter.getBodyMessage()).contains("no OR");

        client.logParam(runId, "lr", "0.1");
        client.logParam(runId, "lr", "0.1"); // the same value again is fine
        MlflowHttpException changed =
                catchThrowableOfType(MlflowHttpException.class, () -> client.logParam(runId, "lr", "0.2"));
        assertThat(changed.getBodyMessage())
                .contains("INVALID_PARAMETER_VALUE")
                .contains("Changing param values is not allowed");

        MlflowHttpException reserved =
                catchThrowableOfType(MlflowHttpException.class, () -> client.logMetric(runId, "step", 1.0));
        assertThat(reserved.getBodyMessage())
                .contains("INVALID_PARAMETER_VALUE")
                .contains("reserved");

        MlflowClient anonymous = new MlflowClient(base.toString().replaceAll("/$", ""));
        MlflowHttpException noToken =
                catchThrowableOfType(MlflowHttpException.class, () -> anonymous.createExperiment(unique("x")));
        assertThat(noToken.getStatusCode()).isEqualTo(401);
    }

    @Test
    void leavesRunsTheirMlflowClientOwnsAloneOnCrashRecovery() {
        String runId = client.createRun(client.createExperiment(unique("mlflow-owned")))
                .getRunId();
        runService.recoverStale(java.time.Duration.ZERO); // every other RUNNING run would count as stale
        assertThat(client.getRun(runId).getInfo().getStatus()).isEqualTo(Service.RunStatus.RUNNING);
        client.setTerminated(runId, Service.RunStatus.KILLED);
        assertThat(runQueries.find(Long.parseLong(runId)).orElseThrow().run().state())
                .isEqualTo("CANCELLED");
    }

    @Test
    void servesTheAjaxApiPrefixUnderTheSameTokenRules() {
        String name = unique("mlflow-ajax");
        given().contentType("application/json")
                .body("{\"name\":\"" + name + "\"}")
                .post("/ajax-api/2.0/mlflow/experiments/create")
                .then()
                .statusCode(401);
        String id = given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("{\"name\":\"" + name + "\"}")
                .post("/ajax-api/2.0/mlflow/experiments/create")
                .then()
                .statusCode(200)
                .extract()
                .path("experiment_id");
        given().header("Authorization", "Bearer " + token)
                .queryParam("experiment_name", name)
                .get("/ajax-api/2.0/mlflow/experiments/get-by-name")
                .then()
                .statusCode(200)
                .body("experiment.experiment_id", equalTo(id));
    }

    @Test
    void recordsLoggedInputsInTheRunsManifest() {
        String experimentId = client.createExperiment(unique("mlflow-inputs"));
        String runId = client.createRun(experimentId).getRunId();
        client.logParam(runId, "batch_size", "64");
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("{\"run_id\":\"" + runId + "\",\"datasets\":[{\"tags\":[{\"key\":\"mlflow.data.context\","
                        + "\"value\":\"training\"}],\"dataset\":{\"name\":\"fashion-mnist\",\"digest\":\"3f2a9c1d\","
                        + "\"source_type\":\"local\",\"source\":\"/data/fashion\"}}]}")
                .post("/api/2.0/mlflow/runs/log-inputs")
                .then()
                .statusCode(200);
        Service.Run run = client.getRun(runId);
        assertThat(run.getInputs().getDatasetInputs(0).getDataset().getDigest()).isEqualTo("3f2a9c1d");
        assertThat(run.getInputs().getDatasetInputs(0).getTags(0).getValue()).isEqualTo("training");
        RunManifest manifest = manifests.find(Long.parseLong(runId)).orElseThrow();
        assertThat(manifest.kind()).isEqualTo("mlflow");
        assertThat(manifest.params()).containsEntry("batch_size", 64L);
        RunManifest.DatasetIdentity data = manifest.data().get("fashion-mnist@3f2a9c1d");
        assertThat(data.sha256()).isEqualTo("3f2a9c1d");
        assertThat(data.path()).isEqualTo("local:/data/fashion");
    }
}

package dev.replica.backend.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunDeletionService;
import dev.replica.backend.run.RunState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes an experiment for good: its row and, through the database's cascades, its runs with their
 * parameters, history, summaries, artifacts' records, labels and events; then each run's metric streams and
 * folder. Refused while any run is QUEUED or RUNNING. The rows go in one transaction that re-checks, so a run
 * queued again meanwhile (a retry) makes the deletion fail whole rather than leave an experiment half gone.
 *
 * <p>The experiment's own events go with it, so the deletion is recorded outside the database: one JSON line
 * per deleted experiment in {@code <home>/deletions.log} (what it was called, its runs, who deleted it, when).
 */
@ApplicationScoped
public class ExperimentDeletionService {

    /** The file, under the home, that keeps a line per deleted experiment. */
    public static final String LOG_FILE = "deletions.log";

    @Inject
    ExperimentRepository experiments;

    @Inject
    RunDeletionService runDeletion;

    @Inject
    ReplicaHome home;

    @Inject
    ObjectMapper json;

    Clock clock = Clock.systemUTC();

    /**
     * What was deleted.
     *
     * @param runIds the runs deleted with it
     * @param files the metric files and run folders removed from disk
     */
    public record Deleted(long experimentId, String name, List<Long> runIds, String message, List<Path> files) {}

    /**
     * @param by who asked ("from the CLI", "through the API")
     * @return empty when no experiment has this id
     * @throws ExperimentStillActiveException naming the QUEUED or RUNNING runs (nothing is deleted)
     * @throws UncheckedIOException when a file could not be removed (the rows are already gone; the message names
     *     the file)
     */
    public Optional<Deleted> delete(long experimentId, String by) {
        Optional<Deleted> deleted = QuarkusTransaction.requiringNew().call(() -> deleteRows(experimentId, by));
        if (deleted.isEmpty()) {
            return deleted;
        }
        Deleted d = deleted.get();
        record(d, by);
        List<Path> files = new ArrayList<>();
        for (long runId : d.runIds()) {
            files.addAll(runDeletion.deleteFiles(runId));
        }
        return Optional.of(new Deleted(d.experimentId(), d.name(), d.runIds(), d.message(), files));
    }

    private Optional<Deleted> deleteRows(long experimentId, String by) {
        Optional<Experiment> found = experiments.findExperiment(experimentId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Experiment e = found.get();
        List<Run> runs = Run.<Run>list("experiment.id = ?1 order by id", experimentId);
        List<Long> active = runs.stream()
                .filter(r -> r.state == RunState.QUEUED || r.state == RunState.RUNNING)
                .map(r -> r.id)
                .toList();
        if (!active.isEmpty()) {
            throw new ExperimentStillActiveException(experimentId, active);
        }
        List<Long> runIds = runs.stream().map(r -> r.id).toList();
        // run rows first, each only if still settled: a run queued again meanwhile is not deleted, and then
        // the experiment keeps a run and the whole transaction is refused
        long gone = Run.delete(
                "experiment.id = ?1 and state not in ?2", experimentId, List.of(RunState.QUEUED, RunState.RUNNING));
        if (gone != runIds.size()) {
            List<Long> now = Run.<Run>list("experiment.id = ?1", experimentId).stream()
                    .map(r -> r.id)
                    .toList();
            throw new ExperimentStillActiveException(experimentId, now);
        }
        experiments.delete("id", experimentId);
        String message = "experiment " + experimentId + " (" + e.name + ") deleted " + by + " with its " + runIds.size()
                + " run" + (runIds.size() == 1 ? "" : "s");
        return Optional.of(new Deleted(experimentId, e.name, runIds, message, List.of()));
    }

    /** One JSON line in {@link #LOG_FILE}; the rows are gone by now, so a failure here is reported, not undone. */
    private void record(Deleted d, String by) {
        Map<String, Object> line = new LinkedHashMap<>();
        Instant now = clock.instant();
        line.put("at", now.toString());
        line.put("experiment", d.experimentId());
        line.put("name", d.name());
        line.put("runs", d.runIds());
        line.put("by", by);
        try {
            Files.createDirectories(home.root());
            Files.writeString(
                    home.root().resolve(LOG_FILE),
                    json.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "experiment " + d.experimentId() + " deleted, but " + LOG_FILE + " could not be written", e);
        }
    }
}

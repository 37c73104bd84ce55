package dev.replica.backend.run;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentEvent;
import dev.replica.experiments.metrics.MetricStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Deletes a run for good: its rows (parameters, history, summaries, artifacts' records, labels: the
 * database cascades), its metric streams (every attempt's), its folder (logs, manifest, artifacts), and
 * records the deletion as an event on its experiment. Refuses a RUNNING run. The rows go first, in one
 * transaction that checks the run's version, so a run a scheduler claims at the same moment is either
 * deleted before the claim or not at all; the files follow once nothing can start the run again.
 */
@ApplicationScoped
public class RunDeletionService {

    @Inject
    RunRepository runs;

    @Inject
    MetricStore store;

    @Inject
    ReplicaHome home;

    Clock clock = Clock.systemUTC();

    /**
     * What was deleted.
     *
     * @param files the metric files and run folders removed from disk
     */
    public record Deleted(long runId, long experimentId, String message, List<Path> files) {}

    /**
     * @param by who asked, for the experiment's event ("from the CLI", "through the API")
     * @return empty when no run has this id
     * @throws RunStillActiveException when the run is RUNNING (nothing is deleted)
     * @throws UncheckedIOException when a file could not be removed (the rows are already gone; the message names
     *     the file)
     */
    public Optional<Deleted> delete(long runId, String by) {
        Optional<Deleted> deleted;
        try {
            deleted = QuarkusTransaction.requiringNew().call(() -> deleteRows(runId, by));
        } catch (jakarta.persistence.OptimisticLockException | org.hibernate.StaleObjectStateException e) {
            // a scheduler claimed it between our read and our delete: it is running now
            throw new RunStillActiveException(runId, RunState.RUNNING);
        }
        if (deleted.isEmpty()) {
            return deleted;
        }
        List<Path> files = deleteFiles(runId);
        return Optional.of(
                new Deleted(runId, deleted.get().experimentId(), deleted.get().message(), files));
    }

    private Optional<Deleted> deleteRows(long runId, String by) {
        Optional<Run> found = runs.findRun(runId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Run run = found.get();
        if (run.state == RunState.RUNNING) {
            throw new RunStillActiveException(runId, run.state);
        }
        Experiment experiment = run.experiment;
        Instant now = clock.instant();
        String message =
                "run " + runId + " (#" + run.runIndex + ", seed " + run.seed + ", " + run.state + ") deleted " + by;
        runs.delete(run); // DELETE … WHERE id = ? AND version = ?: a concurrent claim makes this fail
        runs.flush();
        experiment.runCount = Math.max(0, experiment.runCount - 1);
        ExperimentEvent.of(experiment.id, ExperimentEvent.RUN_DELETED, runId, message, now)
                .persist();
        return Optional.of(new Deleted(runId, experiment.id, message, List.of()));
    }

    /**
     * Removes the run's metric streams (current and earlier attempts) and its folder, once its rows are gone
     * (also for a whole experiment's runs).
     *
     * @return what was removed
     */
    public List<Path> deleteFiles(long runId) {
        String key = Long.toString(runId);
        store.closeRun(key);
        store.evict(key);
        List<Path> targets = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(home.metrics(), key + ".*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.equals(key + MetricStore.EXTENSION) || name.startsWith(key + ".attempt-")) {
                    targets.add(f);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no metrics folder yet: nothing was logged
        } catch (IOException e) {
            throw new UncheckedIOException("run " + runId + " deleted, but its metrics folder could not be listed", e);
        }
        Path folder = home.runFolder(runId);
        if (Files.exists(folder)) {
            targets.add(folder);
        }
        for (Path target : targets) {
            removeTree(runId, target);
        }
        return List.copyOf(targets);
    }

    private static void removeTree(long runId, Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("run " + runId + " deleted, but " + root + " could not be removed", e);
        }
    }
}

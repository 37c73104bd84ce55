package dev.replica.backend.artifact;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.run.RunQueries;
import dev.replica.experiments.spec.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A run's artifacts: the files in its folder, listed, and one of them found by the name a caller gives. */
@ApplicationScoped
public class ArtifactService {

    @Inject
    ReplicaHome home;

    @Inject
    RunQueries runs;

    /**
     * The run's files, sorted by name (at most {@value ArtifactFiles#MAX_LISTED}).
     *
     * @throws NotFoundException when there is no such run
     */
    public List<ArtifactView> list(long runId) throws IOException {
        ArtifactFiles files = files(runId);
        List<ArtifactView> out = new ArrayList<>();
        for (Path f : files.list()) {
            String name = files.name(f);
            out.add(new ArtifactView(
                    name,
                    Files.size(f),
                    ArtifactFiles.contentType(name),
                    Files.getLastModifiedTime(f).toInstant()));
        }
        return out;
    }

    /**
     * One file of the run's folder.
     *
     * @throws InvalidInputException naming a name that would leave the folder
     * @throws NotFoundException when there is no such run or file, or the file is a link that leads out
     */
    public Path find(long runId, String name) throws IOException {
        return files(runId)
                .resolve(name)
                .orElseThrow(() -> new NotFoundException("run " + runId + " has no artifact '" + name + "'"));
    }

    /** What a file is served as; see {@link ArtifactFiles#contentType}. */
    public static String contentType(String name) {
        return ArtifactFiles.contentType(name);
    }

    private ArtifactFiles files(long runId) {
        if (runs.find(runId).isEmpty()) {
            throw new NotFoundException("no run with id " + runId);
        }
        return new ArtifactFiles(home.runFolder(runId));
    }
}

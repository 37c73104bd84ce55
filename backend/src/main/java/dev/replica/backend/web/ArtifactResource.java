package dev.replica.backend.web;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.run.RunQueries;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * HTTP only, read-only: the files in a run's folder ({@code artifacts/<run>/}: logs, manifest, code diff, what
 * the run wrote) and their download. Names cannot leave the folder (400 for {@code ..} or absolute paths, 404
 * for links that lead out); files stream with a content type a browser will not execute.
 */
@Path("/api/runs/{id}/artifacts")
public class ArtifactResource {

    @Inject
    ReplicaHome home;

    @Inject
    RunQueries runs;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A run's artifacts (files in its folder): name, size, content type, modification time")
    public List<ArtifactView> list(@PathParam("id") long id) throws IOException {
        ArtifactFiles files = files(id);
        List<ArtifactView> out = new ArrayList<>();
        for (java.nio.file.Path f : files.list()) {
            String name = files.name(f);
            out.add(new ArtifactView(
                    name,
                    Files.size(f),
                    ArtifactFiles.contentType(name),
                    Files.getLastModifiedTime(f).toInstant()));
        }
        return out;
    }

    @GET
    @Path("/{name: .+}")
    @Operation(summary = "Download one artifact of a run (name as listed, relative to the run's folder)")
    public Response download(@PathParam("id") long id, @PathParam("name") String name) throws IOException {
        java.nio.file.Path file = files(id)
                .resolve(name)
                .orElseThrow(() -> new NotFoundException("run " + id + " has no artifact '" + name + "'"));
        String base = file.getFileName().toString().replaceAll("[^\\w.-]", "_");
        StreamingOutput body = out -> Files.copy(file, out);
        return Response.ok(body, ArtifactFiles.contentType(name))
                .header("Content-Length", Files.size(file))
                .header("Content-Disposition", "attachment; filename=\"" + base + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .build();
    }

    private ArtifactFiles files(long id) {
        if (runs.find(id).isEmpty()) {
            throw new NotFoundException("no run with id " + id);
        }
        return new ArtifactFiles(home.runFolder(id));
    }
}

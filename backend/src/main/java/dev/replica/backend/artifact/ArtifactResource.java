package dev.replica.backend.artifact;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.file.Files;
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
    ArtifactService service;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A run's artifacts (files in its folder): name, size, content type, modification time")
    public List<ArtifactView> list(@PathParam("id") long id) throws IOException {
        return service.list(id);
    }

    @GET
    @Path("/{name: .+}")
    @Operation(summary = "Download one artifact of a run (name as listed, relative to the run's folder)")
    public Response download(@PathParam("id") long id, @PathParam("name") String name) throws IOException {
        java.nio.file.Path file = service.find(id, name);
        String base = file.getFileName().toString().replaceAll("[^\\w.-]", "_");
        StreamingOutput body = out -> Files.copy(file, out);
        return Response.ok(body, ArtifactService.contentType(name))
                .header("Content-Length", Files.size(file))
                .header("Content-Disposition", "attachment; filename=\"" + base + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .build();
    }
}

package dev.replica.backend.run;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only, read-only: a run's logs as {@code replica logs} prints them, each file cut to its last 256 KiB. */
@Path("/api/runs/{id}/logs")
public class LogResource {

    @Inject
    RunLogs logs;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "A run's logs (command, stdout, stderr, run log) as plain text, the tail of each file")
    public String logs(@PathParam("id") long id) throws IOException {
        return logs.tail(id)
                .orElseThrow(() ->
                        new NotFoundException("no logs for run " + id + " (it has not started, or the id is wrong)"));
    }
}

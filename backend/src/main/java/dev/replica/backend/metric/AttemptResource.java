package dev.replica.backend.metric;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: the attempts of one run, each readable through the metric endpoints with ?attempt=N. */
@Path("/api/runs/{id}/attempts")
public class AttemptResource {

    @Inject
    RunAttempts attempts;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Every attempt of a run, oldest first: number, state it ended in, start, end, reason and metric"
                    + " rows kept; the latest is what metric endpoints read without ?attempt=N")
    public List<RunAttempts.Attempt> list(@PathParam("id") long id) {
        return attempts.require(id);
    }
}

package dev.replica.backend.metric;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only, read-only: the metric summaries of an experiment's runs, for the runs table's metric columns. */
@Path("/api/experiments/{id}/summaries")
public class SummaryResource {

    @Inject
    SummaryQueries summaries;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Metric summaries (last, min, max, count) of every run of an experiment, for the runs table; 404 when there is no such experiment")
    public List<SummaryView> summaries(@PathParam("id") long experimentId) {
        return summaries
                .byExperiment(experimentId)
                .orElseThrow(() -> new NotFoundException("no experiment with id " + experimentId));
    }
}

package dev.replica.backend.search;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: an experiment's adaptive search state. */
@Path("/api/experiments/{id}/search")
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

    @Inject
    SearchStateService service;

    @GET
    @Operation(
            summary = "The experiment's search: method and settings, budget spent and left (runs, configurations,"
                    + " steps), rungs with their members and cut-offs, every early-stopping decision and TPE's"
                    + " proposals with the results each was proposed from; 400 when the spec has no sweep.method")
    public SearchState search(@PathParam("id") long id) {
        return service.of(id).orElseThrow(() -> new NotFoundException("no experiment with id " + id));
    }
}

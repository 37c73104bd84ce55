package dev.replica.backend.event;

import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Server-sent events: run state changes and metric updates, live. */
@Path("/api/events")
public class EventResource {

    @Inject
    RunEventBus bus;

    // Blocking: the token check before it reads the database, which the event loop may not do.
    @io.smallrye.common.annotation.Blocking
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Live run state changes and metric updates (server-sent events), optionally for one experiment")
    public Multi<EventView> events(@QueryParam("experiment") Long experimentId) {
        return bus.stream(experimentId);
    }
}

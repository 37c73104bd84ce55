package dev.replica.backend.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The workbench's page URLs ({@code /experiments/1}, {@code /runs/7}, {@code /compare?runs=…}) answer with
 * the single-page app's {@code index.html}, which routes on the client. Quinoa's own SPA fallback never
 * sees these paths because REST answers unknown paths first (with problem+json), so the pages are listed here.
 */
@Path("/")
public class PageResource {

    static final String INDEX = "META-INF/resources/index.html";

    @GET
    @Path("experiments/{id: \\d+}")
    @Produces(MediaType.TEXT_HTML)
    public String experiment(@PathParam("id") long id) throws IOException {
        return index();
    }

    @GET
    @Path("experiments/{id: \\d+}/sweep")
    @Produces(MediaType.TEXT_HTML)
    public String sweep(@PathParam("id") long id) throws IOException {
        return index();
    }

    @GET
    @Path("runs/{id: \\d+}")
    @Produces(MediaType.TEXT_HTML)
    public String run(@PathParam("id") long id) throws IOException {
        return index();
    }

    @GET
    @Path("compare")
    @Produces(MediaType.TEXT_HTML)
    public String compare() throws IOException {
        return index();
    }

    private static String index() throws IOException {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new NotFoundException("the workbench is not built into this application (run the Maven build "
                        + "with Quinoa enabled)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package dev.replica.backend.export;

import dev.replica.experiments.spec.InvalidInputException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: full-resolution exports of an experiment or a selection of runs. */
@Path("/api/export")
public class ExportResource {

    @Inject
    ExportService exports;

    @GET
    @Path("/metrics")
    @Operation(
            summary =
                    "Metrics of an experiment and/or runs (runs=1,2,3) as csv (long), csv-wide, arrow (IPC file), arrow-stream (IPC stream), parquet (long) or parquet-wide; metrics=NAME repeated selects metrics (unknown names are a 400); attempts=all adds every earlier attempt of a retried run, as run <id>.attempt-<n> (default latest)")
    public Response metrics(
            @QueryParam("experiment") Long experiment,
            @QueryParam("runs") @DefaultValue("") String runs,
            @QueryParam("format") @DefaultValue("csv") String format,
            @QueryParam("metrics") List<String> metrics,
            @QueryParam("attempts") @DefaultValue("latest") String attempts) {
        ExportFormat f = ExportFormat.parse(format);
        boolean all = switch (attempts) {
            case "latest" -> false;
            case "all" -> true;
            default -> throw new InvalidInputException("attempts", "attempts must be latest or all, got " + attempts);
        };
        var selection = exports.select(experiment, ids(runs));
        // one name per parameter: metric names may hold commas
        List<String> only = metrics == null || metrics.isEmpty() ? null : List.copyOf(metrics);
        exports.requireKnownMetrics(selection, only, all);
        StreamingOutput body = out -> exports.writeMetrics(selection, f, only, all, out);
        return Response.ok(body, f.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + name(experiment) + f.fileSuffix() + "\"")
                .build();
    }

    @GET
    @Path("/params.csv")
    @Operation(summary = "The parameters table of an experiment and/or runs, to join with a metrics export on run")
    public Response params(
            @QueryParam("experiment") Long experiment, @QueryParam("runs") @DefaultValue("") String runs) {
        var selection = exports.select(experiment, ids(runs));
        StreamingOutput body = out -> exports.writeParams(selection, out);
        return Response.ok(body, "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + name(experiment) + "-params.csv\"")
                .build();
    }

    @GET
    @Path("/params.parquet")
    @Operation(
            summary =
                    "The parameters table as Parquet with typed columns (boolean, int64, float64 or text per parameter), to join with a Parquet metrics export on run")
    public Response paramsParquet(
            @QueryParam("experiment") Long experiment, @QueryParam("runs") @DefaultValue("") String runs) {
        var selection = exports.select(experiment, ids(runs));
        StreamingOutput body = out -> exports.writeParamsParquet(selection, out);
        return Response.ok(body, ExportFormat.PARQUET.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + name(experiment) + "-params.parquet\"")
                .build();
    }

    static List<Long> ids(String runs) {
        if (runs.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(runs.split(","))
                    .map(String::trim)
                    .map(Long::parseLong)
                    .toList();
        } catch (NumberFormatException e) {
            throw new InvalidInputException("runs", "runs must be comma-separated run ids, got " + runs);
        }
    }

    private static String name(Long experiment) {
        return experiment == null ? "runs" : "experiment-" + experiment;
    }
}

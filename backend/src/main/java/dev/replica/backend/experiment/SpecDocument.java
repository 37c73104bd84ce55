package dev.replica.backend.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.replica.experiments.spec.Durations;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SearchSpec;
import dev.replica.experiments.spec.SweepSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Canonical JSON of a parsed spec (sorted keys, no white space): what the planner saw. */
final class SpecDocument {

    static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private SpecDocument() {}

    static String json(ExperimentSpec spec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", ExperimentSpec.API_VERSION);
        doc.put("name", spec.name());
        doc.put("description", spec.description());
        doc.put("kind", spec.kind());
        doc.put("params", spec.params());
        doc.put("sweep", sweep(spec.sweep()));
        doc.put("seeds", spec.seeds());
        if (spec.metric() != null) {
            doc.put(
                    "metric",
                    Map.of(
                            "primary",
                            spec.metric().primary(),
                            "goal",
                            spec.metric().goal().label()));
        }
        if (spec.compare() != null) {
            Map<String, Object> compare = new LinkedHashMap<>();
            compare.put("baseline", spec.compare().baseline());
            if (spec.compare().efficiency() != null) {
                compare.put("efficiency", spec.compare().efficiency());
            }
            doc.put("compare", compare);
        }
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("cpus", spec.resources().cpus());
        resources.put("gpus", spec.resources().gpus());
        resources.put("memoryMb", spec.resources().memoryMb());
        if (spec.resources().time() != null) {
            resources.put("time", Durations.format(spec.resources().time()));
        }
        if (spec.resources().partition() != null) {
            resources.put("partition", spec.resources().partition());
        }
        doc.put("resources", resources);
        if (!spec.command().isEmpty()) {
            doc.put("command", spec.command());
            doc.put("env", spec.env());
            if (spec.workdir() != null) {
                doc.put("workdir", spec.workdir());
            }
        }
        doc.put("retries", spec.retries());
        if (spec.timeout() != null) {
            doc.put("timeout", Durations.format(spec.timeout()));
        }
        return write(doc);
    }

    private static Map<String, Object> sweep(SweepSpec sweep) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!sweep.grid().isEmpty()) {
            out.put("grid", sweep.grid());
        }
        if (!sweep.zip().isEmpty()) {
            out.put("zip", sweep.zip());
        }
        if (sweep.random() != null) {
            Map<String, Object> params = new LinkedHashMap<>();
            sweep.random().params().forEach((k, d) -> params.put(k, distribution(d)));
            out.put(
                    "random",
                    Map.of(
                            "count",
                            sweep.random().count(),
                            "seed",
                            sweep.random().samplerSeed(),
                            "params",
                            params));
        }
        if (sweep.search() != null) { // absent for plain sweeps, so their documents (and hashes) stay as they were
            SearchSpec search = sweep.search();
            out.put("method", search.method().label());
            if (search.maxRuns() != null) {
                out.put("max_runs", search.maxRuns());
            }
            if (search.method().prunes()) {
                out.put("resource", search.resource());
                out.put("min_resource", search.minResource());
                if (search.maxResource() != null) {
                    out.put("max_resource", search.maxResource());
                }
                out.put("eta", search.eta());
                out.put("brackets", search.brackets());
                out.put("prune_on", search.pruneOn().label());
            }
        }
        return out;
    }

    private static Object distribution(SweepSpec.Distribution d) {
        if (d instanceof SweepSpec.Distribution.Uniform u) {
            return Map.of("uniform", java.util.List.of(u.min(), u.max()));
        }
        if (d instanceof SweepSpec.Distribution.LogUniform u) {
            return Map.of("log-uniform", java.util.List.of(u.min(), u.max()));
        }
        if (d instanceof SweepSpec.Distribution.IntUniform u) {
            return Map.of("int-uniform", java.util.List.of(u.min(), u.max()));
        }
        return Map.of("choice", ((SweepSpec.Distribution.Choice) d).values());
    }

    static String write(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }
}

package dev.replica.backend.export;

import dev.replica.backend.metric.RunAttempts;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.metrics.MetricExport;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.spec.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.arrow.memory.RootAllocator;

/**
 * Exports the metrics of a selection of runs (whole experiments or listed runs) at full resolution, and
 * the parameters table that goes with them. Streams: memory stays constant whatever the size.
 */
@ApplicationScoped
public class ExportService {

    @Inject
    MetricStore store;

    @Inject
    RunQueries runs;

    /** The runs of an experiment and/or the listed ids, in a stable order; unknown ids are an error. */
    public List<RunView> select(Long experimentId, List<Long> runIds) {
        List<RunView> out = new ArrayList<>();
        if (experimentId != null) {
            out.addAll(runs.list(new RunFilter(experimentId, null, Map.of(), RunFilter.MAX_LIMIT, 0)));
        }
        for (long id : runIds) {
            RunView r = runs.find(id)
                    .orElseThrow(() -> new InvalidInputException("runs", "no run with id " + id))
                    .run();
            if (out.stream().noneMatch(x -> x.id() == id)) {
                out.add(r);
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException(null, "nothing to export: give an experiment or run ids");
        }
        return out;
    }

    /**
     * Checks a metric selection against what the runs logged, before anything is written.
     *
     * @throws InvalidInputException naming every metric none of the runs logged
     */
    public void requireKnownMetrics(List<RunView> selection, List<String> metrics) {
        requireKnownMetrics(selection, metrics, false);
    }

    /** Like {@link #requireKnownMetrics(List, List)}, counting earlier attempts' metrics when they are exported. */
    public void requireKnownMetrics(List<RunView> selection, List<String> metrics, boolean allAttempts) {
        if (metrics == null) {
            return;
        }
        java.util.Set<String> logged = new java.util.LinkedHashSet<>();
        for (String key : keys(selection, allAttempts)) {
            logged.addAll(store.metrics(key));
        }
        List<String> unknown =
                metrics.stream().filter(m -> !logged.contains(m)).distinct().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(
                    "metrics",
                    "unknown metric" + (unknown.size() == 1 ? " " : "s ")
                            + String.join(", ", unknown) + ": the selected runs logged "
                            + (logged.isEmpty() ? "no metrics" : String.join(", ", logged)));
        }
    }

    /** @return data rows written */
    public long writeMetrics(List<RunView> selection, ExportFormat format, List<String> metrics, OutputStream out)
            throws IOException {
        return writeMetrics(selection, format, metrics, false, out);
    }

    /**
     * @param allAttempts also every earlier attempt of a retried run, oldest first, each labelled {@code
     *     <run>.attempt-<n>} in the run column (the latest keeps the plain id, so joins on params still hold)
     * @return data rows written
     */
    public long writeMetrics(
            List<RunView> selection, ExportFormat format, List<String> metrics, boolean allAttempts, OutputStream out)
            throws IOException {
        List<String> keys = keys(selection, allAttempts);
        MetricExport export = new MetricExport(store);
        switch (format) {
            case ARROW -> {
                try (RootAllocator allocator = new RootAllocator()) {
                    return export.writeArrowFile(Channels.newChannel(out), keys, metrics, allocator);
                }
            }
            case ARROW_STREAM -> {
                try (RootAllocator allocator = new RootAllocator()) {
                    return export.writeArrowStream(Channels.newChannel(out), keys, metrics, allocator);
                }
            }
            case PARQUET -> {
                return export.writeParquetLong(out, keys, metrics == null ? null : new java.util.HashSet<>(metrics));
            }
            case PARQUET_WIDE -> {
                return export.writeParquetWide(out, keys, metrics);
            }
            case CSV_WIDE -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                long n = export.writeCsvWide(w, keys, metrics);
                w.flush();
                return n;
            }
            default -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                long n = export.writeCsvLong(w, keys, metrics == null ? null : new java.util.HashSet<>(metrics));
                w.flush();
                return n;
            }
        }
    }

    /** The metric-store keys to export, existing files only: per run its earlier attempts (if asked), then the latest. */
    private List<String> keys(List<RunView> selection, boolean allAttempts) {
        List<String> keys = new ArrayList<>();
        for (RunView r : selection) {
            if (allAttempts) {
                for (int n = 1; n <= r.attempt() || store.exists(RunAttempts.attemptKey(r.id(), n)); n++) {
                    String earlier = RunAttempts.attemptKey(r.id(), n);
                    if (store.exists(earlier)) {
                        keys.add(earlier);
                    }
                }
            }
            if (store.exists(Long.toString(r.id()))) {
                keys.add(Long.toString(r.id()));
            }
        }
        return keys;
    }

    /**
     * The parameters table: run, experiment, seed, state, then one column per parameter. Numbers and
     * booleans are written as such (shortest round-trip decimals), so pandas and DuckDB type the column;
     * only text cells are escaped against formulas.
     */
    public void writeParams(List<RunView> selection, OutputStream out) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        selection.forEach(r -> names.addAll(r.params().keySet()));
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.write("run,experiment,seed,state");
        for (String n : names) {
            w.write(',');
            w.write(MetricExport.csvText(n));
        }
        w.write('\n');
        for (RunView r : selection) {
            w.write(r.id() + "," + MetricExport.csvText(r.experimentName()) + "," + r.seed() + "," + r.state());
            for (String n : names) {
                w.write(',');
                Object v = r.params().get(n);
                w.write(paramCell(v));
            }
            w.write('\n');
        }
        w.flush();
    }

    /** The parameters table as Parquet with typed columns (see {@link ParamsParquet}). */
    public void writeParamsParquet(List<RunView> selection, OutputStream out) throws IOException {
        ParamsParquet.write(selection, out);
    }

    static String paramCell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return MetricExport.formatValue(d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return MetricExport.csvText(String.valueOf(v));
    }
}

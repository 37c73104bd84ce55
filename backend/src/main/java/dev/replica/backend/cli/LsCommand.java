package dev.replica.backend.cli;

import dev.replica.backend.experiment.ExperimentQueries;
import dev.replica.backend.experiment.ExperimentView;
import dev.replica.backend.label.ArchivedScope;
import dev.replica.backend.run.RunCondition;
import dev.replica.backend.run.RunField;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunSort;
import dev.replica.backend.run.RunState;
import dev.replica.backend.run.RunView;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "List experiments, or the runs of one experiment (by id or name).",
            "Examples:  replica ls   |   replica ls 3   |   replica ls normuon-vs-muon --state QUEUED --param optimizer=muon",
            "           replica ls normuon-vs-muon --sort summary:last:val/loss --where 'param:lr>=0.01' --limit 10"
        })
public class LsCommand implements Callable<Integer> {

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Parameters(paramLabel = "EXPERIMENT", arity = "0..1", description = "experiment id or name: list its runs")
    String experiment;

    @Option(names = "--state", description = "only runs in this state: ${COMPLETION-CANDIDATES}")
    RunState state;

    @Option(
            names = "--param",
            paramLabel = "NAME=VALUE",
            description = "only runs with this parameter value (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--where",
            paramLabel = "FIELD OP VALUE",
            description = "only runs where this holds (repeatable), "
                    + "e.g. summary:last:val/loss<0.5, param:lr>=0.001, state!=FAILED; OP is one of = != < <= > >=;"
                    + " tag:NAME (!tag:NAME) keeps runs with (without) the tag")
    List<String> where = new ArrayList<>();

    @Option(
            names = "--sort",
            paramLabel = "[-]FIELD",
            description = "order by a run column (id, index, seed, state, "
                    + "started, finished, ...), param:NAME or summary:FIELD:METRIC (FIELD: last, min, max, count, ...); "
                    + "a leading - sorts descending; runs without a value come last")
    String sort;

    @Option(
            names = "--archived",
            paramLabel = "false|true|all",
            description = "archived runs and experiments: hidden (false, the default), only them (true) or all")
    String archived;

    @Option(names = "--limit", defaultValue = "200", description = "rows to show (default: ${DEFAULT-VALUE})")
    int limit;

    @Spec
    CommandSpec spec;

    @Inject
    ExperimentQueries experiments;

    @Inject
    RunQueries runs;

    @Inject
    ExperimentLookup lookup;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ArchivedScope scope;
        try {
            scope = ArchivedScope.parse(archived);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (experiment == null && state == null && params.isEmpty() && where.isEmpty() && sort == null) {
            listExperiments(out, scope);
        } else {
            Long id = experiment == null ? null : lookup.resolve(spec.commandLine(), experiment);
            listRuns(out, id, scope);
        }
        out.flush();
        return 0;
    }

    private void listExperiments(PrintWriter out, ArchivedScope scope) {
        List<ExperimentView> list = experiments.list(Math.min(limit, 1000), 0, scope);
        if (list.isEmpty()) {
            out.println("No experiments yet. Store one with `replica run SPEC.yaml`.");
            return;
        }
        TextTable table = new TextTable("ID", "NAME", "KIND", "RUNS", "STATES", "CREATED");
        for (ExperimentView e : list) {
            String states = e.runsByState().entrySet().stream()
                    .map(s -> s.getValue() + " " + s.getKey().toLowerCase())
                    .collect(Collectors.joining(", "));
            String name = e.displayName() == null ? e.name() : e.displayName() + " (" + e.name() + ")";
            if (!e.tags().isEmpty()) {
                name += " [" + String.join(", ", e.tags()) + "]";
            }
            table.row(e.id(), name, e.kind(), e.runCount(), states, TIME.format(e.createdAt()));
        }
        table.print(out);
    }

    private void listRuns(PrintWriter out, Long experimentId, ArchivedScope scope) {
        RunFilter filter;
        try {
            List<RunCondition> conditions = new ArrayList<>(where.stream()
                    .flatMap(w -> RunCondition.parseAll(w).stream())
                    .toList());
            switch (scope) {
                case HIDE -> conditions.add(RunCondition.parse("archived=false"));
                case ONLY -> conditions.add(RunCondition.parse("archived=true"));
                case ALL -> {}
            }
            filter = new RunFilter(
                    experimentId,
                    state,
                    params,
                    conditions,
                    RunSort.parse(sort),
                    Math.min(Math.max(limit, 1), RunFilter.MAX_LIMIT),
                    0);
            List<RunView> list = runs.list(filter);
            if (list.isEmpty()) {
                out.println("No runs match.");
                return;
            }
            printRuns(out, list, summaryColumns(filter, list));
            int total = runs.count(filter);
            if (total > list.size()) {
                out.println("(" + list.size() + " of " + total + " runs; --limit shows more)");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    /** The metric summaries the sort and the filters name, as extra columns: header → run id → value. */
    private Map<String, Map<Long, Double>> summaryColumns(RunFilter filter, List<RunView> list) {
        Map<String, Map<Long, Double>> columns = new LinkedHashMap<>();
        List<RunField> fields = new ArrayList<>();
        if (filter.sort() != null) {
            fields.add(filter.sort().field());
        }
        filter.conditions().forEach(c -> fields.add(c.field()));
        List<Long> ids = list.stream().map(RunView::id).toList();
        for (RunField f : fields) {
            if (f.kind() == RunField.Kind.SUMMARY && !columns.containsKey(f.toString())) {
                columns.put(f.toString(), runs.summaryValues(ids, f));
            }
        }
        return columns;
    }

    private void printRuns(PrintWriter out, List<RunView> list, Map<String, Map<Long, Double>> summaries) {
        Set<String> varying = varyingParams(list);
        boolean labelled =
                list.stream().anyMatch(r -> r.displayName() != null || !r.tags().isEmpty());
        String[] headers = new String[5 + varying.size() + summaries.size() + (labelled ? 1 : 0)];
        headers[0] = "RUN";
        headers[1] = "EXPERIMENT";
        headers[2] = "#";
        headers[3] = "STATE";
        int i = 4;
        for (String k : varying) {
            headers[i++] = k;
        }
        headers[i++] = "SEED";
        for (String k : summaries.keySet()) {
            headers[i++] = k.substring("summary:".length());
        }
        if (labelled) {
            headers[i] = "NAME [TAGS]";
        }
        TextTable table = new TextTable(headers);
        for (RunView r : list) {
            Object[] cells = new Object[headers.length];
            cells[0] = r.id();
            cells[1] = r.experimentName();
            cells[2] = r.index();
            cells[3] = r.state();
            int c = 4;
            for (String k : varying) {
                cells[c++] = r.params().get(k);
            }
            cells[c++] = r.seed();
            for (Map<Long, Double> values : summaries.values()) {
                Double v = values.get(r.id());
                cells[c++] = v == null ? "-" : number(v);
            }
            if (labelled) {
                String label = r.displayName() == null ? "" : r.displayName();
                if (!r.tags().isEmpty()) {
                    label += (label.isEmpty() ? "" : " ") + "[" + String.join(", ", r.tags()) + "]";
                }
                cells[c] = label;
            }
            table.row(cells);
        }
        table.print(out);
    }

    private static Set<String> varyingParams(List<RunView> list) {
        Map<String, Object> first = list.get(0).params();
        Set<String> varying = new TreeSet<>();
        for (RunView r : list) {
            for (Map.Entry<String, Object> p : r.params().entrySet()) {
                if (!p.getValue().equals(first.get(p.getKey()))) {
                    varying.add(p.getKey());
                }
            }
        }
        return varying;
    }
}

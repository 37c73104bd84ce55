package dev.replica.backend.search;

import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.compare.ComparisonReport.Group;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How {@code replica run} words a search: each decision as it happens, and the best configuration at the end. */
public final class SearchText {

    private SearchText() {}

    /** {@code pruned   lr=0.01 at rung 1 (step ≥ 300): mean 0.42, rank 3 of 3, cut-off 0.2; stopped runs 7, 8}. */
    public static String decision(SearchEvent e) {
        String text = e.text();
        int space = text.indexOf(' ');
        String verb = text.substring(0, space);
        StringBuilder sb =
                new StringBuilder(String.format(Locale.ROOT, "%-8s %s%s", verb, e.label(), text.substring(space)));
        if (!e.runIds().isEmpty()) {
            sb.append("; stopped run").append(e.runIds().size() == 1 ? " " : "s ");
            sb.append(String.join(", ", e.runIds().stream().map(String::valueOf).toList()));
        }
        return sb.toString();
    }

    /**
     * The best configuration among those whose every seed ran to the end (a pruned configuration's surviving seeds
     * are not a fair sample), by the report's per-run value, with its confidence interval.
     */
    public static String best(ComparisonReport report) {
        List<Group> complete = report.groups().stream()
                .filter(g -> g.n() > 0 && g.n() == g.runs() && g.mean() != null)
                .toList();
        Comparator<Group> byMean = Comparator.comparingDouble(Group::mean);
        Optional<Group> best =
                complete.stream().min("max".equalsIgnoreCase(report.goal()) ? byMean.reversed() : byMean);
        if (best.isEmpty()) {
            return "No configuration ran to the end on every seed.";
        }
        Group g = best.get();
        String ci = g.ciLow() == null
                ? " (one seed: no CI)"
                : String.format(
                        Locale.ROOT, " (%.0f%% CI %.6g … %.6g)", 100 * report.confidence(), g.ciLow(), g.ciHigh());
        return String.format(
                Locale.ROOT,
                "Best configuration: %s: %s %s %.6g%s over %d seed%s; %d of %d configurations ran to the end.",
                g.label(),
                report.value(),
                report.metric(),
                g.mean(),
                ci,
                g.n(),
                g.n() == 1 ? "" : "s",
                complete.size(),
                report.groups().size());
    }

    /** {@code proposed #5 (model, from 4 results, 1 pending): lr=0.0031, momentum=0.42}. */
    public static String proposal(SearchLog.StoredProposal p) {
        String params = p.params().entrySet().stream()
                .map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
        String from = p.origin().equals("model")
                ? String.format(
                        Locale.ROOT,
                        "model, from %d result%s%s",
                        p.observed(),
                        p.observed() == 1 ? "" : "s",
                        p.pending() == 0 ? "" : ", " + p.pending() + " pending")
                : "random start";
        return String.format(Locale.ROOT, "%-8s #%d (%s): %s", "proposed", p.index(), from, params);
    }

    /** {@code Budget: 12 of 16 configurations, 36 runs (36 ended, 10 pruned), max_runs 48; 27300 steps spent.} */
    public static String budget(SearchState s) {
        SearchState.Budget b = s.budget();
        return String.format(
                Locale.ROOT,
                "Budget (%s): %d of %d configurations, %d run%s (%d ended, %d pruned)%s; %d steps spent.",
                s.method(),
                b.started(),
                b.configurations(),
                b.runs(),
                b.runs() == 1 ? "" : "s",
                b.finished(),
                b.pruned(),
                b.maxRuns() == null ? "" : " of max_runs " + b.maxRuns(),
                b.resourceSpent());
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(v);
    }
}

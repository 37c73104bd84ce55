package dev.replica.backend.compare;

import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.compare.ComparisonReport.Group;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ComparisonReport} as a terminal table or as Markdown. Formatting only: every number
 * comes from the report.
 */
public final class ComparisonText {
    private ComparisonText() {}

    /** The header line: what is compared and how. */
    public static String title(ComparisonReport r) {
        return r.metric() + " (" + r.value() + " value per run; " + r.goal() + " is better), mean ± "
                + Math.round(r.confidence() * 100) + "% CI over seeds; baseline "
                + r.baseline().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(", "))
                + ":";
    }

    /** The columns, one list of cells per group. */
    private static List<List<String>> cells(ComparisonReport r) {
        boolean efficiency = r.efficiencyMeasure() != null;
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of(
                "CONFIGURATION",
                "RUNS",
                "MEAN",
                Math.round(r.confidence() * 100) + "% CI",
                "p vs BASELINE (Welch, Holm)",
                "p (Mann–Whitney, Holm)",
                "HEDGES' g"));
        if (efficiency) {
            head.add("EFFICIENCY [95% CI]");
        }
        head.add("NOTE");
        rows.add(head);
        for (Group g : r.groups()) {
            List<String> row = new ArrayList<>();
            row.add(g.label() + (g.baseline() ? " (baseline)" : ""));
            row.add(g.n() == g.runs() ? Integer.toString(g.n()) : g.n() + " of " + g.runs());
            row.add(number(g.mean()));
            row.add(g.ciLow() == null ? "—" : "[" + number(g.ciLow()) + ", " + number(g.ciHigh()) + "]");
            row.add(g.baseline() ? "" : p(g.welchPHolm()));
            row.add(g.baseline() ? "" : p(g.mannWhitneyPHolm()));
            row.add(g.baseline() ? "" : g.hedgesG() == null ? "—" : String.format(Locale.ROOT, "%.2f", g.hedgesG()));
            if (efficiency) {
                row.add(g.baseline() ? "" : efficiency(g.efficiency()));
            }
            row.add(note(g));
            rows.add(row);
        }
        return rows;
    }

    /** {@code 2 of 3 diverged, 1 running} or empty. */
    public static String note(Group g) {
        List<String> parts = new ArrayList<>();
        if (g.diverged() > 0) {
            parts.add(g.diverged() + " of " + g.runs() + " diverged");
        }
        if (g.running() > 0) {
            parts.add(g.running() + " of " + g.runs() + " running");
        }
        if (g.missing() > 0) {
            parts.add(g.missing() + " of " + g.runs() + " without a value");
        }
        return String.join(", ", parts);
    }

    /** The report as an aligned table with the warnings and the efficiency's definition below it. */
    public static void printTable(ComparisonReport r, PrintWriter out) {
        out.println(title(r));
        List<List<String>> rows = cells(r);
        int[] width = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(row.get(i)).append(" ".repeat(width[i] - row.get(i).length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        footer(r, out, "");
        out.flush();
    }

    /** The report as a Markdown table with the warnings as a list. */
    public static void printMarkdown(ComparisonReport r, PrintWriter out) {
        out.println(title(r));
        out.println();
        List<List<String>> rows = cells(r);
        for (int i = 0; i < rows.size(); i++) {
            out.println("| "
                    + String.join(
                            " | ",
                            rows.get(i).stream().map(c -> c.replace("|", "\\|")).toList()) + " |");
            if (i == 0) {
                out.println("|" + "---|".repeat(rows.get(0).size()));
            }
        }
        out.println();
        footer(r, out, "- ");
        out.flush();
    }

    private static void footer(ComparisonReport r, PrintWriter out, String bullet) {
        if (r.efficiencyMeasure() != null) {
            String measure = r.efficiencyMeasure();
            String x = measure.startsWith("time_") ? "time" : "steps";
            out.println(bullet + "Efficiency (" + measure + "): 1 − " + x + " to reach the baseline's "
                    + (measure.endsWith("_best") ? "best" : "final") + " " + r.metric() + " ÷ the baseline's " + x
                    + ", on seed-mean curves of the runs with a value; +30% = 30% fewer " + x
                    + ". CI: bootstrap over seeds.");
        }
        for (String w : r.warnings()) {
            out.println(bullet + "Warning: " + w);
        }
    }

    public static String number(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.4g", v);
    }

    public static String p(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.3g", v);
    }

    /** {@code +31% [+12%, +45%]}, {@code never reaches (within 200)} or {@code —}. */
    public static String efficiency(ComparisonReport.GroupEfficiency e) {
        if (e == null) {
            return "—";
        }
        if (e.value() == null) {
            return String.format(Locale.ROOT, "never reaches (within %.0f)", e.lastX());
        }
        String value = percent(e.value());
        if (e.resamples() == 0) {
            return value;
        }
        return value + " [" + (e.ciLow() == null ? "−∞" : percent(e.ciLow())) + ", "
                + (e.ciHigh() == null ? "−∞" : percent(e.ciHigh())) + "]";
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%+.0f%%", 100 * v);
    }
}

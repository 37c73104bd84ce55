package dev.replica.experiments.manifest;

import dev.replica.experiments.manifest.ManifestDiff.Difference;
import java.util.List;
import java.util.Objects;

/**
 * What {@code replica reproduce} prints and returns: the metric comparison of the original run and
 * the rerun, with the manifest differences that might explain a divergence.
 *
 * @param environment differences from the original manifest to the rerun's
 * @param metrics the comparison of the two metric streams
 */
public record ReproductionReport(ManifestDiff environment, MetricStreamComparison.Result metrics) {
    public ReproductionReport {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** 0 when bit-identical or within the tolerance, 1 when the streams diverged. */
    public int exitCode() {
        return metrics.passes() ? 0 : 1;
    }

    /**
     * The differences worth a warning before the rerun starts: those that can change results
     * ({@link ManifestDiff#suspects()}).
     */
    public List<Difference> warnings() {
        return environment.suspects();
    }

    /** A terminal report: the verdict, then on divergence the suspect differences (or that there are none). */
    public String render(String originalLabel, String rerunLabel) {
        StringBuilder out = new StringBuilder(metrics.render());
        if (!metrics.passes()) {
            List<Difference> suspects = warnings();
            if (suspects.isEmpty()) {
                out.append("no recorded difference in code, data, backend or machine explains it\n");
            } else {
                out.append("differences that may explain it (")
                        .append(originalLabel)
                        .append(" -> ")
                        .append(rerunLabel)
                        .append("):\n");
                for (Difference d : suspects) {
                    out.append("  ")
                            .append(d.group())
                            .append(' ')
                            .append(d.field())
                            .append(": ")
                            .append(d.left() == null ? "(absent)" : d.left())
                            .append(" -> ")
                            .append(d.right() == null ? "(absent)" : d.right())
                            .append('\n');
                }
            }
        }
        return out.toString();
    }
}

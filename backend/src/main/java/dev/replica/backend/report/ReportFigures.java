package dev.replica.backend.report;

import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.compare.ComparisonReport.Group;
import dev.replica.experiments.compare.GroupSeries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's figures as PNG files (xchart, headless): every figure carries its title, axis titles and a
 * legend. Drawing only: the numbers come from the comparison report and the group curves.
 */
final class ReportFigures {
    private ReportFigures() {}

    static final int WIDTH = 900;
    static final int HEIGHT = 560;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
    };

    static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(x)
                .yAxisTitle(y)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setAntiAlias(true);
        return chart;
    }

    /**
     * Each group's seed-mean curve with its confidence band (the band only where two or more runs have a
     * value). Diverged runs count up to their last finite point.
     */
    static void curves(Path file, String title, String metric, List<GroupSeries> groups) throws IOException {
        XYChart chart = chart(title, "step", metric);
        int i = 0;
        for (GroupSeries g : groups) {
            Color c = color(i++);
            int n = 0;
            for (int k = 0; k < g.x().length; k++) {
                if (!Double.isNaN(g.mean()[k])) {
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            int j = 0;
            for (int k = 0; k < g.x().length; k++) {
                if (!Double.isNaN(g.mean()[k])) {
                    x[j] = g.x()[k];
                    y[j++] = g.mean()[k];
                }
            }
            band(chart, g, c);
            XYSeries s = chart.addSeries(g.key().label() + " (n=" + g.runCount() + ")", x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(c);
            s.setLineWidth(1.8f);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The band as one polygon: low ends left to right, then high ends right to left. */
    private static void band(XYChart chart, GroupSeries g, Color c) {
        int n = 0;
        for (int k = 0; k < g.x().length; k++) {
            if (!Double.isNaN(g.ciLow()[k])) {
                n++;
            }
        }
        if (n < 2) {
            return;
        }
        double[] x = new double[2 * n];
        double[] y = new double[2 * n];
        int j = 0;
        for (int k = 0; k < g.x().length; k++) {
            if (!Double.isNaN(g.ciLow()[k])) {
                x[j] = g.x()[k];
                y[j] = g.ciLow()[k];
                x[2 * n - 1 - j] = g.x()[k];
                y[2 * n - 1 - j] = g.ciHigh()[k];
                j++;
            }
        }
        XYSeries s = chart.addSeries(g.key().label() + " band", x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 50));
        s.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
        s.setShowInLegend(false);
    }

    /** Every run's value as a point over its group (spread sideways by seed so equal values stay visible). */
    static void values(Path file, String title, ComparisonReport report) throws IOException {
        XYChart chart = chart(title, "group", report.metric() + " (" + report.value() + ")");
        List<Group> groups = report.groups();
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> groupTick(groups, v));
        chart.getStyler().setXAxisMin(-0.5);
        chart.getStyler().setXAxisMax(groups.size() - 0.5);
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            index.put(groups.get(i).label(), i);
        }
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            List<ComparisonReport.RunValue> ok = report.runs().stream()
                    .filter(r -> r.group().equals(g.label()) && r.value() != null)
                    .toList();
            if (ok.isEmpty()) {
                continue;
            }
            double[] x = new double[ok.size()];
            double[] y = new double[ok.size()];
            for (int k = 0; k < ok.size(); k++) {
                x[k] = i + 0.25 * ((k + 0.5) / ok.size() - 0.5);
                y[k] = ok.get(k).value();
            }
            String note = g.diverged() > 0 ? ", " + g.diverged() + " of " + g.runs() + " diverged" : "";
            XYSeries s = chart.addSeries(g.label() + " (n=" + g.n() + note + ")", x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(color(i));
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Each candidate's efficiency as a point with its bootstrap interval (an open end is drawn to the edge).
     *
     * @return false when no candidate has an efficiency (no figure written)
     */
    static boolean efficiency(Path file, String title, ComparisonReport report) throws IOException {
        List<Group> groups = report.groups().stream()
                .filter(g -> g.efficiency() != null && g.efficiency().value() != null)
                .toList();
        if (groups.isEmpty()) {
            return false;
        }
        XYChart chart = chart(title, "group", "efficiency (1 − x ÷ baseline x), %");
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> groupTick(groups, v));
        chart.getStyler().setXAxisMin(-0.5);
        chart.getStyler().setXAxisMax(groups.size() - 0.5);
        double lo = 0;
        double hi = 0;
        for (Group g : groups) {
            ComparisonReport.GroupEfficiency e = g.efficiency();
            lo = Math.min(lo, Math.min(e.value(), e.ciLow() == null ? e.value() : e.ciLow()));
            hi = Math.max(hi, Math.max(e.value(), e.ciHigh() == null ? e.value() : e.ciHigh()));
        }
        double pad = Math.max(0.05, (hi - lo) * 0.1);
        for (int i = 0; i < groups.size(); i++) {
            ComparisonReport.GroupEfficiency e = groups.get(i).efficiency();
            double low = e.ciLow() == null ? lo - pad : e.ciLow();
            double high = e.ciHigh() == null ? hi + pad : e.ciHigh();
            if (e.resamples() > 0) {
                XYSeries ci = chart.addSeries(
                        groups.get(i).label() + " CI", new double[] {i, i}, new double[] {100 * low, 100 * high});
                ci.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                ci.setMarker(SeriesMarkers.NONE);
                ci.setLineColor(color(i));
                ci.setLineStyle(new BasicStroke(2f));
                ci.setShowInLegend(false);
            }
            XYSeries point = chart.addSeries(
                    groups.get(i).label() + String.format(Locale.ROOT, " %+.0f%%", 100 * e.value()),
                    new double[] {i},
                    new double[] {100 * e.value()});
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            point.setMarker(SeriesMarkers.DIAMOND);
            point.setMarkerColor(color(i));
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    /** Group i's number as the tick label at integer x, nothing between (the legend names the groups). */
    private static String groupTick(List<Group> groups, double v) {
        long i = Math.round(v);
        return Math.abs(v - i) < 1e-9 && i >= 0 && i < groups.size() ? "#" + (i + 1) : "";
    }
}

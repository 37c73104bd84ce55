package dev.replica.backend.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.metrics.MetricBatch;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The workbench at the scale, timed with the pages' own Performance API figures and printed (a
 * benchmark run by a test, not a timed assertion; the figures go to docs/ui.md):
 * <ul>
 *   <li>the compare view of 100 runs × 100,000 points of one metric, ten configurations of ten seeds,
 *       grouped with bands and the comparison table: {@code data-draw-ms}, from the page script's start
 *       through the fetches to the first draw, cold and again with the server's caches warm; then a zoom
 *       that refetches the grouped curves;</li>
 *   <li>the runs table of a 10,000-run experiment: {@code data-render-ms}, the first screen after the
 *       data arrived, and {@code data-fetch-ms}.</li>
 * </ul>
 *
 * <p>Tagged {@code bench}: the default suite leaves it out; {@code bench/workbench-at-scale.sh} runs it.
 */
@Tag("bench")
@QuarkusTest
@TestProfile(WorkbenchBrowserTest.BrowserProfile.class)
class WorkbenchAtScaleBrowserTest {

    static final int RUNS_PER_CONFIG = 10;
    static final int CONFIGS = 10;
    static final int POINTS = 100_000;
    static final int BATCH = 10_000;

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    MetricService metrics;

    @Inject
    dev.replica.experiments.metrics.MetricStore store;

    @Inject
    dev.replica.backend.run.RunService runService;

    @TestHTTPResource("/")
    URL base;

    @Test
    void comparesAHundredRunsOfAHundredThousandPoints() throws Exception {
        WorkbenchBrowserTest.requireChromium();
        String lrs = java.util.stream.IntStream.rangeClosed(1, CONFIGS)
                .mapToObj(i -> String.valueOf(i / 10.0))
                .collect(Collectors.joining(", "));
        String seeds = java.util.stream.IntStream.range(0, RUNS_PER_CONFIG)
                .mapToObj(String::valueOf)
                .collect(Collectors.joining(", "));
        long experimentId = experiments
                .create("""
                apiVersion: replica/v1
                name: compare-at-scale
                kind: command
                command: [python3, -c, "import sys", "{lr}"]
                sweep: {grid: {lr: [%s]}}
                seeds: [%s]
                metric: {primary: loss, goal: min}
                """.formatted(lrs, seeds), "compare-at-scale.yaml")
                .experimentId();
        List<RunView> all = runs.list(new RunFilter(experimentId, null, Map.of(), 1000, 0));
        assertThat(all).hasSize(CONFIGS * RUNS_PER_CONFIG);
        for (RunView run : all) {
            WorkbenchBrowserTest.waitForState(run.id(), "SUCCEEDED");
        }

        long t0 = System.nanoTime();
        SplittableRandom random = new SplittableRandom(42);
        long[] steps = new long[BATCH];
        long[] times = new long[BATCH];
        double[] values = new double[BATCH];
        for (RunView run : all) {
            double lr = ((Number) run.params().get("lr")).doubleValue();
            for (int from = 0; from < POINTS; from += BATCH) {
                for (int i = 0; i < BATCH; i++) {
                    long step = from + i;
                    steps[i] = step;
                    times[i] = 1_700_000_000_000L + 20 * step;
                    values[i] = (1 + lr) / Math.sqrt(1 + step / (100.0 * lr)) + 0.02 * random.nextGaussian();
                }
                metrics.append(run.id(), MetricBatch.dense("loss", steps.clone(), times.clone(), values.clone()));
            }
        }
        System.out.printf(
                "compare at scale: %,d points stored in %.1f s%n",
                (long) all.size() * POINTS, (System.nanoTime() - t0) / 1e9);

        Files.createDirectories(WorkbenchBrowserTest.SHOTS);
        int port = WorkbenchBrowserTest.freePort();
        Process preview = WorkbenchBrowserTest.servePreview(base.toString().replaceAll("/$", ""), port);
        String ids = all.stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(","));
        String url = "http://127.0.0.1:" + port + "/compare?runs=" + ids + "&metric=loss&by=lr";
        try (Playwright playwright = WorkbenchBrowserTest.playwright();
                Browser browser = WorkbenchBrowserTest.launchChromium(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000))
                    .newPage();
            page.setDefaultTimeout(180_000);
            for (String pass : List.of("cold", "warm", "warm")) {
                page.navigate(url);
                page.waitForFunction("() => document.getElementById('app').dataset.drawMs !== undefined");
                page.waitForSelector("table.groups tbody tr");
                Object drawMs = page.evaluate("() => document.getElementById('app').dataset.drawMs");
                System.out.printf(
                        "compare %d runs x %,d points, grouped by lr (%s server caches): interactive after %s ms%n",
                        all.size(), POINTS, pass, drawMs);
                assertThat(page.locator("table.groups tbody tr").count()).isEqualTo(CONFIGS);
                assertThat(page.locator("figure.chart canvas").count()).isPositive();
            }
            // Zooming into the grouped chart refetches the curves over the visible steps only.
            var over = page.locator("figure.chart .u-over").first().boundingBox();
            var zoomed = page.waitForResponse(
                    r -> r.url().contains("/api/runs/groups") && r.url().contains("table=false"), () -> {
                        page.mouse().move(over.x + over.width * 0.6, over.y + over.height / 2);
                        page.mouse().down();
                        page.mouse()
                                .move(
                                        over.x + over.width * 0.7,
                                        over.y + over.height / 2,
                                        new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
                        page.mouse()
                                .move(
                                        over.x + over.width * 0.8,
                                        over.y + over.height / 2,
                                        new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
                        page.mouse().up();
                    });
            assertThat(zoomed.status()).isEqualTo(200);
            assertThat(zoomed.url()).contains("from=").contains("to=");
            assertThat(page.locator("table.groups tbody tr").count()).isEqualTo(CONFIGS);
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(WorkbenchBrowserTest.SHOTS.resolve("compare-at-scale.png")));
            // Where the time goes: the group endpoint alone, with the decode cache emptied and then warm.
            for (int rep = 0; rep < 3; rep++) {
                all.forEach(r -> store.evict(Long.toString(r.id())));
                long a = System.nanoTime();
                given().get("/api/runs/groups?ids=" + ids + "&metric=loss&by=lr&buckets=500")
                        .then()
                        .statusCode(200);
                long b = System.nanoTime();
                given().get("/api/runs/groups?ids=" + ids + "&metric=loss&by=lr&buckets=500")
                        .then()
                        .statusCode(200);
                long c = System.nanoTime();
                for (RunView r : all) {
                    given().get("/api/runs/" + r.id()).then().statusCode(200);
                }
                long d = System.nanoTime();
                System.out.printf(
                        "  /api/runs/groups: %.0f ms cold, %.0f ms warm; 100 x /api/runs/{id} one after another: %.0f ms%n",
                        (b - a) / 1e6, (c - b) / 1e6, (d - c) / 1e6);
            }
        } finally {
            WorkbenchBrowserTest.stop(preview);
        }
    }

    @Test
    void rendersTheRunsTableOfATenThousandRunSweep() throws Exception {
        WorkbenchBrowserTest.requireChromium();
        String values = java.util.stream.IntStream.range(0, 100)
                .mapToObj(String::valueOf)
                .collect(Collectors.joining(", "));
        long t0 = System.nanoTime();
        long experimentId = experiments
                .create("""
                apiVersion: replica/v1
                name: ten-thousand
                kind: command
                command: [python3, -c, "pass", "{a}", "{b}"]
                sweep: {grid: {a: [%s], b: [%s]}}
                """.formatted(values, values), "ten-thousand.yaml")
                .experimentId();
        // Nothing needs to run: cancel them all (the scheduler may have started one or two; they end at once).
        List<RunView> all = runs.list(new RunFilter(experimentId, null, Map.of(), RunFilter.MAX_LIMIT, 0));
        assertThat(all).hasSize(10_000);
        all.forEach(r -> runService.requestCancel(r.id(), "the runs table test needs no results"));
        System.out.printf(
                "runs table at scale: 10,000 runs stored and cancelled in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Files.createDirectories(WorkbenchBrowserTest.SHOTS);
        int port = WorkbenchBrowserTest.freePort();
        Process preview = WorkbenchBrowserTest.servePreview(base.toString().replaceAll("/$", ""), port);
        try (Playwright playwright = WorkbenchBrowserTest.playwright();
                Browser browser = WorkbenchBrowserTest.launchChromium(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000))
                    .newPage();
            page.setDefaultTimeout(180_000);
            for (int pass = 0; pass < 3; pass++) {
                page.navigate("http://127.0.0.1:" + port + "/experiments/" + experimentId);
                page.waitForFunction("() => document.getElementById('app').dataset.renderMs !== undefined");
                System.out.printf(
                        "runs table, 10,000 runs: first screen %s ms after the data arrived (fetch %s ms)%n",
                        page.evaluate("() => document.getElementById('app').dataset.renderMs"),
                        page.evaluate("() => document.getElementById('app').dataset.fetchMs"));
                // virtualized: a screenful of rows in the DOM, whatever the count
                assertThat(page.locator(".vtable tbody tr[aria-rowindex]").count())
                        .isBetween(10, 200);
            }
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(WorkbenchBrowserTest.SHOTS.resolve("runs-table-10000.png")));
        } finally {
            WorkbenchBrowserTest.stop(preview);
        }
    }
}

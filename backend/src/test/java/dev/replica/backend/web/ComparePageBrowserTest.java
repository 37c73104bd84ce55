package dev.replica.backend.web;

import static dev.replica.backend.web.WorkbenchBrowserTest.SHOTS;
import static dev.replica.backend.web.WorkbenchBrowserTest.freePort;
import static dev.replica.backend.web.WorkbenchBrowserTest.launchChromium;
import static dev.replica.backend.web.WorkbenchBrowserTest.playwright;
import static dev.replica.backend.web.WorkbenchBrowserTest.requireChromium;
import static dev.replica.backend.web.WorkbenchBrowserTest.servePreview;
import static dev.replica.backend.web.WorkbenchBrowserTest.stop;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.replica.backend.compare.DivergedAndAllEqualExperiment;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.profiles.H2Profile;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compare page in Chromium against the comparison endpoint: for an experiment with a diverged run and an
 * all-equal group, every number of the page's group table is the one {@code GET
 * /api/experiments/{id}/comparison} serves (to the digits shown), the diverged group says "1 of 3 diverged" in
 * the table and the legend, and a link with unknown run ids shows the known runs under a notice naming the
 * unknown ones. Runs in the shared H2 profile; skipped without Chromium unless {@code CI=true}.
 */
@QuarkusTest
@TestProfile(H2Profile.class)
class ComparePageBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    RunService runService;

    @Inject
    MetricService metrics;

    @Inject
    ObjectMapper json;

    @Test
    void groupTableShowsTheComparisonEndpointsNumbersAndUnknownRunsAreNamed() throws Exception {
        requireChromium();
        Files.createDirectories(SHOTS);
        long experimentId = DivergedAndAllEqualExperiment.store(experiments, runs, runService, metrics);
        List<Long> ids = runs.list(new RunFilter(experimentId, null, Map.of(), 100, 0)).stream()
                .map(RunView::id)
                .toList();
        assertThat(ids).hasSize(9);
        JsonNode report = json.readTree(given().get("/api/experiments/" + experimentId + "/comparison")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        String link = "/compare?runs="
                + ids.subList(0, 4).stream().map(String::valueOf).collect(Collectors.joining(","))
                + ",987654321,"
                + ids.subList(4, 9).stream().map(String::valueOf).collect(Collectors.joining(","))
                + ",987654322&metric=val/loss&by=optimizer";
        int port = freePort();
        Process preview = servePreview(base.toString().replaceAll("/$", ""), port);
        String root = "http://127.0.0.1:" + port;
        try (Playwright playwright = playwright();
                Browser browser = launchChromium(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 1000))
                    .newPage();
            page.setDefaultTimeout(60_000);
            page.navigate(root + link);
            page.waitForSelector("table.groups tbody tr");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(SHOTS.resolve("compare-diverged.png"))
                    .setFullPage(true));

            // The unknown ids are named; the nine runs that exist are compared.
            assertThat(page.locator("h1").innerText()).isEqualTo("Compare 9 runs");
            assertThat(page.locator("p.not-found").innerText())
                    .isEqualTo("Runs 987654321, 987654322 were not found (deleted, or a wrong id in the link). "
                            + "Showing the other 9 runs.");
            assertThat(page.locator("section[aria-label='Compared runs'] tbody tr")
                            .count())
                    .isEqualTo(9);

            // Every group row holds the endpoint's numbers.
            List<String> rows = page.locator("table.groups tbody tr").allInnerTexts();
            assertThat(rows).hasSize(3);
            for (JsonNode g : report.get("groups")) {
                String label = g.get("label").asText();
                List<String> cells = page
                        .locator("table.groups tbody tr")
                        .filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(label))
                        .locator("td")
                        .allInnerTexts()
                        .stream()
                        .map(String::trim)
                        .toList();
                assertThat(cells.get(0))
                        .as(label)
                        .endsWith(label + (g.get("baseline").asBoolean() ? " (baseline)" : ""));
                String n = g.get("diverged").asInt() > 0
                        ? g.get("n").asInt() + " (" + g.get("diverged").asInt() + " of "
                                + g.get("runs").asInt() + " diverged)"
                        : Integer.toString(g.get("n").asInt());
                assertThat(cells.get(1)).as(label + " n").isEqualTo(n);
                assertShows(cells.get(2).split(" ± ")[0], g.get("mean"), label + " mean");
                String[] ci = cells.get(3).replaceAll("[\\[\\]]", "").split(", ");
                assertShows(ci[0], g.get("ciLow"), label + " CI low");
                assertShows(ci[1], g.get("ciHigh"), label + " CI high");
                assertShows(cells.get(4), g.get("welchPHolm"), label + " Welch p (Holm)");
                assertShows(cells.get(5), g.get("mannWhitneyPHolm"), label + " Mann–Whitney p (Holm)");
                if (!g.get("baseline").asBoolean()) {
                    assertShows(cells.get(6), g.get("hedgesG"), label + " Hedges' g");
                }
            }
            // The hand-derived facts behind those numbers: sgd has one diverged run, muon equals the baseline.
            assertThat(rows).anyMatch(r -> r.contains("optimizer=sgd") && r.contains("2 (1 of 3 diverged)"));
            assertThat(rows).anyMatch(r -> r.startsWith("■ optimizer=muon") && r.contains("\t1.0\t"));
            // The legend says it too.
            assertThat(page.locator("figure.chart .u-legend .u-series").allInnerTexts())
                    .anyMatch(t -> t.contains("optimizer=sgd (n=3, 1 of 3 diverged)"));

            // A link whose every id is unknown says so instead of failing.
            page.navigate(root + "/compare?runs=987654321");
            page.waitForSelector("p.not-found");
            assertThat(page.locator("p.not-found").innerText())
                    .isEqualTo("Run 987654321 was not found (deleted, or a wrong id in the link). "
                            + "None of the linked runs exists.");
        } finally {
            stop(preview);
        }
    }

    /**
     * The page shows {@code expected} rounded: the shown number may differ from it by at most half a unit of
     * its last shown digit. An absent number (JSON null) shows as an empty cell or a dash; "< 0.001" as a p below it.
     */
    private static void assertShows(String shown, JsonNode expected, String what) {
        if (expected == null || expected.isNull()) {
            // an empty cell where the CLI leaves one too; "—" where `replica compare` prints one (Hedges' g)
            assertThat(shown).as(what).isIn("", "—");
            return;
        }
        double value = expected.asDouble();
        if (shown.equals("< 0.001")) {
            assertThat(value).as(what).isLessThan(0.001);
            return;
        }
        BigDecimal number = new BigDecimal(shown.replace('−', '-'));
        double halfUnit = 0.5 * Math.pow(10, -number.scale());
        assertThat(Math.abs(number.doubleValue() - value))
                .as("%s: page shows %s, the endpoint says %s", what, shown, value)
                .isLessThanOrEqualTo(halfUnit * (1 + 1e-9));
    }
}

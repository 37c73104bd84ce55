package dev.replica.backend.web;

import static dev.replica.backend.web.WorkbenchBrowserTest.SHOTS;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runs table and the experiments list in Chromium (issue #16): both follow runs live over server-sent events
 * without a reload; the default columns put name, state and the primary metric with its best first and show a
 * failed run's reason; the column chooser's choice is remembered per experiment; bulk actions archive, unarchive,
 * cancel, retry and delete the selection, listing each run the server refused; an experiment's labels are edited
 * in place and its Markdown note shows no HTML of its text; the experiments list searches names and tags. Shares
 * {@link WorkbenchBrowserTest}'s profile (one application boot) and its Chromium and preview helpers.
 */
@QuarkusTest
@TestProfile(WorkbenchBrowserTest.BrowserProfile.class)
class RunsTableBrowserTest {

    /**
     * Four command runs that log train/loss and train/acc twice a second for about four seconds; the two with mode=fail exit
     * with status 3. The script has no braces: the argv template would read them as parameters.
     */
    static final String LIVE_SPEC = """
            apiVersion: replica/v1
            name: live-table
            kind: command
            command:
              - python3
              - -c
              - |
                import json, sys, time
                lr = float(sys.argv[1])
                for s in range(8):
                    point = [("step", s), ("train/loss", 1.0 / (1.0 + lr * s)), ("train/acc", lr * s / 20.0)]
                    print(json.dumps(dict(point)), flush=True)
                    time.sleep(0.5)
                if sys.argv[2] == "fail":
                    print("diverged", file=sys.stderr)
                    sys.exit(3)
              - "{lr}"
              - "{mode}"
            sweep:
              grid: {lr: [0.5, 2.0], mode: [ok, fail]}
            metric: {primary: train/loss, goal: min}
            """;

    /** Two runs that sleep until cancelled. */
    static final String SLEEPER_SPEC = """
            apiVersion: replica/v1
            name: bulk-sleepers
            kind: command
            command: [python3, -c, "import time; time.sleep(600)", "{n}"]
            sweep:
              grid: {n: [1, 2]}
            """;

    @Inject
    TokenService tokens;

    @TestHTTPResource("/")
    URL base;

    private String token;

    private long createExperiment(String spec) {
        return given().header("Authorization", "Bearer " + token)
                .contentType("application/yaml")
                .body(spec.getBytes(StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    private static List<Long> runIds(long experimentId) {
        return given().get("/api/runs?experiment=" + experimentId + "&archived=all")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", Long.class);
    }

    private static void ready(Page page) {
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
    }

    /** Marks the page; {@link #notReloaded} fails when a navigation or reload dropped the mark. */
    private static void mark(Page page) {
        page.evaluate("() => { window.__sameDocument = true; }");
    }

    private static void notReloaded(Page page) {
        assertThat(page.evaluate("() => window.__sameDocument === true"))
                .as("the page was reloaded")
                .isEqualTo(true);
    }

    private static void waitForRows(Page page, int n) {
        page.waitForFunction("(n) => document.querySelectorAll('.vtable tbody tr[aria-rowindex]').length === n", n);
    }

    private static List<String> headers(Page page) {
        return page.locator(".vtable thead th").allInnerTexts().stream()
                .map(String::trim)
                .toList();
    }

    /** The text of one column's cells by run id, read from the table as shown. */
    private static String cell(Page page, long runId, String column) {
        int at = headers(page).indexOf(column);
        assertThat(at).as("column %s in %s", column, headers(page)).isGreaterThanOrEqualTo(0);
        return (String) page.evaluate(
                "([id, at]) => { const a = document.querySelector(`.vtable tbody a[href='/runs/${id}']`);"
                        + " return a ? a.closest('tr').children[at].textContent : null; }",
                List.of(String.valueOf(runId), at));
    }

    private static void select(Page page, long runId) {
        page.check("input[aria-label='Select run " + runId + "']");
    }

    @Test
    void tablesFollowRunsLiveAndActOnSelections() throws Exception {
        WorkbenchBrowserTest.requireChromium();
        Files.createDirectories(SHOTS);
        token = tokens.create("rt-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        int port = WorkbenchBrowserTest.freePort();
        Process preview = WorkbenchBrowserTest.servePreview(base.toString().replaceAll("/$", ""), port);
        String root = "http://127.0.0.1:" + port;
        try (Playwright playwright = WorkbenchBrowserTest.playwright();
                Browser browser = WorkbenchBrowserTest.launchChromium(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1600, 1000))
                    .newPage();
            page.setDefaultTimeout(120_000);
            page.navigate(root + "/");
            ready(page);
            Object signedIn = page.evaluate(
                    "(token) => fetch('/api/session', {method: 'POST', headers: {'Content-Type': 'application/json',"
                            + " Accept: 'application/json'}, body: JSON.stringify({token})}).then(r => r.status)",
                    token);
            assertThat(signedIn).isEqualTo(200);
            page.reload();
            ready(page);

            long live = experimentsListFollowsANewExperiment(page);
            runsTableFollowsRunsLive(page, root, live);
            columnChoiceIsRememberedPerExperiment(page, root, live);
            bulkArchiveAndUnarchive(page, root, live);
            compareShowsSeveralMetricsInStep(page, root, live);
            bulkDeleteCancelRetry(page, root);
            experimentLabelsAndSearch(page, root, live);
        } finally {
            WorkbenchBrowserTest.stop(preview);
        }
    }

    /** The list open before the experiment exists: it appears, and its states move, without a reload. */
    private long experimentsListFollowsANewExperiment(Page page) {
        mark(page);
        long id = createExperiment(LIVE_SPEC);
        page.waitForSelector(".experiments a[href='/experiments/" + id + "']");
        page.waitForFunction(
                "(id) => { const a = document.querySelector(`.experiments a[href='/experiments/${id}']`);"
                        + " return a && /succeeded|failed/.test(a.closest('tr').textContent); }",
                String.valueOf(id));
        notReloaded(page);
        return id;
    }

    /**
     * Opened while the runs are queued or running: every state and last loss arrives live; the columns start
     * with name, state, the primary metric and its best; the failed runs show the server's reason.
     */
    private void runsTableFollowsRunsLive(Page page, String root, long experimentId) {
        page.navigate(root + "/experiments/" + experimentId);
        ready(page);
        mark(page);
        waitForRows(page, 4);
        assertThat(headers(page))
                .startsWith(
                        "Select",
                        "Run",
                        "Name",
                        "State",
                        "train/loss (last)",
                        "train/loss (best, min)",
                        "lr",
                        "mode",
                        "Failure reason");
        page.waitForFunction(
                "() => document.querySelectorAll('.vtable .state-succeeded, .vtable .state-failed').length === 4");
        List<Long> ids = runIds(experimentId);
        for (long id : ids) {
            JsonPath run = given().get("/api/runs/" + id).jsonPath();
            String state = run.getString("run.state");
            // the last loss and its minimum arrive with the events (or the summaries fetch they trigger)
            page.waitForFunction(
                    "([id, at]) => { const a = document.querySelector(`.vtable tbody a[href='/runs/${id}']`);"
                            + " return a && a.closest('tr').children[at].textContent !== ''; }",
                    List.of(String.valueOf(id), headers(page).indexOf("train/loss (last)")));
            double lr = run.getDouble("run.params.lr");
            double expectedLast = 1.0 / (1.0 + lr * 7);
            assertThat(Double.parseDouble(cell(page, id, "train/loss (last)"))).isCloseTo(expectedLast, within(1e-3));
            assertThat(cell(page, id, "State")).isEqualTo(state.toLowerCase());
            if ("FAILED".equals(state)) {
                assertThat(run.getString("run.params.mode")).isEqualTo("fail");
                assertThat(cell(page, id, "Failure reason"))
                        .isEqualTo(run.getString("run.message"))
                        .isNotBlank();
            } else {
                assertThat(state).isEqualTo("SUCCEEDED");
                assertThat(cell(page, id, "Failure reason")).isEmpty();
            }
        }
        assertThat(Integer.parseInt(
                        (String) page.evaluate("() => document.getElementById('app').dataset.liveUpdates ?? '0'")))
                .isGreaterThanOrEqualTo(1);
        notReloaded(page);
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("runs-table-live.png")));
    }

    /** Hide a column and move one: the choice survives a reload (localStorage), and Default columns undoes it. */
    private void columnChoiceIsRememberedPerExperiment(Page page, String root, long experimentId) {
        page.navigate(root + "/experiments/" + experimentId);
        ready(page);
        page.click("details.columns summary");
        page.uncheck("details.columns li[data-column='p:mode'] input");
        page.waitForFunction("() => ![...document.querySelectorAll('.vtable thead th')]"
                + ".some(th => th.textContent.trim() === 'mode')");
        page.click("details.columns button[aria-label='Move lr left']");
        page.waitForFunction("() => [...document.querySelectorAll('.vtable thead th')]"
                + ".map(th => th.textContent.trim()).indexOf('lr') === 5");
        List<String> chosen = headers(page);
        assertThat(chosen.subList(0, 7))
                .containsExactly("Select", "Run", "Name", "State", "train/loss (last)", "lr", "train/loss (best, min)");
        page.navigate(root + "/experiments/" + experimentId);
        ready(page);
        waitForRows(page, 4);
        assertThat(headers(page)).isEqualTo(chosen);
        assertThat((String) page.evaluate(
                        "(id) => localStorage.getItem('replica.columns.' + id)", String.valueOf(experimentId)))
                .contains("\"p:lr\"")
                .doesNotContain("p:mode");
        page.click("details.columns summary");
        page.click("details.columns button:text-is('Default columns')");
        page.waitForFunction("() => [...document.querySelectorAll('.vtable thead th')]"
                + ".some(th => th.textContent.trim() === 'mode')");
        assertThat(page.evaluate("(id) => localStorage.getItem('replica.columns.' + id)", String.valueOf(experimentId)))
                .isNull();
    }

    /**
     * Compare with two metrics side by side: both charts span the same steps, the cursor over one moves the
     * other's (its legend shows every run's value at that step), and a drag-zoom in one zooms both.
     */
    private void compareShowsSeveralMetricsInStep(Page page, String root, long experimentId) {
        String ids = runIds(experimentId).stream().map(String::valueOf).collect(Collectors.joining(","));
        page.navigate(root + "/compare?runs=" + ids + "&metric=train/loss&grid=train/loss,train/acc");
        ready(page);
        page.waitForSelector("section.multiples[data-drawn='2']");
        var figures = page.locator("section.multiples figure.chart");
        assertThat(figures.count()).isEqualTo(2);
        assertThat(figures.locator("figcaption span").allInnerTexts()).containsExactly("train/loss", "train/acc");
        for (int i = 0; i < 2; i++) {
            assertThat(figures.nth(i).getAttribute("data-x-min")).isEqualTo("0");
            assertThat(figures.nth(i).getAttribute("data-x-max")).isEqualTo("7");
        }
        var over = figures.nth(0).locator(".u-over").boundingBox();
        page.mouse().move(over.x + over.width * 0.5, over.y + over.height / 2);
        page.waitForFunction("() => { const f = document.querySelectorAll('section.multiples figure.chart');"
                + " const x = (i) => f[i].querySelector('.u-legend .u-series .u-value')?.textContent;"
                + " return x(0) !== '--' && x(0) === x(1); }");
        // every run has a value in the other chart's legend at the cursor's step
        List<String> values =
                figures.nth(1).locator(".u-legend .u-series .u-value").allInnerTexts();
        assertThat(values).hasSize(5).noneMatch(v -> v.equals("--") || v.isBlank());
        page.mouse().move(over.x + over.width * 0.2, over.y + over.height / 2);
        page.mouse().down();
        page.mouse().move(over.x + over.width * 0.6, over.y + over.height / 2, new Mouse.MoveOptions().setSteps(5));
        page.mouse().up();
        page.waitForFunction(
                "() => document.querySelectorAll('section.multiples figure.chart')[1].dataset.xMax !== '7'");
        for (String edge : List.of("data-x-min", "data-x-max")) {
            assertThat(figures.nth(1).getAttribute(edge))
                    .isEqualTo(figures.nth(0).getAttribute(edge));
        }
        double min = Double.parseDouble(figures.nth(1).getAttribute("data-x-min"));
        double max = Double.parseDouble(figures.nth(1).getAttribute("data-x-max"));
        assertThat(min).isGreaterThan(0.5);
        assertThat(max).isLessThan(6.5);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve("compare-multiples.png"))
                .setFullPage(true));
        figures.nth(1).locator("button:text-is('Reset')").click();
        page.waitForFunction(
                "() => document.querySelectorAll('section.multiples figure.chart')[0].dataset.xMax === '7'");
        page.uncheck("section.multiples input[value='train/acc']");
        page.waitForSelector("section.multiples[data-drawn='1']");
        assertThat(page.url()).contains("grid=train%2Floss").doesNotContain("train%2Facc");
    }

    /** Archive two selected runs (they leave the table), show archived, unarchive them. */
    private void bulkArchiveAndUnarchive(Page page, String root, long experimentId) {
        page.navigate(root + "/experiments/" + experimentId);
        ready(page);
        waitForRows(page, 4);
        List<Long> ids = runIds(experimentId);
        select(page, ids.get(0));
        select(page, ids.get(1));
        page.click(".bulk button[data-action='archive']");
        waitForRows(page, 2);
        assertThat(page.locator(".bulk + p.status").innerText()).isEqualTo("2 runs archived.");
        assertThat(given().get("/api/runs/" + ids.get(0)).jsonPath().getBoolean("run.archived"))
                .isTrue();
        page.check("input[name=archived]");
        waitForRows(page, 4);
        assertThat(page.locator(".vtable tr.archived").count()).isEqualTo(2);
        assertThat(page.url()).contains("archived=1");
        page.click(".bulk button[data-action='unarchive']");
        page.waitForFunction("() => document.querySelectorAll('.vtable tr.archived').length === 0");
        assertThat(given().get("/api/runs/" + ids.get(1)).jsonPath().getBoolean("run.archived"))
                .isFalse();
    }

    /**
     * Deleting a selection with a running run: the dialog asks first; the running run is refused with the
     * server's reason and stays, the others go. Cancel, retry and cancel again act on the selection live; then
     * the delete goes through.
     */
    private void bulkDeleteCancelRetry(Page page, String root) throws InterruptedException {
        long experimentId = createExperiment(SLEEPER_SPEC);
        List<Long> ids = runIds(experimentId);
        assertThat(ids).hasSize(2);
        long running = ids.get(0);
        waitFor(running, "RUNNING");
        page.navigate(root + "/experiments/" + experimentId);
        ready(page);
        waitForRows(page, 2);
        page.click("text=Select shown");
        page.click(".bulk button[data-action='delete']");
        page.waitForSelector("dialog.confirm[open]");
        assertThat(page.locator("dialog.confirm h2").innerText()).isEqualTo("Delete 2 runs?");
        page.click("dialog.confirm button:text-is('Keep it')");
        page.waitForSelector(
                "dialog.confirm", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.DETACHED));
        assertThat(runIds(experimentId)).hasSize(2);

        page.click(".bulk button[data-action='delete']");
        page.click("dialog.confirm button:text-is('Delete runs')");
        page.waitForSelector("ul.bulk-errors li");
        List<String> errors = page.locator("ul.bulk-errors li").allInnerTexts();
        assertThat(errors)
                .contains("Run " + running + ": 409 run " + running
                        + " is RUNNING; cancel it first (`replica cancel " + running
                        + "`), then delete it once it has stopped");
        for (long id : ids) {
            boolean refused = errors.stream().anyMatch(e -> e.startsWith("Run " + id + ":"));
            given().get("/api/runs/" + id).then().statusCode(refused ? 200 : 404);
        }
        List<Long> left = runIds(experimentId);
        waitForRows(page, left.size());
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("runs-table-bulk.png")));

        page.click(".bulk button[data-action='cancel']");
        page.waitForFunction("(n) => document.querySelectorAll('.vtable .state-cancelled').length === n", left.size());
        for (long id : left) {
            waitFor(id, "CANCELLED");
            String message = given().get("/api/runs/" + id).jsonPath().getString("run.message");
            assertThat(cell(page, id, "Failure reason")).isEqualTo(message == null ? "" : message);
        }
        page.click(".bulk button[data-action='retry']");
        page.waitForFunction("() => document.querySelectorAll('.vtable .state-cancelled').length === 0");
        page.click(".bulk button[data-action='cancel']");
        page.waitForFunction("(n) => document.querySelectorAll('.vtable .state-cancelled').length === n", left.size());
        for (long id : left) {
            waitFor(id, "CANCELLED");
        }
        page.click(".bulk button[data-action='delete']");
        page.click("dialog.confirm button:text-is('Delete runs')");
        waitForRows(page, 0);
        assertThat(page.locator(".bulk + p.status").innerText())
                .isEqualTo(left.size() + " run" + (left.size() == 1 ? "" : "s") + " deleted.");
        assertThat(page.locator("ul.bulk-errors li").count()).isZero();
        assertThat(runIds(experimentId)).isEmpty();
    }

    /**
     * The experiment's name, tags and note edited on its page; the note's HTML stays text (no script runs, no
     * element is made of it) while its Markdown renders; the experiments list finds it by tag and by name.
     */
    private void experimentLabelsAndSearch(Page page, String root, long experimentId) {
        page.navigate(root + "/experiments/" + experimentId);
        ready(page);
        page.click("text=Edit name, tags and note");
        page.fill("form.labels-edit input[name=displayName]", "live study");
        page.fill("form.labels-edit input[name=tags]", "live-demo, tables");
        String note = "<script>window.injected = 1</script> <img src=x onerror=\"window.injected = 2\">\n\n"
                + "- **bold** point\n- [docs](javascript:alert(1))";
        page.fill("form.labels-edit textarea[name=note]", note);
        page.click("form.labels-edit button[type=submit]");
        page.waitForSelector(".labels .tag");
        assertThat(page.locator("h1 .display-name").innerText()).isEqualTo("live study");
        assertThat(page.locator(".labels .note p").first().innerText())
                .isEqualTo("<script>window.injected = 1</script> <img src=x onerror=\"window.injected = 2\">");
        assertThat(page.locator(".labels .note script, .labels .note img").count())
                .isZero();
        assertThat(page.locator(".labels .note li strong").innerText()).isEqualTo("bold");
        assertThat(page.locator(".labels .note a").count())
                .as("a javascript: link")
                .isZero();
        assertThat(page.evaluate("() => window.injected === undefined")).isEqualTo(true);
        JsonPath stored = given().get("/api/experiments/" + experimentId).jsonPath();
        assertThat(stored.getString("note")).isEqualTo(note);
        assertThat(stored.getList("tags", String.class)).containsExactly("live-demo", "tables");

        page.navigate(root + "/");
        ready(page);
        page.fill("input[name=q]", "tag:live-demo");
        page.waitForFunction("() => document.querySelectorAll('.experiments tbody tr').length === 1");
        assertThat(page.locator(".experiments tbody tr a").first().getAttribute("href"))
                .isEqualTo("/experiments/" + experimentId);
        page.fill("input[name=q]", "LIVE STUDY");
        page.waitForFunction("() => document.querySelectorAll('.experiments tbody tr').length === 1");
        page.fill("input[name=q]", "no-such-experiment");
        page.waitForFunction("() => document.querySelectorAll('.experiments tbody tr').length === 0");
        assertThat(page.locator(".toolbar .count").innerText()).startsWith("0 of ");
        page.fill("input[name=q]", "bulk-sleepers");
        page.waitForFunction("() => document.querySelectorAll('.experiments tbody tr').length === 1");
        assertThat(page.url()).contains("q=bulk-sleepers");
    }

    private static void waitFor(long runId, String state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!state.equals(WorkbenchBrowserTest.state(runId))) {
            assertThat(System.currentTimeMillis())
                    .as("run %d never became %s", runId, state)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}

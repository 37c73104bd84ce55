package dev.replica.backend.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.SeekableReadChannel;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The workbench in Debian's Chromium (Playwright, no browser download): an experiment created over the API
 * runs while its run page charts it live; the compare view's group table matches the API; the CSV
 * download holds every compared run; the sweep view brushes, selects and opens compare, and its Arrow
 * download reads back with Arrow's own reader; the run page's artifacts pane downloads a log. Screenshots go to {@code target/screenshots/}. Needs Node.js (to build
 * and serve the frontend) and {@code /usr/bin/chromium}; skipped without Chromium unless {@code CI=true}.
 */
@QuarkusTest
@TestProfile(WorkbenchBrowserTest.BrowserProfile.class)
class WorkbenchBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path FRONTEND = Path.of("../frontend").toAbsolutePath().normalize();
    static final Path SHOTS = Path.of("target/screenshots");

    static final String SPEC = """
            apiVersion: replica/v1
            name: browser-test
            kind: optimizer-sweep
            params: {task: teacher-stream, steps: 300, batch: 32, width: 16, eval_every: 50}
            sweep:
              grid: {optimizer: [adamw, muon], lr_scale: [0.01, 2.0]}
            seeds: [0, 1]
            metric: {primary: train/loss, goal: min}
            compare: {baseline: {optimizer: adamw}}
            """;

    /** H2 in memory, the scheduler on (runs execute in this JVM), Quinoa on so the built workbench is served. */
    public static class BrowserProfile implements QuarkusTestProfile {
        private static final String HOME = "target/replica-home-browser-" + System.nanoTime();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.db-kind", "h2",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:replica-browser;DB_CLOSE_DELAY=-1",
                    "replica.home", HOME,
                    "quarkus.http.host-enabled", "true",
                    "quarkus.http.test-port", "0",
                    "replica.auth.required", "true",
                    "replica.scheduler.enabled", "true");
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }
    }

    @Inject
    TokenService tokens;

    /**
     * Quinoa is off in Quarkus tests (and a test profile cannot switch it on at build time), so the built
     * workbench is served by {@code vite preview}, which proxies {@code /api} to this test's application.
     */
    static Process servePreview(String api, int port) throws IOException, InterruptedException {
        Path index = FRONTEND.resolve("dist/index.html");
        boolean stale;
        try (Stream<Path> sources = Files.walk(FRONTEND.resolve("src"))) {
            stale = !Files.exists(index) || sources.anyMatch(p -> isNewer(p, index));
        }
        if (!Files.isDirectory(FRONTEND.resolve("node_modules"))) {
            run("npm", "install");
        }
        if (stale) {
            run("npm", "run", "build");
        }
        ProcessBuilder pb = new ProcessBuilder(
                        "npx",
                        "vite",
                        "preview",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--strictPort")
                .directory(FRONTEND.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/vite-preview.log").toFile());
        pb.environment().put("REPLICA_URL", api);
        Process preview = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection)
                        URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
                if (c.getResponseCode() == 200) {
                    return preview;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!preview.isAlive() || System.currentTimeMillis() > deadline) {
                stop(preview);
                throw new IllegalStateException("vite preview did not start; see backend/target/vite-preview.log");
            }
            Thread.sleep(200);
        }
    }

    static boolean isNewer(Path p, Path than) {
        try {
            return Files.isRegularFile(p)
                    && Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(than)) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(FRONTEND.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/frontend-build.log").toFile())
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed; see backend/target/frontend-build.log");
        }
    }

    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    /** Skips on a developer machine without Chromium; fails in CI, where .ci/deps/chromium.sh installs it. */
    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            Assumptions.assumeTrue("true".equals(System.getenv("CI")), "Chromium is not installed at " + CHROMIUM);
            throw new AssertionError(
                    "Chromium is not installed at " + CHROMIUM + " (.ci/deps/chromium.sh installs it)");
        }
    }

    /** Playwright without its browser download: the tests drive Debian's Chromium. */
    static Playwright playwright() {
        return Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Debian's Chromium, headless, without a sandbox (CI runs as root) or background traffic. */
    static Browser launchChromium(Playwright playwright) {
        return playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run")));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void chartsARunLiveThenComparesGroupsAndDownloadsTheirMetrics() throws Exception {
        requireChromium();
        Files.createDirectories(SHOTS);
        String token = tokens.create("b-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        long experimentId = given().header("Authorization", "Bearer " + token)
                .contentType("application/yaml")
                .body(SPEC.getBytes(StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        List<Long> runIds = given().get("/api/runs?experiment=" + experimentId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", Long.class);
        assertThat(runIds).hasSize(8);
        int port = freePort();
        Process preview = servePreview(base.toString().replaceAll("/$", ""), port);
        String root = "http://127.0.0.1:" + port;

        try (Playwright playwright = playwright();
                Browser browser = launchChromium(playwright)) {
            Page page = browser.newContext(new Browser.NewContextOptions()
                            .setViewportSize(1400, 1000)
                            .setAcceptDownloads(true))
                    .newPage();
            page.setDefaultTimeout(120_000);
            // Everything is bundled: no page may reach beyond this machine (fonts, CDNs, analytics).
            List<String> external = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onRequest(r -> {
                String host = URI.create(r.url()).getHost();
                if (host != null && !host.equals("127.0.0.1") && !host.equals("localhost")) {
                    external.add(r.url());
                }
            });

            // The first run, opened while it runs: its charts update over server-sent events.
            long first = runIds.get(0);
            waitForState(first, "RUNNING", "SUCCEEDED");
            boolean openedWhileRunning = "RUNNING".equals(state(first));
            page.navigate(root + "/runs/" + first);
            page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
            page.waitForSelector("figure.chart canvas");
            if (openedWhileRunning) {
                page.waitForFunction("() => Number(document.getElementById('app').dataset.liveUpdates ?? 0) >= 1");
            }
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(SHOTS.resolve("run.png"))
                    .setFullPage(true));

            for (long id : runIds) {
                waitForState(id, "SUCCEEDED");
            }

            runPageEditsLabelsAndArchives(page, root, runIds.get(1), token);

            // Runs table: select the shown runs, open compare grouped by optimizer.
            page.navigate(root + "/experiments/" + experimentId);
            page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
            assertThat(page.locator(".vtable tbody tr[aria-rowindex]").count()).isEqualTo(8);
            System.out.printf(
                    "runs table: first screen %s ms after the data arrived%n",
                    page.evaluate("() => document.getElementById('app').dataset.renderMs"));
            runsTableFilters(page, root, experimentId);
            page.click("text=Select shown");
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("runs-table.png")));
            page.click("text=Compare selected");
            page.waitForURL("**/compare?**");
            page.navigate(page.url() + "&by=optimizer");
            page.waitForSelector("table.groups tbody tr");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(SHOTS.resolve("compare.png"))
                    .setFullPage(true));

            String ids = runIds.stream().map(String::valueOf).collect(Collectors.joining(","));
            JsonPath api = given().get("/api/runs/groups?ids=" + ids + "&metric=train/loss&by=optimizer")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> rows = page.locator("table.groups tbody tr").allInnerTexts();
            assertThat(rows).hasSize(2);
            for (int i = 0; i < 2; i++) {
                String label = api.getString("table[" + i + "].label");
                String row =
                        rows.stream().filter(r -> r.contains(label)).findFirst().orElseThrow();
                String[] cells = row.split("\t");
                assertThat(cells[1].trim()).isEqualTo(String.valueOf(api.getInt("table[" + i + "].n")));
                double shown = Double.parseDouble(cells[2].trim().split(" ")[0]);
                assertThat(shown)
                        .isCloseTo(api.getDouble("table[" + i + "].mean"), within(1e-3 * Math.abs(shown) + 1e-9));
                // the efficiency column: "baseline", the ratio to two decimals, or "never reaches (within N steps)"
                String efficiency = cells[cells.length - 1].trim();
                if (api.getBoolean("table[" + i + "].baseline")) {
                    assertThat(efficiency).isEqualTo("baseline");
                } else if (api.getBoolean("table[" + i + "].efficiency.reached")) {
                    assertThat(efficiency)
                            .startsWith(String.format(
                                            java.util.Locale.ROOT,
                                            "%.2f",
                                            api.getDouble("table[" + i + "].efficiency.value"))
                                    .replace('-', '−'));
                } else {
                    assertThat(efficiency).startsWith("never reaches (within ");
                }
            }

            controlsRepaintAtOnce(page);

            // CSV of the compared runs: one header, rows from every run.
            Download download = page.waitForDownload(() -> page.click("text=Metrics CSV"));
            List<String> lines = Files.readAllLines(download.path());
            assertThat(lines.get(0)).isEqualTo("run,step,time_ms,metric,value");
            assertThat(lines.stream().filter(l -> l.startsWith("run,")).count()).isEqualTo(1);
            assertThat(lines.stream()
                            .skip(1)
                            .map(l -> Long.parseLong(l.substring(0, l.indexOf(','))))
                            .distinct())
                    .containsExactlyInAnyOrderElementsOf(runIds);

            sweepBrushSelectCompareAndArrow(page, root, experimentId, runIds);
            artifactsPaneDownloadsALog(page, root, first);

            // A laptop screen: the compare view still fits its width (no horizontal scrolling).
            page.setViewportSize(1280, 800);
            page.navigate(root + "/compare?runs=" + ids + "&metric=train/loss&by=optimizer");
            page.waitForSelector("table.groups tbody tr");
            assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"))
                    .as("compare view scrolls sideways at 1280 px")
                    .isTrue();
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("compare-1280.png")));
            runPageDeletesAfterConfirming(page, root, runIds.get(7), experimentId);
            assertThat(external).as("requests that left the machine").isEmpty();
        } finally {
            stop(preview);
        }
    }

    /** The canvas as a data URL: two differ exactly when a repaint changed the pixels. */
    private static String pixels(Page page) {
        return (String) page.evaluate("() => document.querySelector('figure.chart canvas').toDataURL()");
    }

    /**
     * Every control of the compare view repaints at once (no resize needed): the smoothing slider, the log
     * scale and the metric, whose change also retitles the chart; Reset brings back the whole range.
     */
    private void controlsRepaintAtOnce(Page page) {
        String before = pixels(page);
        page.evaluate("() => { const s = document.querySelector('input[type=range]'); s.value = '0.9';"
                + " s.dispatchEvent(new Event('input', {bubbles: true})); }");
        page.waitForFunction(
                "(before) => document.querySelector('figure.chart canvas').toDataURL() !== before", before);
        String smoothed = pixels(page);
        assertThat(smoothed).as("the smoothing slider repaints the chart").isNotEqualTo(before);
        page.click("figure.chart button:text('Reset')");
        String metric = page.locator("figure.chart figcaption span").first().innerText();
        assertThat(metric).isEqualTo("train/loss");
        page.locator("select").first().selectOption("val/loss");
        page.waitForFunction("() => document.querySelector('figure.chart figcaption span').textContent === 'val/loss'");
        page.waitForFunction(
                "(before) => document.querySelector('figure.chart canvas').toDataURL() !== before", smoothed);
        assertThat(page.locator("figure.chart button:text('PNG')").getAttribute("aria-label"))
                .isEqualTo("Download chart val/loss as PNG");
        page.locator("select").first().selectOption("train/loss");
        page.waitForSelector("table.groups tbody tr");
    }

    /**
     * The runs table's filter grammar: each operator, one- and two-ended ranges, state, free text over
     * values (not parameter names) and an error that names the token.
     */
    private void runsTableFilters(Page page, String root, long experimentId) {
        page.navigate(root + "/experiments/" + experimentId);
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("optimizer=muon", 4);
        expected.put("optimizer!=adamw", 4);
        expected.put("lr_scale<1", 4);
        expected.put("lr_scale<=0.01", 4);
        expected.put("lr_scale>=2 optimizer=muon", 2);
        expected.put("lr_scale>0.01", 4);
        expected.put("lr_scale=..0.5", 4);
        expected.put("lr_scale=1..", 4);
        expected.put("lr_scale=0.001..0.02 seed=1", 2);
        expected.put("state=SUCCEEDED", 8);
        expected.put("state!=SUCCEEDED", 0);
        expected.put("lr_", 0); // a parameter name, not a value
        expected.put("muon", 4);
        expected.put("tag:baseline", 1); // set on the run page (runPageEditsLabelsAndArchives)
        expected.put("!tag:baseline optimizer=muon", 4);
        expected.put("reference", 1); // its display name, as free text
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            page.fill("input[name=q]", e.getKey());
            page.waitForFunction(
                    "(n) => document.querySelectorAll('.vtable tbody tr[aria-rowindex]').length === n", e.getValue());
            assertThat(page.locator(".filter-error").innerText()).as(e.getKey()).isEmpty();
        }
        page.fill("input[name=q]", "muon lr_scale<abc");
        page.waitForFunction("() => document.querySelector('.filter-error').textContent !== ''");
        assertThat(page.locator(".filter-error").innerText())
                .isEqualTo("Filter 'lr_scale<abc': < needs a number, got 'abc'");
        page.fill("input[name=q]", "");
        page.waitForFunction("() => document.querySelectorAll('.vtable tbody tr[aria-rowindex]').length === 8");
    }

    /**
     * The run page's labels: the edit form asks to sign in (writes need a token here), then saves; the name,
     * tags and note show at once, survive a reload and are what the API serves. Archive, then unarchive.
     */
    private void runPageEditsLabelsAndArchives(Page page, String root, long runId, String token) {
        page.navigate(root + "/runs/" + runId);
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
        page.click("text=Edit name, tags and note");
        page.fill("form.labels-edit input[name=displayName]", "reference run");
        page.fill("form.labels-edit input[name=tags]", "baseline, lr-study baseline");
        page.fill("form.labels-edit textarea[name=note]", "kept as **the** baseline\nsecond line");
        page.click("form.labels-edit button[type=submit]");
        page.waitForSelector("form.signin input[name=token]");
        page.fill("form.signin input[name=token]", token);
        page.click("form.signin button[type=submit]");
        page.waitForSelector(".labels .tag");
        assertThat(page.locator("h1 .display-name").innerText()).isEqualTo("reference run");
        assertThat(page.locator(".labels .tag").allInnerTexts()).containsExactly("baseline", "lr-study");
        // the note is Markdown: rendered, its line break kept
        assertThat(page.locator(".labels .note").innerText()).isEqualTo("kept as the baseline\nsecond line");
        assertThat(page.locator(".labels .note strong").innerText()).isEqualTo("the");
        JsonPath stored = given().get("/api/runs/" + runId).jsonPath();
        assertThat(stored.getString("run.displayName")).isEqualTo("reference run");
        assertThat(stored.getList("run.tags", String.class)).containsExactly("baseline", "lr-study");
        page.reload();
        page.waitForSelector(".labels .tag");
        assertThat(page.locator("h1 .display-name").innerText()).isEqualTo("reference run");

        page.click(".labels button:text-is('Archive')");
        page.waitForSelector(".labels button:text-is('Unarchive')");
        assertThat(given().get("/api/runs/" + runId).jsonPath().getBoolean("run.archived"))
                .isTrue();
        page.click(".labels button:text-is('Unarchive')");
        page.waitForSelector(".labels button:text-is('Archive')");
        assertThat(given().get("/api/runs/" + runId).jsonPath().getBoolean("run.archived"))
                .isFalse();
    }

    /**
     * Delete from the run page: the dialog's "Keep it" deletes nothing; "Delete run" removes the run and its
     * files and lands on the experiment, whose table has one run less.
     */
    private void runPageDeletesAfterConfirming(Page page, String root, long runId, long experimentId) {
        page.setViewportSize(1400, 1000);
        page.navigate(root + "/runs/" + runId);
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
        page.click(".run-header button:text-is('Delete run')");
        page.waitForSelector("dialog.confirm[open]");
        assertThat(page.locator("dialog.confirm h2").innerText()).isEqualTo("Delete run " + runId + "?");
        page.click("dialog.confirm button:text-is('Keep it')");
        page.waitForSelector(
                "dialog.confirm", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.DETACHED));
        given().get("/api/runs/" + runId).then().statusCode(200);

        page.click(".run-header button:text-is('Delete run')");
        page.click("dialog.confirm button:text-is('Delete run')");
        page.waitForURL("**/experiments/" + experimentId);
        page.waitForFunction("() => document.querySelectorAll('.vtable tbody tr[aria-rowindex]').length === 7");
        given().get("/api/runs/" + runId).then().statusCode(404);
        assertThat(given().get("/api/experiments/" + experimentId + "/events")
                        .jsonPath()
                        .getString("[0].message"))
                .startsWith("run " + runId + " (#7, ");
    }

    /**
     * The sweep view: lr_scale spans two decades and more (a log axis), optimizer is categorical. Brushing
     * the optimizer axis at muon leaves the muon runs; a click on a line selects one run; "Select matching"
     * then "Compare selected" opens compare with exactly the muon runs; the Arrow download of the selection
     * is an Arrow IPC file whose run column holds exactly those runs.
     */
    private void sweepBrushSelectCompareAndArrow(Page page, String root, long experimentId, List<Long> runIds)
            throws IOException {
        List<Long> muon = given().get("/api/runs?experiment=" + experimentId + "&param.optimizer=muon")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", Long.class);
        assertThat(muon).hasSize(4);
        page.navigate(root + "/experiments/" + experimentId);
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
        page.click("text=Sweep view");
        page.waitForURL("**/experiments/" + experimentId + "/sweep");
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
        page.waitForSelector("canvas.parallel[data-layout]");
        JsonPath layout = new JsonPath(page.locator("canvas.parallel").getAttribute("data-layout"));
        assertThat(layout.getList("axes.key")).containsExactly("p:lr_scale", "p:optimizer", "metric");
        assertThat(page.locator("fieldset.brushes").innerText()).contains("lr_scale", "optimizer", "train/loss (last)");
        var box = page.locator("canvas.parallel").boundingBox();
        double top = box.y + layout.getDouble("top");
        double bottom = box.y + layout.getDouble("bottom");

        // A click on the line of an lr_scale=0.01 adamw run (bottom of both axes) selects one run.
        double x0 = box.x + layout.getDouble("axes[0].x");
        double x1 = box.x + layout.getDouble("axes[1].x");
        page.mouse().click((x0 + x1) / 2, bottom);
        page.waitForFunction("() => document.querySelector('.toolbar .count').textContent.includes('1 selected')");
        page.click("text=Clear selection");

        // Brush the optimizer axis around its top category (muon): drag from above the axis to its middle.
        double x = x1;
        page.mouse().move(x, top - 6);
        page.mouse().down();
        page.mouse().move(x, (top + bottom) / 2 - 20, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
        page.mouse().up();
        page.waitForFunction(
                "() => document.querySelector('.toolbar .count').textContent.startsWith('4 of 8 runs match')");
        assertThat(page.url()).contains("b.p%3Aoptimizer=in%3Amuon");
        page.click("text=Select matching");
        page.waitForFunction("() => document.querySelector('.toolbar .count').textContent.includes('4 selected')");
        page.screenshot(
                new Page.ScreenshotOptions().setPath(SHOTS.resolve("sweep.png")).setFullPage(true));
        System.out.printf(
                "sweep view: drawn in %s ms%n", page.evaluate("() => document.getElementById('app').dataset.drawMs"));

        Download arrow = page.waitForDownload(() -> page.click("text=Arrow of selection"));
        byte[] bytes = Files.readAllBytes(arrow.path());
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("ARROW1");
        Set<Long> runsInFile = new java.util.TreeSet<>();
        try (RootAllocator allocator = new RootAllocator();
                ArrowFileReader reader = new ArrowFileReader(
                        new SeekableReadChannel(new ByteArrayReadableSeekableByteChannel(bytes)), allocator)) {
            assertThat(reader.getVectorSchemaRoot().getSchema().getFields().stream()
                            .map(f -> f.getName())
                            .toList())
                    .startsWith("run", "step", "time_ms")
                    .contains("train/loss");
            while (reader.loadNextBatch()) {
                FieldVector run = reader.getVectorSchemaRoot().getVector("run");
                for (int i = 0; i < run.getValueCount(); i++) {
                    runsInFile.add(Long.parseLong(String.valueOf(run.getObject(i))));
                }
            }
        }
        assertThat(runsInFile).containsExactlyInAnyOrderElementsOf(muon);

        // Escape on the focused chart clears the brush; the selection stays.
        page.focus("canvas.parallel");
        page.keyboard().press("Escape");
        page.waitForFunction(
                "() => document.querySelector('.toolbar .count').textContent === '8 of 8 runs match · 4 selected'");
        assertThat(page.url()).doesNotContain("b.p%3Aoptimizer");

        page.click("text=Compare selected (4)");
        page.waitForURL("**/compare?**");
        String compared = page.url().replaceAll(".*runs=([0-9%C,]+).*", "$1").replace("%2C", ",");
        assertThat(Arrays.stream(compared.split(",")).map(Long::parseLong).toList())
                .containsExactlyInAnyOrderElementsOf(muon);
        page.waitForSelector("figure.chart canvas");

        // A one-ended brush of a link reads as the runs filter reads it; a brush that does not parse is named.
        page.navigate(root + "/experiments/" + experimentId + "/sweep?b.p:lr_scale=..1e9&b.metric=abc..");
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
        assertThat(page.locator("p.not-found").innerText())
                .contains("b.metric=abc..: range start 'abc' is not a number");
        page.waitForFunction(
                "() => document.querySelector('.toolbar .count').textContent.startsWith('8 of 8 runs match')");
        // The filter box takes the runs table's grammar, before the brushes; a bad token is named and the
        // last good filter stays.
        page.fill(".toolbar input[name=q]", "optimizer!=muon");
        page.waitForFunction(
                "() => document.querySelector('.toolbar .count').textContent.startsWith('4 of 8 runs match')");
        assertThat(page.url()).contains("q=optimizer%21%3Dmuon");
        page.fill(".toolbar input[name=q]", "optimizer!=muon lr_scale>=abc");
        page.waitForFunction("() => document.querySelector('.toolbar .filter-error').textContent"
                + ".includes(\"'lr_scale>=abc': >= needs a number\")");
        assertThat(page.locator(".toolbar .count").innerText()).startsWith("4 of 8 runs match");
    }

    /** The run page's artifacts pane lists the run's folder; a log downloads with the bytes the API serves. */
    private void artifactsPaneDownloadsALog(Page page, String root, long runId) throws IOException {
        page.navigate(root + "/runs/" + runId);
        page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
        page.click("details.artifacts summary");
        page.waitForSelector("details.artifacts table");
        List<String> names = given().get("/api/runs/" + runId + "/artifacts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name", String.class);
        assertThat(page.locator("details.artifacts tbody tr").count()).isEqualTo(names.size());
        String log = names.stream()
                .filter(n -> n.endsWith(".log"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("run " + runId + " has no .log artifact: " + names));
        page.locator("details.artifacts").scrollIntoViewIfNeeded();
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve("run-artifacts.png"))
                .setFullPage(true));
        Download download = page.waitForDownload(() -> page.click("details.artifacts a:text-is('" + log + "')"));
        byte[] expected = given().get("/api/runs/" + runId + "/artifacts/" + log)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertThat(expected).isNotEmpty();
        assertThat(Files.readAllBytes(download.path())).isEqualTo(expected);
    }

    static String state(long runId) {
        return given().get("/api/runs/" + runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("run.state");
    }

    /** Waits up to 3 minutes for one of {@code states}; fails at once on a failed, cancelled or interrupted run. */
    static void waitForState(long runId, String... states) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        String s = state(runId);
        while (!List.of(states).contains(s)) {
            assertThat(s).as("run %d state", runId).isNotIn("FAILED", "CANCELLED", "INTERRUPTED");
            assertThat(System.currentTimeMillis())
                    .as("run %d still %s after 3 minutes", runId, s)
                    .isLessThan(deadline);
            Thread.sleep(200);
            s = state(runId);
        }
    }
}

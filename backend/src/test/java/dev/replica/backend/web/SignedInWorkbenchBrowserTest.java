package dev.replica.backend.web;

import static dev.replica.backend.web.WorkbenchBrowserTest.freePort;
import static dev.replica.backend.web.WorkbenchBrowserTest.launchChromium;
import static dev.replica.backend.web.WorkbenchBrowserTest.playwright;
import static dev.replica.backend.web.WorkbenchBrowserTest.requireChromium;
import static dev.replica.backend.web.WorkbenchBrowserTest.servePreview;
import static dev.replica.backend.web.WorkbenchBrowserTest.stop;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.Sessions;
import dev.replica.backend.auth.TokenService;
import dev.replica.backend.profiles.ProtectedReadsProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Server mode at its strictest (tokens for writes and reads): the event stream answers a signed-in caller, and the
 * whole workbench works in Chromium once signed in, by the start URL or by pasting a token: lists, the run page, its
 * live stream and its cancel button.
 */
@QuarkusTest
@TestProfile(ProtectedReadsProfile.class)
class SignedInWorkbenchBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    TokenService tokens;

    @Inject
    Sessions sessions;

    private String token(ApiToken.Scope scope) {
        return tokens.create("s-" + UUID.randomUUID().toString().substring(0, 8), scope)
                .token();
    }

    /** Status and content type of the event stream, read without waiting for events. */
    private String[] openEvents(Map<String, String> headers) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(base, "/api/events").openConnection();
        headers.forEach(c::setRequestProperty);
        c.setReadTimeout(10_000);
        try {
            return new String[] {Integer.toString(c.getResponseCode()), String.valueOf(c.getContentType())};
        } finally {
            c.disconnect();
        }
    }

    @Test
    void theEventStreamAnswersSignedInCallersWhenReadsAreProtected() throws Exception {
        String read = token(ApiToken.Scope.READ);
        assertThat(openEvents(Map.of())[0]).isEqualTo("401");
        assertThat(openEvents(Map.of("Authorization", "Bearer rpl_unknown"))[0]).isEqualTo("401");
        for (String scheme : List.of("Bearer", "bearer")) {
            String[] answer = openEvents(Map.of("Authorization", scheme + " " + read));
            assertThat(answer[0]).as(scheme).isEqualTo("200");
            assertThat(answer[1]).startsWith("text/event-stream");
        }
        String cookie = given().redirects()
                .follow(false)
                .get("/api/session/start?token=" + sessions.startToken())
                .then()
                .statusCode(303)
                .extract()
                .cookie(Sessions.COOKIE);
        assertThat(openEvents(Map.of("Cookie", Sessions.COOKIE + "=" + cookie))[0])
                .isEqualTo("200");
        // the other reads follow the same rule
        given().get("/api/experiments").then().statusCode(401);
        given().header("Authorization", "bearer " + read)
                .get("/api/experiments")
                .then()
                .statusCode(200);
        given().cookie(Sessions.COOKIE, cookie).get("/api/experiments").then().statusCode(200);
    }

    @Test
    void theWorkbenchSignsInAndEveryCallItMakesCarriesTheSession() throws Exception {
        requireChromium();
        java.nio.file.Files.createDirectories(WorkbenchBrowserTest.SHOTS);
        String write = token(ApiToken.Scope.WRITE);
        String spec = "apiVersion: replica/v1\nname: sleeper\nkind: command\ncommand: [sleep, \"120\"]\n";
        long experimentId = given().header("Authorization", "Bearer " + write)
                .contentType("application/yaml")
                .body(spec.getBytes(StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        long runId = given().header("Authorization", "Bearer " + write)
                .get("/api/runs?experiment=" + experimentId)
                .jsonPath()
                .getLong("[0].id");
        awaitState(write, runId, "RUNNING");

        int port = freePort();
        Process preview = servePreview(base.toString().replaceAll("/$", ""), port);
        String root = "http://127.0.0.1:" + port;
        try (Playwright playwright = playwright();
                Browser browser = launchChromium(playwright)) {
            // 1. The start URL that `replica serve` prints: an HttpOnly SameSite=Strict cookie, then the workbench.
            BrowserContext byUrl = browser.newContext();
            Page page = byUrl.newPage();
            page.setDefaultTimeout(60_000);
            page.navigate(root + "/api/session/start?token=" + sessions.startToken());
            page.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");
            assertThat(page.locator("table").innerText()).contains("sleeper");
            Cookie session = byUrl.cookies().stream()
                    .filter(c -> c.name.equals(Sessions.COOKIE))
                    .findFirst()
                    .orElseThrow();
            assertThat(session.httpOnly).isTrue();
            assertThat(session.sameSite.name()).isEqualTo("STRICT");
            assertThat(page.evaluate("() => document.cookie")).isEqualTo("");

            // 2. Without a session every page asks for a token; pasting one signs the browser in.
            BrowserContext byForm = browser.newContext();
            Page form = byForm.newPage();
            form.setDefaultTimeout(60_000);
            form.navigate(root + "/runs/" + runId);
            form.waitForSelector("form.signin input[name=token]");
            assertThat(form.locator("form.signin [role=alert]").innerText()).contains("requires an API token");
            form.fill("form.signin input[name=token]", write);
            form.click("form.signin button[type=submit]");
            form.waitForSelector("text=Cancel run");
            form.waitForFunction("() => document.getElementById('app').dataset.ready === 'true'");

            // 3. The run page's writes and live stream carry the session: cancel, then the stream reports it.
            form.click("text=Cancel run");
            awaitState(write, runId, "CANCELLED");
            form.waitForFunction(
                    "id => document.body.innerText.includes('Run ' + id + ' cancelled.')", Long.toString(runId));
            form.screenshot(new Page.ScreenshotOptions()
                    .setPath(WorkbenchBrowserTest.SHOTS.resolve("signed-in-run.png"))
                    .setFullPage(true));
        } finally {
            stop(preview);
        }
    }

    private static void awaitState(String token, long runId, String state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            var run = given().header("Authorization", "Bearer " + token)
                    .get("/api/runs/" + runId)
                    .jsonPath();
            if (state.equals(run.getString("run.state"))) {
                return;
            }
            assertThat(run.getString("run.state")).as(run.prettify()).isNotIn("SUCCEEDED", "FAILED", "INTERRUPTED");
            assertThat(System.currentTimeMillis())
                    .as("run %d reaches %s", runId, state)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}

package dev.replica.backend.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.profiles.LocalServeProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A default {@code replica serve} (127.0.0.1, token auth off, scheduler on) attacked as a web page would attack it
 * through its visitor's browser (issue #20), with the legitimate request beside each attack to show that the same
 * spec does run when it is sent properly.
 */
@QuarkusTest
@TestProfile(LocalServeProfile.class)
class LocalServeSecurityH2Test {

    @TestHTTPResource("/")
    URL base;

    @Inject
    Sessions sessions;

    @Inject
    TokenService tokens;

    int port;
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        port = base.getPort();
        dir = Files.createTempDirectory("replica-csrf");
    }

    private String touchSpec(Path mark) {
        return "apiVersion: replica/v1\nname: c\nkind: command\ncommand: [touch, " + mark.toAbsolutePath() + "]\n";
    }

    private RawHttp.Answer post(String path, Map<String, String> headers, String body) throws IOException {
        return RawHttp.send(port, "POST", path, headers, body);
    }

    private int experimentCount() throws IOException {
        String body = RawHttp.send(port, "GET", "/api/experiments?limit=1000", Map.of(), null)
                .body();
        return body.equals("[]") ? 0 : body.split("\"specText\"").length - 1;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }

    @Test
    void refusesTheCsrfRequestOfTheIssueAndRunsNothing() throws Exception {
        Path mark = dir.resolve("MARK");
        int before = experimentCount();
        // curl -XPOST -H 'Origin: http://evil.example' -H 'Host: rebind.evil.example:PORT'
        //      -H 'Content-Type: text/plain' --data-binary $'apiVersion: …' 127.0.0.1:PORT/api/experiments
        RawHttp.Answer answer = post(
                "/api/experiments",
                Map.of(
                        "Host", "rebind.evil.example:" + port,
                        "Origin", "http://evil.example",
                        "Content-Type", "text/plain"),
                touchSpec(mark));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).contains("does not answer to the host name in \\\"Host: rebind.evil.example:");
        Thread.sleep(2000);
        assertThat(mark).doesNotExist();
        assertThat(experimentCount()).isEqualTo(before);

        // the same spec sent by someone holding the start token does run: the test would see a file
        RawHttp.Answer allowed = post(
                "/api/experiments",
                Map.of("Content-Type", "application/yaml", "Authorization", "Bearer " + sessions.startToken()),
                touchSpec(mark));
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
        awaitFile(mark);
    }

    @Test
    void refusesADnsRebindingHostOnReadsAndWrites() throws Exception {
        for (String host : new String[] {"rebind.evil.example:" + port, "rebind.evil.example", "localhost.evil:1"}) {
            RawHttp.Answer read = RawHttp.send(port, "GET", "/api/experiments", Map.of("Host", host), null);
            assertThat(read.status()).as(host).isEqualTo(403);
            assertThat(read.headers().get("content-type")).isEqualTo("application/problem+json");
        }
        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST"}) {
            assertThat(RawHttp.send(port, "GET", "/api/experiments", Map.of("Host", host), null)
                            .status())
                    .as(host)
                    .isEqualTo(200);
        }
    }

    @Test
    void refusesWritesAndTheEventStreamFromACrossSiteOrigin() throws Exception {
        Path mark = dir.resolve("MARK");
        String bearer = "Bearer " + sessions.startToken();
        RawHttp.Answer cross = post(
                "/api/experiments",
                Map.of("Origin", "http://evil.example", "Content-Type", "application/yaml", "Authorization", bearer),
                touchSpec(mark));
        assertThat(cross.status()).isEqualTo(403);
        assertThat(cross.body()).contains("a page from http://evil.example may not change this server");
        // a body-less write (the workbench's cancel) from another origin, and a browser's own same-site marker
        assertThat(post("/api/runs/999999/cancel", Map.of("Origin", "http://evil.example"), null)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/runs/999999/cancel", Map.of("Sec-Fetch-Site", "cross-site"), null)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/runs/999999/cancel", Map.of("Origin", "null"), null)
                        .status())
                .isEqualTo(403);
        RawHttp.Answer stream = RawHttp.send(port, "GET", "/api/events", Map.of("Origin", "http://evil.example"), null);
        assertThat(stream.status()).isEqualTo(403);
        assertThat(stream.body()).contains("may not stream events from this server");
        Thread.sleep(1000);
        assertThat(mark).doesNotExist();

        // the server's own origin passes the same checks (404: there is no such run)
        assertThat(post("/api/runs/999999/cancel", Map.of("Origin", "http://127.0.0.1:" + port), null)
                        .status())
                .isEqualTo(404);
        RawHttp.Answer same = post(
                "/api/experiments",
                Map.of(
                        "Origin",
                        "http://127.0.0.1:" + port,
                        "Content-Type",
                        "application/yaml",
                        "Authorization",
                        bearer),
                touchSpec(mark));
        assertThat(same.status()).as(same.body()).isEqualTo(201);
        awaitFile(mark);
    }

    @Test
    void refusesWritesWithContentTypesAPageMaySendWithoutAPreflight() throws Exception {
        Path mark = dir.resolve("MARK");
        String bearer = "Bearer " + sessions.startToken();
        for (String type : new String[] {
            "text/plain", "text/plain; charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data"
        }) {
            RawHttp.Answer answer =
                    post("/api/experiments", Map.of("Content-Type", type, "Authorization", bearer), touchSpec(mark));
            assertThat(answer.status()).as(type).isEqualTo(415);
            assertThat(answer.body()).contains("writes take a JSON, YAML or Arrow body");
        }
        RawHttp.Answer none = post("/api/experiments", Map.of("Authorization", bearer), touchSpec(mark));
        assertThat(none.status()).isEqualTo(415);
        assertThat(none.body()).contains("this one named none");
        Thread.sleep(1000);
        assertThat(mark).doesNotExist();
    }

    @Test
    void commandExperimentsNeedATokenEvenOnLoopbackWhileOtherWritesStayOpen() throws Exception {
        Path mark = dir.resolve("MARK");
        RawHttp.Answer anonymous =
                post("/api/experiments", Map.of("Content-Type", "application/yaml"), touchSpec(mark));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).contains("a command experiment runs a program on this machine");
        // validating runs nothing and needs no token; other writes are open locally (404: no such run)
        assertThat(post("/api/experiments/validate", Map.of("Content-Type", "application/yaml"), touchSpec(mark))
                        .status())
                .isEqualTo(200);
        assertThat(post("/api/runs/999999/cancel", Map.of(), null).status()).isEqualTo(404);
        // a READ token is not enough
        String read = tokens.create("r-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.READ)
                .token();
        assertThat(post(
                                "/api/experiments",
                                Map.of("Content-Type", "application/yaml", "Authorization", "Bearer " + read),
                                touchSpec(mark))
                        .status())
                .isEqualTo(403);
        Thread.sleep(1000);
        assertThat(mark).doesNotExist();
    }

    @Test
    void acceptsTheBearerSchemeInAnyCase() throws Exception {
        String write = tokens.create("w-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        int i = 0;
        for (String scheme : new String[] {"Bearer", "bearer", "BEARER", "bEaReR"}) {
            Path mark = dir.resolve("MARK-" + i++);
            RawHttp.Answer answer = post(
                    "/api/experiments",
                    Map.of("Content-Type", "application/yaml", "Authorization", scheme + " " + write),
                    touchSpec(mark));
            assertThat(answer.status()).as(scheme).isEqualTo(201);
        }
        RawHttp.Answer basic = post(
                "/api/experiments",
                Map.of("Content-Type", "application/yaml", "Authorization", "Basic " + write),
                touchSpec(dir.resolve("never")));
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.body()).contains("send the token as Authorization: Bearer <token>");
    }

    @Test
    void theStartUrlSignsABrowserInWithAnHttpOnlySameSiteCookie() throws Exception {
        RawHttp.Answer wrong = RawHttp.send(port, "GET", "/api/session/start?token=rps_wrong", Map.of(), null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.headers()).doesNotContainKey("set-cookie");

        RawHttp.Answer start =
                RawHttp.send(port, "GET", "/api/session/start?token=" + sessions.startToken(), Map.of(), null);
        assertThat(start.status()).isEqualTo(303);
        assertThat(start.headers().get("location")).endsWith("/");
        String setCookie = start.headers().get("set-cookie");
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        Matcher m = Pattern.compile("replica_session=([^;]+)").matcher(setCookie);
        assertThat(m.find()).isTrue();
        String cookie = "replica_session=" + m.group(1);

        assertThat(RawHttp.send(port, "GET", "/api/session", Map.of("Cookie", cookie), null)
                        .body())
                .contains("\"signedIn\":true")
                .contains("\"scope\":\"WRITE\"");
        // the browser's own request: same origin, JSON-free YAML body, the cookie
        Path mark = dir.resolve("MARK");
        RawHttp.Answer created = post(
                "/api/experiments",
                Map.of("Content-Type", "application/yaml", "Cookie", cookie, "Origin", "http://127.0.0.1:" + port),
                touchSpec(mark));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        awaitFile(mark);

        // signing out ends the session
        assertThat(RawHttp.send(port, "DELETE", "/api/session", Map.of("Cookie", cookie), null)
                        .status())
                .isEqualTo(200);
        assertThat(post(
                                "/api/experiments",
                                Map.of("Content-Type", "application/yaml", "Cookie", cookie),
                                touchSpec(dir.resolve("after")))
                        .status())
                .isEqualTo(401);
    }
}

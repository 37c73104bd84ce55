package dev.replica.backend.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The browser checks as pure rules: which requests a web page could make are refused, and with what. */
class BrowserGuardTest {

    private static final HostCheck LOCAL = new HostCheck("127.0.0.1", List.of());

    private static Optional<BrowserGuard.Refusal> judge(String method, String path, String... headers) {
        return judge(LOCAL, List.of(), method, path, headers);
    }

    private static Optional<BrowserGuard.Refusal> judge(
            HostCheck hosts, List<String> origins, String method, String path, String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
        }
        return BrowserGuard.judge(method, path, n -> map.get(n.toLowerCase(Locale.ROOT)), hosts, origins);
    }

    @Test
    void refusesTheCsrfRequestOfTheIssue() {
        var r = judge(
                "POST",
                "/api/experiments",
                "Host",
                "rebind.evil.example:8080",
                "Origin",
                "http://evil.example",
                "Content-Type",
                "text/plain");
        assertThat(r).map(BrowserGuard.Refusal::status).contains(403);
        // each of its three marks is refused on its own
        assertThat(judge("POST", "/api/experiments", "Host", "rebind.evil.example:8080", "Content-Type", "text/yaml"))
                .map(BrowserGuard.Refusal::status)
                .contains(403);
        assertThat(judge(
                        "POST",
                        "/api/experiments",
                        "Host",
                        "127.0.0.1:8080",
                        "Origin",
                        "http://evil.example",
                        "Content-Type",
                        "application/yaml"))
                .map(BrowserGuard.Refusal::status)
                .contains(403);
        assertThat(judge(
                        "POST",
                        "/api/experiments",
                        "Host",
                        "127.0.0.1:8080",
                        "Content-Type",
                        "text/plain",
                        "Content-Length",
                        "12"))
                .map(BrowserGuard.Refusal::status)
                .contains(415);
    }

    @Test
    void passesTheWorkbenchAndClientsThatAreNotBrowsers() {
        assertThat(judge(
                        "POST",
                        "/api/experiments",
                        "Host",
                        "127.0.0.1:8080",
                        "Origin",
                        "http://127.0.0.1:8080",
                        "Content-Type",
                        "application/yaml; charset=utf-8",
                        "Content-Length",
                        "12"))
                .isEmpty();
        assertThat(judge("POST", "/api/runs/1/cancel", "Host", "localhost:8080", "Origin", "http://localhost:8080"))
                .isEmpty();
        assertThat(judge("POST", "/api/runs/1/metrics", "Content-Type", "application/vnd.apache.arrow.stream"))
                .isEmpty();
        // reads from anywhere are left to the browser's same-origin policy, except the event stream
        assertThat(judge("GET", "/api/experiments", "Host", "localhost", "Origin", "http://evil.example"))
                .isEmpty();
        assertThat(judge("GET", "/api/events", "Host", "localhost", "Origin", "http://evil.example"))
                .map(BrowserGuard.Refusal::status)
                .contains(403);
    }

    @Test
    void comparesOriginsByHostAndPortWithDefaultPorts() {
        assertThat(BrowserGuard.sameOrigin("https://replica.example.org", "replica.example.org"))
                .isTrue();
        assertThat(BrowserGuard.sameOrigin("http://replica.example.org", "replica.example.org:80"))
                .isTrue();
        assertThat(BrowserGuard.sameOrigin("http://[::1]:8080", "[::1]:8080")).isTrue();
        assertThat(BrowserGuard.sameOrigin("http://127.0.0.1:8081", "127.0.0.1:8080"))
                .isFalse();
        assertThat(BrowserGuard.sameOrigin("null", "127.0.0.1:8080")).isFalse();
        assertThat(BrowserGuard.sameOrigin("http://127.0.0.1.evil.example:8080", "127.0.0.1:8080"))
                .isFalse();
        // an origin CORS was opened to passes; the list is compared in lower case
        assertThat(judge(
                        LOCAL,
                        List.of("https://dashboard.example"),
                        "POST",
                        "/api/runs/1/cancel",
                        "Host",
                        "127.0.0.1:8080",
                        "Origin",
                        "https://Dashboard.example"))
                .isEmpty();
    }

    @Test
    void answersOnlyToLocalNamesIpLiteralsItsOwnHostAndAllowedNames() {
        HostCheck server = new HostCheck("0.0.0.0", List.of("replica.example.org", "gpu-box"));
        for (String ok : List.of(
                "localhost",
                "LOCALHOST:1",
                "localhost.",
                "127.0.0.1:8080",
                "10.1.2.3",
                "[::1]:8080",
                "replica.example.org",
                "GPU-BOX:8080")) {
            assertThat(server.allows(ok)).as(ok).isTrue();
        }
        for (String refused : List.of(
                "evil.example",
                "localhost.evil.example",
                "replica.example.org.evil.example",
                "gpu-box:80x",
                "[::1",
                "127.0.0.1:99999999")) {
            assertThat(server.allows(refused)).as(refused).isFalse();
        }
        assertThat(new HostCheck("127.0.0.1", List.of("*")).allows("anything.example"))
                .isTrue();
        assertThat(new HostCheck("replica.lan", List.of()).allows("replica.lan:8080"))
                .isTrue();
    }

    @Test
    void parsesTheBearerSchemeInAnyCase() {
        assertThat(ApiAuthFilter.bearer("Bearer rpl_x")).contains("rpl_x");
        assertThat(ApiAuthFilter.bearer("bearer rpl_x")).contains("rpl_x");
        assertThat(ApiAuthFilter.bearer("BEARER   rpl_x ")).contains("rpl_x");
        assertThat(ApiAuthFilter.bearer("Basic cnBsX3g=")).isEmpty();
        assertThat(ApiAuthFilter.bearer("Bearer")).isEmpty();
        assertThat(ApiAuthFilter.bearer("Bearerrpl_x")).isEmpty();
    }
}

package dev.replica.backend.cli;

import dev.replica.backend.auth.AuthPolicy;
import dev.replica.backend.auth.Sessions;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves the REST API, live events and the browser workbench. {@code --host} and {@code --port} are read
 * by {@link dev.replica.backend.ReplicaMain} before the application starts (the HTTP server is configured
 * at boot); they are declared here for help and validation.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the REST API and the browser workbench until stopped (Ctrl-C).",
            "Binds 127.0.0.1 by default; any other host turns on token authentication for writes.",
            "Prints a sign-in URL for the browser; command experiments need it (or a token) even on loopback."
        })
public class ServeCommand implements Callable<Integer> {

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port;

    @Spec
    CommandSpec spec;

    @Inject
    Sessions sessions;

    @Inject
    AuthPolicy policy;

    private static final java.util.Set<String> WILDCARD = java.util.Set.of("0.0.0.0", "::", "[::]");

    @Override
    public Integer call() {
        var config = ConfigProvider.getConfig();
        String boundHost =
                config.getOptionalValue("quarkus.http.host", String.class).orElse(host);
        int boundPort =
                config.getOptionalValue("quarkus.http.port", Integer.class).orElse(port);
        String base = "http://" + (WILDCARD.contains(boundHost) ? "127.0.0.1" : boundHost) + ":" + boundPort;
        var out = spec.commandLine().getOut();
        out.println("Replica serving on http://" + boundHost + ":" + boundPort
                + "/  (API /api, OpenAPI /q/openapi; Ctrl-C stops)");
        out.println(
                policy.tokensRequired()
                        ? "Every write needs a token" + (policy.readsProtected() ? ", and so does every read" : "")
                                + ". Sign a browser in with this URL (it grants WRITE; keep it private):"
                        : "Writes are open to this machine, but command experiments need a token. Sign the browser"
                                + " in with this URL (it grants WRITE; keep it private):");
        out.println("    " + base + "/api/session/start?token=" + sessions.startToken());
        out.flush();
        Quarkus.waitForExit();
        return 0;
    }
}

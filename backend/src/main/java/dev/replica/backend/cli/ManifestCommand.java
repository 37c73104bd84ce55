package dev.replica.backend.cli;

import dev.replica.backend.manifest.ManifestService;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "manifest",
        mixinStandardHelpOptions = true,
        description =
                "Print a run's manifest (canonical JSON: spec, parameters, seed, code version, runtime, backend, data); its recipe hash goes to stderr.")
public class ManifestCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", description = "run id")
    long runId;

    @Spec
    CommandSpec spec;

    @Inject
    ManifestService manifests;

    @Override
    public Integer call() {
        var manifest = manifests
                .find(runId)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(),
                        "run " + runId + " has no manifest (it has not started, or the id is wrong)"));
        spec.commandLine().getOut().println(manifest.toCanonicalJson());
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().println("recipe " + manifest.recipeHash());
        spec.commandLine().getErr().flush();
        return 0;
    }
}

package dev.replica.backend.cli;

import dev.replica.backend.manifest.ManifestService;
import dev.replica.experiments.manifest.ManifestDiff;
import dev.replica.experiments.manifest.RunManifest;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description =
                "What differs between two runs' manifests: parameters, spec, code, runtime, dependencies, data, backend.")
public class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_A")
    long a;

    @Parameters(index = "1", paramLabel = "RUN_B")
    long b;

    @Spec
    CommandSpec spec;

    @Inject
    ManifestService manifests;

    @Override
    public Integer call() {
        ManifestDiff diff = ManifestDiff.between(load(a), load(b));
        spec.commandLine()
                .getOut()
                .print(
                        diff.isEmpty()
                                ? "Runs " + a + " and " + b + " have identical manifests.\n"
                                : diff.render("run " + a, "run " + b));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private RunManifest load(long runId) {
        return manifests
                .find(runId)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(),
                        "run " + runId + " has no manifest (it has not started, or the id is wrong)"));
    }
}

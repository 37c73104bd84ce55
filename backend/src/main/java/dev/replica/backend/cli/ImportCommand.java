package dev.replica.backend.cli;

import dev.replica.backend.bundle.BundleService;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Load a bundle written by `replica export --bundle`: checksums are verified first, experiments and",
            "runs get new ids (printed as old → new), and no existing file is overwritten."
        })
public class ImportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUNDLE.zip")
    Path bundle;

    @Spec
    CommandSpec spec;

    @Inject
    BundleService bundles;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(bundle)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + bundle + ": no such file");
        }
        BundleService.Result result;
        try {
            result = bundles.importBundle(bundle);
        } catch (IllegalArgumentException | java.util.zip.ZipException e) {
            spec.commandLine().getErr().println("import failed, nothing was stored: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        var out = spec.commandLine().getOut();
        out.println("Imported " + result.experiments() + " experiment(s) and " + result.runs() + " run(s):");
        result.runIds().forEach((from, to) -> out.println("  run " + from + " → " + to));
        out.flush();
        return 0;
    }
}

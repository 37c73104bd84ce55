package dev.replica.backend.cli;

import dev.replica.backend.experiment.SpecCheck;
import dev.replica.backend.scheduler.MachineGpus;
import dev.replica.experiments.spec.InvalidInputException;
import dev.replica.kernels.KernelBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * {@code replica validate SPEC} without starting the application: checking a spec needs no database, and
 * booting persistence made a sub-second check take five seconds (issue #21, docs/adr/0009). Only the plain
 * form is handled here; anything else (help, version, unknown options) goes through the full application so
 * that it behaves exactly as before.
 *
 * <p>Configuration comes from system properties and environment variables, the two sources that can set it
 * for this command: {@code replica.spec.max-runs} / {@code REPLICA_SPEC_MAX_RUNS} and {@code
 * replica.scheduler.gpus} / {@code REPLICA_SCHEDULER_GPUS}.
 */
public final class StandaloneValidate {

    private StandaloneValidate() {}

    /**
     * The arguments of the validate command when {@code args} is a plain {@code validate} invocation, with the
     * {@code --home} option (which validate does not use) removed; {@code null} otherwise.
     */
    public static String[] validateArgs(String[] args) {
        List<String> rest = new ArrayList<>();
        boolean seen = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home") && i + 1 < args.length) {
                i++;
            } else if (a.startsWith("--home=")) {
                continue;
            } else if (!seen) {
                if (!a.equals("validate")) {
                    return null;
                }
                seen = true;
            } else if (a.startsWith("-")) {
                return null; // help, version or a mistake: let the full command line answer
            } else {
                rest.add(a);
            }
        }
        return seen ? rest.toArray(String[]::new) : null;
    }

    /** Runs validate with the given arguments (see {@link #validateArgs}); returns the exit code. */
    public static int run(String[] validateArgs) {
        int maxRuns;
        OptionalInt gpus;
        try {
            maxRuns =
                    intSetting("replica.spec.max-runs", "REPLICA_SPEC_MAX_RUNS").orElse(10_000);
            gpus = intSetting("replica.scheduler.gpus", "REPLICA_SCHEDULER_GPUS");
        } catch (IllegalArgumentException e) {
            System.err.println("replica: " + e.getMessage());
            return 2;
        }
        SpecCheck check =
                new SpecCheck(maxRuns, () -> gpus.orElseGet(() -> MachineGpus.detect(KernelBackends.devices())));
        return new CommandLine(new ValidateCommand(check))
                .setCommandName("replica validate")
                .execute(validateArgs);
    }

    private static OptionalInt intSetting(String property, String env) {
        String v = System.getProperty(property, System.getenv(env));
        if (v == null || v.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(property, property + " must be a whole number, got \"" + v + "\"");
        }
    }
}

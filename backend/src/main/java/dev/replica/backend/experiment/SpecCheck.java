package dev.replica.backend.experiment;

import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecError;
import dev.replica.experiments.spec.SpecParser;
import dev.replica.experiments.spec.SpecValidationException;
import dev.replica.experiments.sweep.PlannedRun;
import dev.replica.experiments.sweep.SweepPlanner;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Everything a spec must pass before it is stored: the parser's checks, and that the spec and each planned
 * run fit the database columns they go into. Plain Java and database-free, so {@code replica validate} can
 * run it without starting the application (see docs/adr/0009).
 */
public final class SpecCheck {

    /** Column sizes of V1: experiment.spec_json, run.params_json and run.config_key. */
    static final int MAX_SPEC_JSON_CHARS = 1 << 20;

    static final int MAX_PARAMS_JSON_CHARS = 65536;

    static final int MAX_CONFIG_KEY_CHARS = 4000;

    private final int maxRuns;

    private final IntSupplier gpus;

    /**
     * @param maxRuns the largest number of runs one spec may expand to ({@code replica.spec.max-runs})
     * @param gpus how many GPUs this machine offers, asked only when a spec requests GPUs
     */
    public SpecCheck(int maxRuns, IntSupplier gpus) {
        this.maxRuns = maxRuns;
        this.gpus = gpus;
    }

    /**
     * Parses and validates a spec.
     *
     * @throws SpecValidationException with every error found
     */
    public ExperimentSpec validate(String specText, String fileName) {
        ExperimentSpec spec = new SpecParser(maxRuns, gpus).parse(specText, fileName);
        int json = SpecDocument.json(spec).length();
        if (json > MAX_SPEC_JSON_CHARS) {
            throw new SpecValidationException(List.of(new SpecError(
                    fileName,
                    1,
                    1,
                    "",
                    "spec takes " + json + " characters as JSON once its anchors and aliases are resolved; the"
                            + " limit is " + MAX_SPEC_JSON_CHARS)));
        }
        return spec;
    }

    /**
     * The runs a valid spec expands to, each checked to fit where runs are stored, so that whatever validates can
     * be created.
     *
     * @throws SpecValidationException naming the first run whose parameters do not fit
     */
    public static List<PlannedRun> plan(ExperimentSpec spec, String fileName) {
        List<PlannedRun> plan = SweepPlanner.plan(spec);
        for (PlannedRun p : plan) {
            int key = p.configKey().length();
            int json = SpecDocument.write(p.params()).length();
            if (key > MAX_CONFIG_KEY_CHARS || json > MAX_PARAMS_JSON_CHARS) {
                throw new SpecValidationException(List.of(new SpecError(
                        fileName,
                        1,
                        1,
                        "params",
                        key > MAX_CONFIG_KEY_CHARS
                                ? "run " + p.index() + "'s parameters take " + key
                                        + " characters as name=value text; the limit is " + MAX_CONFIG_KEY_CHARS
                                : "run " + p.index() + "'s parameters take " + json
                                        + " characters as JSON; the limit is " + MAX_PARAMS_JSON_CHARS)));
            }
        }
        return plan;
    }
}

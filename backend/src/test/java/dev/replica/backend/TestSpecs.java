package dev.replica.backend;

/** Specs shared by the backend tests. */
public final class TestSpecs {

    private TestSpecs() {}

    /** 3 optimizers × 3 lr scales × 3 seeds = 27 runs. */
    public static final String SWEEP = """
            apiVersion: replica/v1
            name: normuon-vs-muon
            kind: optimizer-sweep
            params: {task: teacher-stream, steps: 500, batch: 128}
            sweep:
              grid: {optimizer: [adamw, muon, normuon], lr_scale: [0.5, 1, 2]}
            seeds: [0, 1, 2]
            metric: {primary: train/loss, goal: min}
            compare: {baseline: {optimizer: adamw}, efficiency: steps_to_baseline_final}
            """;

    /** Two errors: a misspelt parameter (line 4) and an unknown optimizer (line 6). */
    public static final String BROKEN = """
            apiVersion: replica/v1
            name: broken
            kind: optimizer-sweep
            params: {stepz: 10}
            sweep:
              grid: {optimizer: [adamw, lion]}
            """;
}

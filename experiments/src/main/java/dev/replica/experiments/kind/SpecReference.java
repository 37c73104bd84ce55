package dev.replica.experiments.kind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders {@code docs/spec-reference.md} from the kinds' parameter schemas, so the reference cannot
 * drift from what the parser accepts (a test compares the two).
 * Regenerate from the repository root with
 * {@code java -cp experiments/target/classes dev.replica.experiments.kind.SpecReference}.
 */
public final class SpecReference {

    private SpecReference() {}

    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("""
                # Spec reference

                <!-- Generated from the kinds' parameter schemas by dev.replica.experiments.kind.SpecReference.
                     Do not edit by hand: SpecReferenceTest fails when this file and the schemas differ. -->

                An experiment spec is a YAML (or JSON) document:

                ```yaml
                apiVersion: replica/v1            # required
                name: normuon-vs-muon             # required: letters, digits, '.', '_', '-'
                description: optional free text
                kind: optimizer-sweep             # required: a kind below
                params: {task: teacher-stream, steps: 500}     # fixed parameters
                sweep:
                  grid: {optimizer: [adamw, muon, normuon], lr_scale: [0.5, 1, 2]}  # cartesian product
                  zip: {width: [64, 128], layers: [2, 4]}                           # walked in parallel
                  random:                                                           # random search
                    count: 20
                    seed: 7                       # sampler seed: the plan is reproducible
                    params:
                      lr: {log-uniform: [1e-4, 1e-1]}
                      batch: {int-uniform: [32, 256]}
                      schedule: {choice: [constant, cosine]}
                seeds: [0, 1, 2]                  # or replicates: 3; every sweep point runs once per seed
                metric: {primary: train/loss, goal: min}
                compare: {baseline: {optimizer: adamw}, efficiency: steps_to_baseline_final}
                resources: {cpus: 2, gpus: 0, memory: 4G, time: 1h, partition: gpu}
                executor: local                   # local (default: this machine) or slurm (one job array)
                backend: opencl                   # built-in kinds: auto|jvm|opencl|tornadovm|reference (default: replica.kernels.backend)
                concurrency: 4                    # at most 4 runs of this experiment at once (Slurm: --array=…%4)
                timeout: 30m                      # per run
                retries: 2                        # on failure or interruption
                tags: [baseline, adamw-study]     # tags of the experiment and each of its runs (as `replica tag` sets)
                # kind: command only
                command: [python3, train.py, "--lr={lr}", "--seed={seed}"]   # argv, never a shell
                workdir: path/relative/to/the/spec
                env: {OMP_NUM_THREADS: "1"}
                ```

                Runs = grid points × zip length × random count × seeds. A parameter is either fixed in `params`
                or swept, never both. Unknown keys, unknown parameters, ill-typed or out-of-range values, empty
                sweeps, duplicate keys and sweeps above `replica.spec.max-runs` (default 10,000) are errors; all
                errors are reported at once as `file:line:column: field: message`.

                `tags` are given to the experiment and to each of its runs when they are created; each is 1–64 letters,
                digits, `.`, `_`, `-`, `/` or `+` starting with a letter or digit, at most 100, no repeats (quote a
                number: `"7"`). They filter like any tag (`tag:baseline`) and can be changed later with `replica tag`.

                Command placeholders: any parameter, plus `{seed}`, `{run_id}`, `{run_dir}` and `{experiment}`.

                Early stopping (`sweep.method: asha | hyperband`; the default runs every point to the end, as
                `method: grid` or `method: random` do) judges each configuration, all its seeds together, at rungs
                min_resource·eta^k below max_resource, and stops the losers: they end `PRUNED` with the rung and why.

                ```yaml
                sweep:
                  method: asha              # or hyperband (brackets start at min_resource·eta^s), grid, random
                  resource: step            # the logged step (default) or a metric that only grows, e.g. tokens
                  min_resource: 100         # required: the first rung
                  max_resource: 2700        # rungs stay below it (required for hyperband)
                  eta: 3                    # keep the best ⌈n/eta⌉ of the n configurations at a rung (2–100)
                  brackets: 3               # hyperband only; default: as many as fit below max_resource
                  prune_on: upper_ci        # mean (default) or upper_ci: pruned only if worse beyond its 95% CI
                  max_runs: 60              # budget: whole configurations, in plan order, up to 60 runs
                  random: {count: 27, seed: 7, params: {lr: {log-uniform: [1e-4, 1e-1]}}}
                ```

                Early stopping needs `metric.primary`; `prune_on: upper_ci` needs two or more seeds. See
                `docs/adr/0010-seed-aware-early-stopping.md` for the rule.

                Model-based search (`sweep.method: tpe`) proposes each configuration from the results so far with a
                Tree-structured Parzen Estimator over `sweep.random`'s distributions (`uniform`, `log-uniform`,
                `int-uniform`, `choice`); `random.count` is how many configurations it tries, `random.seed` its sampler
                seed. The first `n_startup` are random draws; `parallel` configurations run at once, those still
                running standing in as the worst result (a constant liar). Runs are created as configurations
                finish; a configuration's value is its seeds' mean of the primary metric's last value, and a pruned one
                counts at its rung. Every proposal is stored with the results it saw (`GET
                /api/experiments/{id}/search`), so the same seeds and results give the same proposals.

                ```yaml
                sweep:
                  method: tpe
                  n_startup: 8              # random proposals first (default: 10, or half the configurations)
                  parallel: 2               # configurations in flight at once (default 1: fully reproducible)
                  max_runs: 60              # budget, optional: caps random.count at max_runs / seeds
                  random: {count: 30, seed: 7, params: {lr: {log-uniform: [1e-4, 1e-1]}, optimizer: {choice: [adamw, muon]}}}
                ```

                `resources.gpus` is enforced: with `executor: local` a run waits QUEUED until that many GPU slots
                of the machine are free (command runs get `CUDA_VISIBLE_DEVICES` set to their slots), and a spec
                asking for more GPUs than the machine has is rejected. With `executor: slurm` it becomes
                `--gres=gpu:N`, and every queued run of the experiment is submitted as one job array.

                `backend:` chooses the kernel backend a built-in kind runs on (docs/kernels.md); without it the installation's
                `replica.kernels.backend` applies. A backend that is not available here falls back to `jvm` with the reason in the
                run's log and `backend.txt`, as for the setting. The manifest's `backend` section records the device that ran and
                `requested` (the setting asked for), and `replica reproduce` reruns the same spec, so on the same backend.
                `kind: command` runs choose their own devices and reject `backend:`.

                """);
        for (KindSchema kind : KindRegistry.all()) {
            md.append("## `")
                    .append(kind.name())
                    .append("`\n\n")
                    .append(kind.description())
                    .append(".\n\n");
            if (kind.params().isEmpty()) {
                md.append(
                        "Parameters are free-form scalars (numbers, strings, booleans): the program defines them.\n\n");
                continue;
            }
            md.append("| parameter | type | default | description |\n|---|---|---|---|\n");
            for (ParamSpec p : kind.params()) {
                md.append("| `")
                        .append(p.name())
                        .append("` | ")
                        .append(p.typeDescription().replace("|", "\\|"))
                        .append(" | ")
                        .append(p.defaultValue() == null ? "—" : "`" + p.defaultValue() + "`")
                        .append(" | ")
                        .append(p.description())
                        .append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Writes the reference to the path given (default {@code docs/spec-reference.md}). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/spec-reference.md");
        Files.writeString(out, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }
}

package dev.replica.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.TestSpecs;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI commands, run in-process against the test application; once per database. */
public abstract class CliContract {

    @Inject
    CommandLine.IFactory factory;

    @Inject
    dev.replica.backend.run.RunService runService;

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {}

    Result replica(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(ReplicaCommand.class, factory).setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void validatePrintsEveryErrorWithLineAndColumn() throws IOException {
        Path spec = write("broken.yaml", TestSpecs.BROKEN);
        Result r = replica("validate", spec.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err())
                .contains(
                        spec
                                + ":4:10: params.stepz: unknown parameter \"stepz\" for kind optimizer-sweep (did you mean \"steps\"?)")
                .contains(
                        spec + ":6:29: sweep.grid.optimizer[1]: must be one of sgd, adamw, muon, normuon, got \"lion\"")
                .contains("2 errors; nothing was stored.");
    }

    @Test
    void validateReportsTheRunCountOfAGoodSpec() throws IOException {
        Path spec = write("sweep.yaml", TestSpecs.SWEEP);
        Result r = replica("validate", spec.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .isEqualTo(spec + ": OK — normuon-vs-muon (optimizer-sweep), 27 runs (9 configurations × 3 seeds)\n");
    }

    @Test
    void runStoresTheExperimentAndLsShowsItsRuns() throws IOException {
        Path spec = write("sweep.yaml", TestSpecs.SWEEP.replace("normuon-vs-muon", "cli-sweep"));
        Result run = replica("run", "--no-wait", spec.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("cli-sweep: 27 runs (9 configurations × 3 seeds).")
                .contains("Queued. A running `replica serve` executes them")
                .contains("… and 7 more");
        // planned-run table shows only the varying parameters
        assertThat(run.out().lines().filter(l -> l.startsWith("#")).findFirst())
                .hasValueSatisfying(header ->
                        assertThat(header.split("\\s+")).containsExactly("#", "lr_scale", "optimizer", "seed"));

        Result ls = replica("ls");
        assertThat(ls.out()).containsPattern("\\d+\\s+cli-sweep\\s+optimizer-sweep\\s+27\\s+27 queued");

        Result runs = replica("ls", "cli-sweep", "--param", "optimizer=normuon", "--param", "lr_scale=2");
        assertThat(runs.exitCode()).isZero();
        assertThat(runs.out().lines().skip(1))
                .hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("cli-sweep").contains("QUEUED"));

        String runId = runs.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        Result show = replica("show", runId);
        assertThat(show.exitCode()).isZero();
        assertThat(show.out())
                .contains("Run " + runId)
                .contains("state     QUEUED")
                .contains("optimizer          normuon")
                .contains("Metrics   none logged yet");
    }

    /**
     * The real CLI runs commands without a CDI request context (tests get one per method): run it on a plain
     * thread, where looking an experiment up by name once failed with ContextNotActiveException.
     */
    @Test
    void lsFindsAnExperimentByNameOutsideARequestContext() throws Exception {
        String name = "ls-by-name-" + System.nanoTime();
        Path spec = write(name + ".yaml", TestSpecs.SWEEP.replace("normuon-vs-muon", name));
        assertThat(replica("run", "--no-wait", spec.toString()).exitCode()).isZero();
        java.util.concurrent.atomic.AtomicReference<Result> result =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread cli = new Thread(() -> result.set(replica("ls", name, "--limit", "5")));
        cli.start();
        cli.join(60_000);
        assertThat(result.get().err()).isEmpty();
        assertThat(result.get().exitCode()).isZero();
        assertThat(result.get().out().lines().skip(1).limit(5))
                .hasSize(5)
                .allSatisfy(l -> assertThat(l).contains(name).contains("QUEUED"));
        assertThat(result.get().out()).contains("(5 of 27 runs; --limit shows more)");
    }

    @Test
    void unknownRunsAndMissingFilesGetClearMessages() {
        Result show = replica("show", "99999999");
        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err()).contains("no run with id 99999999");
        Result missing = replica("run", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read " + dir.resolve("nope.yaml") + ": no such file");
        Result unknownExperiment = replica("ls", "no-such-experiment");
        assertThat(unknownExperiment.err()).contains("no experiment named no-such-experiment");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {
            "serve",
            "run",
            "validate",
            "ls",
            "compare",
            "show",
            "token",
            "devices",
            "export",
            "import",
            "reproduce",
            "manifest",
            "diff",
            "cancel",
            "retry",
            "logs",
            "worker"
        }) {
            Result help = replica(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: replica " + command);
        }
        // picocli formats every description with String.format: a lone % breaks it (and prints a warning)
        new CommandLine(ReplicaCommand.class, factory).getSubcommands().forEach((name, sub) -> {
            List<String> texts = new java.util.ArrayList<>(
                    List.of(sub.getCommandSpec().usageMessage().description()));
            sub.getCommandSpec().options().forEach(o -> texts.addAll(List.of(o.description())));
            for (String text : texts) {
                org.assertj.core.api.Assertions.assertThatCode(() -> String.format(text))
                        .as(name + ": " + text)
                        .doesNotThrowAnyException();
            }
        });
        assertThat(replica("--help").out())
                .contains("serve")
                .contains("validate")
                .contains("REPLICA_HOME");
    }

    @Test
    void tokensAreShownOnceAndListedWithoutSecrets() {
        Result created = replica("token", "create", "ci-bot-" + System.nanoTime());
        assertThat(created.exitCode()).isZero();
        String token = created.out().trim();
        assertThat(token).startsWith("rpl_").hasSizeGreaterThan(40);
        Result list = replica("token", "list");
        assertThat(list.out()).contains("ci-bot-").doesNotContain(token);
    }

    @Test
    void devicesListsTheJvmBackendAndWhatRunsUse() {
        Result r = replica("devices");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).containsPattern("(?m)^jvm\\s+yes").contains("Runs use: ");
        assertThat(r.out()).containsPattern("(?m)^BACKEND\\s+DEVICE\\s+NAME\\s+TYPE\\s+MEMORY\\s+DRIVER");
    }

    @Test
    void runPrintsEarlyStoppingDecisionsAsTheyHappenAndEndsWithTheBestConfiguration() throws Exception {
        // loss = (1 - lr)^step + seed / 1000; rungs at steps 5, 10, 20 (eta 2); one run at a time, so:
        //   lr .3 is first at every rung; lr .1 (mean .5910 at step 5) loses to it; lr .2 (.3282) is second of
        //   three at step 5 and keeps going, then loses to lr .3 at step 10 (.1079). Earlier seeds of a pruned
        //   configuration had already finished: they stay SUCCEEDED but the configuration is not a candidate.
        Path spec = write("asha.yaml", """
                apiVersion: replica/v1
                name: cli-asha
                kind: command
                command: [python3, -c, "import json, sys; lr = float(sys.argv[1]); s = int(sys.argv[2]); [print(json.dumps({'step': t, 'loss': (1 - lr) ** t + s / 1000})) for t in range(1, 21)]", "{lr}", "{seed}"]
                sweep: {method: asha, min_resource: 5, eta: 2, grid: {lr: [0.3, 0.1, 0.2]}}
                seeds: [0, 1]
                concurrency: 1
                metric: {primary: loss, goal: min}
                """);
        Result run = replica("run", spec.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("promoted lr=0.3 at rung 0 (step ≥ 5): mean 0.1686 (95% CI ")
                .containsPattern(
                        "pruned   lr=0.1 at rung 0 \\(step ≥ 5\\): mean 0.5910 \\(95% CI [^)]+\\), rank 2 of 2,"
                                + " cut-off 0.1686; stopped run \\d+")
                .contains("promoted lr=0.2 at rung 0 (step ≥ 5): mean 0.3282")
                .contains("pruned   lr=0.2 at rung 1 (step ≥ 10): mean 0.1079")
                .contains("4 succeeded, 2 pruned")
                .contains("Best configuration: lr=0.3: final loss 0.00129792 (95% CI -0.00505")
                .contains("over 2 seeds; 1 of 3 configurations ran to the end.");
    }

    @Test
    void runExecutesACommandSweepAndEndsWithTheComparisonTable() throws Exception {
        Path spec = write("cmd.yaml", """
                apiVersion: replica/v1
                name: cli-command
                kind: command
                command: [python3, -c, "import json, sys; lr = float(sys.argv[1]); s = int(sys.argv[2]); [print(json.dumps({'step': t, 'loss': lr * 10 + (10 - t) * 0.4 + s * 0.01})) for t in range(1, 11)]", "{lr}", "{seed}"]
                sweep: {grid: {lr: [0.1, 0.2]}}
                seeds: [0, 1, 2]
                metric: {primary: loss, goal: min}
                compare: {baseline: {lr: 0.2}, efficiency: steps_to_baseline_final}
                """);
        Result run = replica("run", spec.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("Done in")
                .contains("6 succeeded")
                .contains("loss (final value per run; min is better), mean ± 95% CI over seeds; baseline lr=0.2:")
                // lr=0.1 gets below the baseline's final 2.01 at step 8 of 10 in every resample of the seeds
                .containsPattern(
                        "lr=0.1\\s+3\\s+1.010\\s+\\[0.9852, 1.035]\\s+\\d\\S*\\s+\\S+\\s+\\S+\\s+\\+20% \\[\\+20%, \\+20%]")
                .contains("Efficiency (steps_to_baseline_final): 1 − steps to reach the baseline's final loss")
                .containsPattern("lr=0.2 \\(baseline\\)\\s+3\\s+2.010");

        // full-resolution export with the parameters table, read back by Python's csv module
        String experimentId = run.out().replaceAll("(?s).*Stored experiment #(\\d+).*", "$1");
        Path csv = dir.resolve("out.csv");
        Result export = replica("export", "--experiment", experimentId, "-o", csv.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("Wrote 60 rows of 6 runs to " + csv);
        Process python = new ProcessBuilder(
                        "python3",
                        "-c",
                        """
                import csv, sys
                rows = list(csv.DictReader(open(sys.argv[1])))
                params = {r['run']: r for r in csv.DictReader(open(sys.argv[2]))}
                print(len(rows), sorted(set(params[r['run']]['lr'] + ':' + r['value'] for r in rows))[0])
                """,
                        csv.toString(),
                        dir.resolve("out.params.csv").toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(python.getInputStream().readAllBytes()).trim();
        assertThat(printed).isEqualTo("60 0.1:1.0");

        Path arrow = dir.resolve("out.arrow");
        assertThat(replica("export", "--experiment", experimentId, "--format", "arrow", "-o", arrow.toString())
                        .exitCode())
                .isZero();
        try (var allocator = new org.apache.arrow.memory.RootAllocator();
                var reader = new org.apache.arrow.vector.ipc.ArrowFileReader(
                        java.nio.file.Files.newByteChannel(arrow), allocator)) {
            long rows = 0;
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
            assertThat(rows).isEqualTo(60);
            assertThat(reader.getVectorSchemaRoot().getSchema().getFields())
                    .extracting(f -> f.getName())
                    .containsExactly("run", "step", "time_ms", "loss");
        }
        Path stream = dir.resolve("out.arrows");
        assertThat(replica("export", "--experiment", experimentId, "--format", "arrow-stream", "-o", stream.toString())
                        .exitCode())
                .isZero();
        try (var allocator = new org.apache.arrow.memory.RootAllocator();
                var reader = new org.apache.arrow.vector.ipc.ArrowStreamReader(
                        java.nio.file.Files.newInputStream(stream), allocator)) {
            long rows = 0;
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
            assertThat(rows).isEqualTo(60);
        }
        // Parquet with its parameters table as Parquet, read back and joined by DuckDB
        Path parquet = dir.resolve("out.parquet");
        Result wroteParquet =
                replica("export", "--experiment", experimentId, "--format", "parquet", "-o", parquet.toString());
        assertThat(wroteParquet.out())
                .as(wroteParquet.err())
                .contains("Wrote 60 rows of 6 runs to " + parquet)
                .contains("out.params.parquet");
        assertThat(dev.replica.experiments.metrics.parquet.DuckDb.query(
                        "SELECT count(*), min(p.lr), max(p.lr), typeof(min(p.lr)),"
                                + " typeof(min(m.step)) FROM read_parquet('" + parquet + "') m JOIN read_parquet('"
                                + dir.resolve("out.params.parquet") + "') p USING (run)"))
                .containsExactly(List.of(60L, 0.1, 0.2, "DOUBLE", "BIGINT"));
        assertThat(replica("export", "--format", "xml", "--runs", "1", "-o", arrow.toString())
                        .err())
                .contains("format must be csv, csv-wide, arrow, arrow-stream, parquet or parquet-wide, got xml");
    }

    /** The id of the first run `replica ls EXPERIMENT` lists. */
    private String firstRunId(String experiment) {
        return replica("ls", experiment)
                .out()
                .lines()
                .skip(1)
                .findFirst()
                .orElseThrow()
                .split("\\s+")[0];
    }

    private void reproducesBuiltInKind(String kindAndParams) throws IOException {
        String name = "repro-" + kindAndParams.substring(6, kindAndParams.indexOf('\n'));
        Path s = write(name + ".yaml", "apiVersion: replica/v1\nname: " + name + "\n" + kindAndParams);
        Result r = replica("run", s.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        String id = firstRunId(name);
        Result again = replica("reproduce", id);
        assertThat(again.exitCode()).as(name + ": " + again.out() + again.err()).isZero();
        assertThat(again.out()).contains("bit-identical");
    }

    @Test
    void reproduceComparesTheAttemptAskedForAndShowListsEveryAttempt() throws IOException {
        // attempt 1 logs its whole curve, then dies; attempt 2 logs the same curve and succeeds
        write("flaky.py", """
                import json, os, sys
                first = not os.path.exists("started")
                open("started", "w").write("1")
                for step in range(1, 6):
                    print(json.dumps({"step": step, "train/loss": 1.0 / step}))
                sys.exit(3 if first else 0)
                """);
        Path spec = write("flaky.yaml", """
                apiVersion: replica/v1
                name: flaky-repro
                kind: command
                command: [python3, flaky.py]
                retries: 1
                """);
        Result run = replica("run", spec.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String runId = firstRunId("flaky-repro");

        Result show = replica("show", runId);
        assertThat(show.out())
                .containsPattern("1\\s+FAILED\\s+.*\\s5\\s+exit code 3")
                .containsPattern("2 \\(latest\\)\\s+SUCCEEDED\\s+.*\\s5\\s");

        Path all = dir.resolve("all-attempts.csv");
        Result export =
                replica("export", "--runs", runId, "--metrics", "train/loss", "--all-attempts", "-o", all.toString());
        assertThat(export.exitCode()).as(export.out() + export.err()).isZero();
        assertThat(Files.readAllLines(all).stream().skip(1).map(l -> l.split(",")[0]))
                .containsExactly(
                        runId + ".attempt-1",
                        runId + ".attempt-1",
                        runId + ".attempt-1",
                        runId + ".attempt-1",
                        runId + ".attempt-1",
                        runId,
                        runId,
                        runId,
                        runId,
                        runId);
        Path latest = dir.resolve("latest.csv");
        assertThat(replica("export", "--runs", runId, "-o", latest.toString()).exitCode())
                .isZero();
        assertThat(Files.readAllLines(latest).stream().skip(1)).hasSize(5).allMatch(l -> l.startsWith(runId + ","));

        Result reproduce = replica("reproduce", runId, "--attempt", "1");
        assertThat(reproduce.exitCode()).as(reproduce.out() + reproduce.err()).isZero();
        assertThat(reproduce.out())
                .contains("Compared attempt 1 of 2 of run " + runId + " with run ")
                .contains("bit-identical");
    }

    /** Needs Debian's dataset-fashion-mnist (.ci/deps/datasets.sh installs it); skipped without it unless CI. */
    @Test
    void reproduceRerunsAMoneRunBitForBit() throws IOException {
        String reason = "Fashion-MNIST is not installed at " + dev.replica.experiments.data.FashionMnist.DEFAULT_DIR
                + " (install Debian's dataset-fashion-mnist; .ci/deps/datasets.sh does)";
        if (!Files.isDirectory(Path.of(dev.replica.experiments.data.FashionMnist.DEFAULT_DIR))) {
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(reason);
            }
            System.out.println("Skipping reproduceRerunsAMoneRunBitForBit: " + reason);
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
        reproducesBuiltInKind("kind: mone\nparams: {steps: 6, batch: 16, expert_dim: 8, eval_every: 3}\n");
    }

    @Test
    void aRunWhoseDatasetIsMissingSaysWhichPackageAndParameterFixIt() throws IOException {
        Path absent = dir.resolve("no-fashion-mnist");
        Path spec = write("no-data.yaml", """
                apiVersion: replica/v1
                name: no-data
                kind: mone
                params: {steps: 2, batch: 16, expert_dim: 8, eval_every: 1, data_dir: "%s"}
                seeds: [0, 1]
                """.formatted(absent));
        Result r = replica("run", spec.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out())
                .contains("Done in")
                .contains("2 failed")
                .containsPattern(
                        "(?m)^failed runs \\d+, \\d+: .*Fashion-MNIST file train-images-idx3-ubyte\\[\\.gz] not found in "
                                + java.util.regex.Pattern.quote(absent.toString())
                                + ": install it with `sudo apt-get install dataset-fashion-mnist` .* or set data_dir to a"
                                + " directory holding the IDX files$");
    }

    @Test
    void reproduceRerunsABuiltInRunAndVerifiesItBitForBit() throws IOException {
        // another built-in kind: reproduce must find it bit-identical too (mone has its own test: it needs data)
        reproducesBuiltInKind("kind: rlvr\nparams: {digits: 2, pretrain_steps: 4, steps: 2, group_size: 2, copies: 1,"
                + " pool_size: 4, eval_problems: 4, pass_n: 2, eval_every: 2, width: 16, layers: 1}\n");

        Path spec = write("tiny.yaml", """
                apiVersion: replica/v1
                name: tiny-repro
                kind: optimizer-sweep
                params: {task: teacher-stream, optimizer: muon, steps: 10, batch: 16, width: 16, eval_every: 5}
                metric: {primary: val/loss, goal: min}
                """);
        Result run = replica("run", spec.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String runId = firstRunId("tiny-repro");

        Result manifest = replica("manifest", runId);
        assertThat(manifest.exitCode()).isZero();
        assertThat(manifest.out())
                .startsWith("{")
                .contains("\"optimizer\":\"muon\"")
                .contains("\"kind\":\"optimizer-sweep\"");
        assertThat(manifest.err()).matches("recipe [0-9a-f]{64}\\s*");

        Result reproduce = replica("reproduce", runId);
        assertThat(reproduce.exitCode()).as(reproduce.out() + reproduce.err()).isZero();
        assertThat(reproduce.out())
                .contains("Reproducing run " + runId)
                .contains("bit-identical")
                .contains("Compared attempt 1 of 1 of run " + runId + " (its latest) with run ");
        Result wrongAttempt = replica("reproduce", runId, "--attempt", "2");
        assertThat(wrongAttempt.exitCode()).isEqualTo(2);
        assertThat(wrongAttempt.err()).contains("--attempt: attempt must be in [1, 1] for run " + runId + ", got 2");
        assertThat(replica("show", runId).out())
                .contains("Attempts  (metrics of attempt N")
                .containsPattern("1 \\(latest\\)\\s+SUCCEEDED");

        String rerunId = reproduce.out().replaceAll("(?s).*as run (\\d+).*", "$1");
        Result diff = replica("diff", runId, rerunId);
        assertThat(diff.exitCode()).isZero();
        assertThat(replica("manifest", rerunId).err()).isEqualTo(manifest.err());

        // sorting and filtering on metric summaries shows the summaries named as columns
        Result sorted =
                replica("ls", "tiny-repro", "--sort", "-summary:last:val/loss", "--where", "summary:count:val/loss>=2");
        assertThat(sorted.exitCode()).as(sorted.err()).isZero();
        assertThat(sorted.out().lines().findFirst().orElseThrow())
                .contains("last:val/loss")
                .contains("count:val/loss");
        assertThat(sorted.out().lines().skip(1))
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith(runId + " "));
        Result none = replica("ls", "tiny-repro", "--where", "summary:last:val/loss<-1");
        assertThat(none.out()).contains("No runs match.");
        Result bad = replica("ls", "tiny-repro", "--where", "summary:last:val/loss<low");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("filter 'summary:last:val/loss<low': < needs a number, got 'low'");
    }

    @Test
    void bundlesRoundTripWithNewIdsAndRefuseTamperedOrEscapingEntries() throws Exception {
        Path spec = write("bundle.yaml", """
                apiVersion: replica/v1
                name: bundle-me
                kind: command
                command: [python3, -c, "import json, sys; [print(json.dumps({'step': s, 'loss': float(sys.argv[1]) / s})) for s in range(1, 6)]", "{lr}"]
                sweep: {grid: {lr: [1, 2]}}
                """);
        Result run = replica("run", spec.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String experimentId = run.out().replaceAll("(?s).*Stored experiment #(\\d+).*", "$1");
        // labels travel with the bundle
        String labelled = replica("ls", experimentId)
                .out()
                .lines()
                .skip(1)
                .findFirst()
                .orElseThrow()
                .split("\\s+")[0];
        assertThat(replica("tag", labelled, "bundled").exitCode()).isZero();
        assertThat(replica("note", labelled, "kept in the bundle").exitCode()).isZero();
        assertThat(replica("rename", "--experiment", experimentId, "bundled study")
                        .exitCode())
                .isZero();
        Path zip = dir.resolve("bundle.zip");
        Result export = replica("export", "--bundle", "--experiment", experimentId, "-o", zip.toString());
        assertThat(export.out()).as(export.err()).startsWith("Wrote a bundle of 1 experiment(s) and 2 run(s)");

        Result imported = replica("import", zip.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("Imported 1 experiment(s) and 2 run(s):");
        List<String[]> pairs = imported.out()
                .lines()
                .filter(l -> l.startsWith("  run "))
                .map(l -> l.substring(6).split(" → "))
                .toList();
        assertThat(pairs).hasSize(2);
        for (String[] pair : pairs) {
            assertThat(pair[1]).isNotEqualTo(pair[0]);
            String original = replica("show", pair[0]).out();
            String copy = replica("show", pair[1]).out();
            // parameters, history and metric summaries survive; only the ids differ
            assertThat(copy.substring(copy.indexOf("Parameters")))
                    .isEqualTo(original.substring(original.indexOf("Parameters")));
            assertThat(replica("manifest", pair[1]).out())
                    .isEqualTo(replica("manifest", pair[0]).out());
            if (pair[0].equals(labelled)) {
                assertThat(copy).contains("  tags      bundled\n").contains("Note\n  kept in the bundle\n");
            } else {
                assertThat(copy).doesNotContain("  tags      ");
            }
        }
        assertThat(replica("ls").out()).contains("bundled study (bundle-me)");

        // a bundle whose content no longer matches its checksums is refused before anything is stored
        Path tampered = dir.resolve("tampered.zip");
        rewrite(zip, tampered, "bundle.json", "bundle-me", "bundle-XX");
        Result refused = replica("import", tampered.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("import failed, nothing was stored: checksum mismatch for bundle.json");

        // entries that would escape their folder are refused
        Path evil = dir.resolve("evil.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(evil))) {
            out.putNextEntry(new java.util.zip.ZipEntry("SHA256SUMS"));
            out.write(("0".repeat(64) + "  ../../escape.txt\n").getBytes());
            out.putNextEntry(new java.util.zip.ZipEntry("../../escape.txt"));
            out.write("x".getBytes());
        }
        assertThat(replica("import", evil.toString()).err())
                .contains("bundle entry ../../escape.txt would escape its folder");
    }

    private static void rewrite(Path from, Path to, String entry, String find, String replace) throws IOException {
        try (var in = new java.util.zip.ZipFile(from.toFile());
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (var e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals(entry)) {
                    bytes = new String(bytes).replace(find, replace).getBytes();
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
            }
        }
    }

    private long queuedRun(String name) throws IOException {
        Path spec = write(name + ".yaml", """
                apiVersion: replica/v1
                name: %s
                kind: optimizer-sweep
                params: {task: teacher-stream, optimizer: adamw, steps: 12, batch: 16, width: 16, eval_every: 6}
                """.formatted(name));
        assertThat(replica("run", "--no-wait", spec.toString()).exitCode()).isZero();
        String line = replica("ls", name).out().lines().skip(1).findFirst().orElseThrow();
        return Long.parseLong(line.split("\\s+")[0]);
    }

    @Test
    void workerClaimsAQueuedRunRunsItAndRecordsItsMetrics() throws IOException {
        long runId = queuedRun("worker-run-" + System.nanoTime());
        Result worker = replica("worker", "--run", Long.toString(runId));
        assertThat(worker.exitCode()).as(worker.err()).isZero();
        assertThat(worker.out()).isEqualTo("run " + runId + ": SUCCEEDED\n");
        Result show = replica("show", Long.toString(runId));
        assertThat(show.out())
                .contains("state     SUCCEEDED")
                .contains("train/loss")
                .contains("val/loss");
        Result again = replica("worker", "--run", Long.toString(runId));
        assertThat(again.exitCode()).isEqualTo(3);
        assertThat(again.err()).isEqualTo("run " + runId + " is SUCCEEDED; only a QUEUED run can be claimed\n");
    }

    @Test
    void workerTakesOverOnlyARunItsArraySubmitterStillHolds() throws IOException {
        long held = queuedRun("worker-held-" + System.nanoTime());
        long requeued = queuedRun("worker-requeued-" + System.nanoTime());
        runService.claim(held, "submitter-1", "slurm").orElseThrow();
        Path map = dir.resolve("tasks.tsv");
        new dev.replica.backend.executor.slurm.TaskMap("submitter-1", List.of(held)).write(map);
        Result worker = replica("worker", "--task-map", map.toString()); // no SLURM_ARRAY_TASK_ID here: task 0
        assertThat(worker.exitCode()).as(worker.err()).isZero();
        assertThat(worker.out()).isEqualTo("run " + held + ": SUCCEEDED\n");

        // the submitter died and recovery re-queued the run: a late array task must not run it
        new dev.replica.backend.executor.slurm.TaskMap("submitter-1", List.of(requeued)).write(map);
        Result late = replica("worker", "--task-map", map.toString());
        assertThat(late.exitCode()).isEqualTo(3);
        assertThat(late.err())
                .isEqualTo("run " + requeued + " is QUEUED; it is no longer held by submitter-1, so it is"
                        + " not run here\n");
        assertThat(replica("show", Long.toString(requeued)).out()).contains("state     QUEUED");
    }

    @Test
    void tagNoteRenameAndArchiveLabelARunThatLsAndShowPrint() throws IOException {
        String name = "labelled-" + System.nanoTime();
        long runId = queuedRun(name);
        String id = Long.toString(runId);

        Result tag = replica("tag", id, "baseline", "lr-study");
        assertThat(tag.exitCode()).as(tag.err()).isZero();
        assertThat(tag.out()).isEqualTo("run " + id + " tags: baseline, lr-study\n");
        assertThat(replica("tag", id, "--remove", "lr-study").out()).isEqualTo("run " + id + " tags: baseline\n");
        assertThat(replica("rename", id, "adamw reference").out())
                .isEqualTo("run " + id + " is now \"adamw reference\"\n");
        assertThat(replica("note", id, "first line\nsecond line").out()).isEqualTo("run " + id + ": note saved\n");

        assertThat(replica("show", id).out())
                .contains("  name      adamw reference\n")
                .contains("  tags      baseline\n")
                .contains("Note\n  first line\n  second line\n");
        Result ls = replica("ls", name, "--where", "tag:baseline");
        assertThat(ls.out()).contains("NAME [TAGS]").contains("adamw reference [baseline]");
        assertThat(replica("ls", name, "--where", "!tag:baseline").out()).isEqualTo("No runs match.\n");

        Result bad = replica("tag", id, "two words");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err())
                .startsWith("addTags[0]: a tag is 1–64 letters, digits, '.', '_', '-', '/' or '+', starting with a"
                        + " letter or digit, got \"two words\"\n");
        assertThat(replica("note", "987654321", "x").err()).isEqualTo("no run with id 987654321\n");

        assertThat(replica("archive", id).out()).isEqualTo("run " + id + ": archived\n");
        assertThat(replica("ls", name, "--where", "id=" + id).out()).isEqualTo("No runs match.\n");
        assertThat(replica("ls", name, "--archived", "true").out()).contains("adamw reference [baseline]");
        assertThat(replica("archive", "--undo", id).out()).isEqualTo("run " + id + ": unarchived\n");
        assertThat(replica("ls", name, "--where", "id=" + id).out()).contains("adamw reference [baseline]");
    }

    @Inject
    dev.replica.backend.config.ReplicaHome home;

    @Test
    void deleteAsksForYesRefusesARunningRunAndRemovesEverythingOfAnEndedOne() throws IOException {
        long runId = queuedRun("deleted-" + System.nanoTime());
        String id = Long.toString(runId);
        assertThat(replica("worker", "--run", id).exitCode()).isZero(); // metrics, manifest and logs on disk
        assertThat(home.metrics().resolve(id + ".arrows")).exists();
        assertThat(home.runFolder(runId)).isDirectory();

        Result ask = replica("delete", id);
        assertThat(ask.exitCode()).isEqualTo(1);
        assertThat(ask.out()).contains("would delete run " + id + " (").contains("SUCCEEDED) with its metrics");
        assertThat(ask.err()).isEqualTo("Nothing was deleted; add --yes to delete.\n");
        assertThat(home.metrics().resolve(id + ".arrows")).exists();

        Result yes = replica("delete", id, "--yes");
        assertThat(yes.exitCode()).as(yes.err()).isZero();
        assertThat(yes.out())
                .startsWith("run " + id + " (#0, seed 0, SUCCEEDED) deleted from the CLI; 2 files or folders removed");
        assertThat(home.metrics().resolve(id + ".arrows")).doesNotExist();
        assertThat(home.runFolder(runId)).doesNotExist();
        assertThat(replica("show", id).exitCode()).isNotZero();

        long busy = queuedRun("deleted-busy-" + System.nanoTime());
        runService.claim(busy, "another-process", "in-process").orElseThrow();
        Result refused = replica("delete", Long.toString(busy), "--yes");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err())
                .isEqualTo("run " + busy + " is RUNNING; cancel it first (`replica cancel " + busy
                        + "`), then delete it once it has stopped\n");
        assertThat(replica("show", Long.toString(busy)).out()).contains("state     RUNNING");
    }

    @Test
    void deleteExperimentAsksForYesRefusesWhileARunIsQueuedAndThenRemovesItsRuns() throws IOException {
        String name = "deleted-experiment-" + System.nanoTime();
        long runId = queuedRun(name);
        String experiment = Long.toString(runService.experimentOf(runId).orElseThrow());

        Result refused = replica("delete", "--experiment", experiment, "--yes");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err())
                .isEqualTo("experiment " + experiment + " still has 1 queued or running run: " + runId
                        + "; cancel them first (`replica cancel --experiment " + experiment
                        + "`), then delete it once they have stopped\n");
        assertThat(replica("worker", "--run", Long.toString(runId)).exitCode()).isZero();

        Result ask = replica("delete", "--experiment", experiment);
        assertThat(ask.exitCode()).isEqualTo(1);
        assertThat(ask.out())
                .isEqualTo("would delete experiment " + experiment + " (" + name
                        + ") with its 1 runs: their metrics, artifacts, logs and manifests\n");
        assertThat(ask.err()).isEqualTo("Nothing was deleted; add --yes to delete.\n");

        Result yes = replica("delete", "--experiment", experiment, "--yes");
        assertThat(yes.exitCode()).as(yes.err()).isZero();
        assertThat(yes.out())
                .isEqualTo("experiment " + experiment + " (" + name + ") deleted from the CLI with its 1 run; 2 files"
                        + " or folders removed\n");
        assertThat(home.metrics().resolve(runId + ".arrows")).doesNotExist();
        assertThat(home.runFolder(runId)).doesNotExist();
        assertThat(Files.readString(home.root().resolve("deletions.log")))
                .contains("\"experiment\":" + experiment + ",\"name\":\"" + name + "\"");

        Result both = replica("delete", "--experiment", experiment, Long.toString(runId));
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("give run ids or --experiment ID (not both): what should be deleted?");
    }
}

package dev.replica.experiments.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    private final SpecParser parser = new SpecParser();

    private static final String VALID = """
            apiVersion: replica/v1
            name: normuon-vs-muon
            kind: optimizer-sweep          # built-in kind
            params: {task: teacher-stream, steps: 500, batch: 128}
            sweep:
              grid: {optimizer: [adamw, muon, normuon], lr_scale: [0.5, 1, 2]}
            seeds: [0, 1, 2]
            metric: {primary: train/loss, goal: min}
            compare: {baseline: {optimizer: adamw}, efficiency: steps_to_baseline_final}
            resources: {cpus: 2, memory: 4G, time: 1h30m}
            timeout: 30m
            retries: 2
            """;

    private List<SpecError> errorsOf(String yaml) {
        try {
            parser.parse(yaml, "spec.yaml");
        } catch (SpecValidationException e) {
            return e.errors();
        }
        throw new AssertionError("expected the spec to be rejected");
    }

    @Test
    void parsesTheReadmeExample() {
        ExperimentSpec spec = parser.parse(VALID, "spec.yaml");
        assertThat(spec.name()).isEqualTo("normuon-vs-muon");
        assertThat(spec.kind()).isEqualTo("optimizer-sweep");
        assertThat(spec.params()).containsEntry("steps", 500L).containsEntry("task", "teacher-stream");
        assertThat(spec.sweep().grid().get("optimizer")).containsExactly("adamw", "muon", "normuon");
        // lr_scale is a float parameter: integers widen to doubles so 1 and 1.0 are one value
        assertThat(spec.sweep().grid().get("lr_scale")).containsExactly(0.5, 1.0, 2.0);
        assertThat(spec.seeds()).containsExactly(0L, 1L, 2L);
        assertThat(spec.metric()).isEqualTo(new MetricGoal("train/loss", MetricGoal.Goal.MIN));
        assertThat(spec.compare().baseline()).isEqualTo(Map.of("optimizer", "adamw"));
        assertThat(spec.resources().memoryMb()).isEqualTo(4096);
        assertThat(spec.resources().time()).isEqualTo(Duration.ofMinutes(90));
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(spec.retries()).isEqualTo(2);
        assertThat(spec.source()).isEqualTo(VALID);
    }

    @Test
    void reportsEveryErrorAtOnceWithLineAndColumn() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v2
                name: bad spec!
                kind: optimizer-sweep
                params: {steps: many, lrr: 0.1}
                sweep:
                  grid: {optimizer: [adamw, lion], batch: []}
                seeds: [0, 0]
                colour: blue
                """);
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactlyInAnyOrder(
                        "spec.yaml:8:1: colour: unknown key; allowed keys: apiVersion, name, description, kind, params, sweep, seeds, replicates, metric, compare, resources, executor, backend, concurrency, command, workdir, env, retries, timeout, tags",
                        "spec.yaml:1:13: apiVersion: unsupported version \"replica/v2\"; use replica/v1",
                        "spec.yaml:2:7: name: must be 1–100 letters, digits, '.', '_' or '-' and start with a letter or digit, got \"bad spec!\"",
                        "spec.yaml:4:17: params.steps: must be an integer, got \"many\"",
                        "spec.yaml:4:23: params.lrr: unknown parameter \"lrr\" for kind optimizer-sweep (did you mean \"lr\"?); known: task, optimizer, lr, lr_scale, steps, batch, schedule, warmup_steps, warmdown_fraction, weight_decay, momentum, beta2, muon_scale, eval_every, data_dir, text_file, context, width, layers",
                        "spec.yaml:6:29: sweep.grid.optimizer[1]: must be one of sgd, adamw, muon, normuon, got \"lion\"",
                        "spec.yaml:6:43: sweep.grid.batch: is an empty list; a sweep axis needs at least one value",
                        "spec.yaml:7:12: seeds[1]: duplicate seed 0");
    }

    @Test
    void rejectsSpecWithUnknownOptimizer() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: x
                kind: optimizer-sweep
                params: {optimizer: lion}
                """);
        assertThat(errors)
                .singleElement()
                .hasToString(
                        "spec.yaml:4:21: params.optimizer: must be one of sgd, adamw, muon, normuon, got \"lion\"");
    }

    @Test
    void rejectsDuplicateKeysNamingTheFirstDefinition() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: x
                kind: mone
                name: y
                """);
        assertThat(errors).singleElement().hasToString("spec.yaml:4:1: name: duplicate key; first defined at line 2");
    }

    @Test
    void rejectsMissingRequiredFields() {
        List<SpecError> errors = errorsOf("description: nothing else\n");
        assertThat(errors).extracting(SpecError::field).containsExactly("apiVersion", "name", "kind");
        assertThat(errors.get(0).message()).isEqualTo("is required");
    }

    @Test
    void reportsYamlSyntaxErrorsWithPosition() {
        List<SpecError> errors = errorsOf("apiVersion: replica/v1\nname: [unclosed\nkind: mone\n");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.message()).startsWith("invalid YAML:");
        });
    }

    @Test
    void rejectsEmptyAndNonMappingSpecs() {
        assertThat(errorsOf(""))
                .singleElement()
                .hasToString("spec.yaml: spec is empty; it needs at least apiVersion, name and kind");
        assertThat(errorsOf("- a\n- b\n"))
                .singleElement()
                .extracting(SpecError::message)
                .asString()
                .startsWith("spec must be a mapping");
    }

    @Test
    void rejectsEmptySweepsAndMismatchedZipLengths() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: x
                kind: command
                command: [python3, train.py, "--lr={lr}", "--wd={wd}"]
                sweep:
                  grid: {}
                  zip: {lr: [0.1, 0.2], wd: [0.0]}
                """);
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactlyInAnyOrder(
                        "spec.yaml:6:9: sweep.grid: is empty; give at least one parameter with a list of values",
                        "spec.yaml:7:8: sweep.zip: all lists must have the same length, got lr=2, wd=1");
    }

    @Test
    void rejectsSweepsAboveTheRunCap() {
        SpecParser small = new SpecParser(10);
        assertThatThrownBy(() -> small.parse("""
                apiVersion: replica/v1
                name: x
                kind: command
                command: [echo, "{a}", "{b}"]
                sweep: {grid: {a: [1, 2, 3], b: [1, 2]}}
                replicates: 2
                """, "big.yaml"))
                .isInstanceOf(SpecValidationException.class)
                .hasMessageContaining("big.yaml:5:8: sweep: expands to 12 runs, more than the limit of 10");
    }

    @Test
    void commandPlaceholdersMustNameParameters() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: x
                kind: command
                params: {lr: 0.1}
                command: [python3, train.py, "--lr={lr}", "--seed={seed}", "--out={run_dir}", "--wd={wdecay}"]
                """);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("command[5]");
            assertThat(e.message()).startsWith("placeholder {wdecay} names no parameter");
        });
    }

    @Test
    void commandIsRequiredForCommandKindAndRefusedForBuiltIns() {
        assertThat(errorsOf("apiVersion: replica/v1\nname: x\nkind: command\n"))
                .singleElement()
                .extracting(SpecError::field)
                .isEqualTo("command");
        assertThat(errorsOf("apiVersion: replica/v1\nname: x\nkind: mone\ncommand: [ls]\n"))
                .singleElement()
                .extracting(SpecError::message)
                .asString()
                .startsWith("is only allowed with kind: command");
    }

    @Test
    void parameterCannotBeBothFixedAndSwept() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: x
                kind: optimizer-sweep
                params: {steps: 100}
                sweep: {grid: {steps: [10, 20]}}
                """);
        assertThat(errors)
                .singleElement()
                .hasToString("spec.yaml:5:16: sweep.grid.steps: is also set in params; set it in one place");
    }

    @Test
    void rejectsOutOfRangeValuesAndUnknownKinds() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: x
                kind: optimizer-sweeps
                """);
        assertThat(errors)
                .singleElement()
                .extracting(SpecError::message)
                .asString()
                .startsWith("unknown kind \"optimizer-sweeps\" (did you mean \"optimizer-sweep\"?)");
        assertThat(errorsOf("apiVersion: replica/v1\nname: x\nkind: optimizer-sweep\nparams: {steps: 0}\n"))
                .singleElement()
                .hasToString("spec.yaml:4:17: params.steps: must be in [1, 10000000], got 0");
    }

    @Test
    void parsesRandomSearchAndValidatesDistributions() {
        ExperimentSpec spec = parser.parse("""
                apiVersion: replica/v1
                name: rs
                kind: optimizer-sweep
                sweep:
                  random:
                    count: 5
                    seed: 7
                    params:
                      lr: {log-uniform: [1e-4, 1e-1]}
                      width: {int-uniform: [64, 256]}
                      optimizer: {choice: [adamw, muon]}
                """, "rs.yaml");
        assertThat(spec.sweep().random().count()).isEqualTo(5);
        assertThat(spec.sweep().random().samplerSeed()).isEqualTo(7);
        assertThat(spec.sweep().random().params()).containsOnlyKeys("lr", "width", "optimizer");

        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: rs
                kind: optimizer-sweep
                sweep:
                  random:
                    count: 5
                    params:
                      lr: {log-uniform: [0, 1]}
                      width: {uniform: [64, 256]}
                      momentum: {gaussian: [0, 1]}
                """);
        assertThat(errors)
                .extracting(SpecError::field)
                .containsExactly(
                        "sweep.random.params.lr.log-uniform",
                        "sweep.random.params.width.uniform",
                        "sweep.random.params.momentum");
    }

    @Test
    void replicatesExpandToSeedsAndConflictWithSeeds() {
        ExperimentSpec spec = parser.parse("apiVersion: replica/v1\nname: x\nkind: mone\nreplicates: 4\n", "x.yaml");
        assertThat(spec.seeds()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(errorsOf("apiVersion: replica/v1\nname: x\nkind: mone\nreplicates: 2\nseeds: [1]\n"))
                .singleElement()
                .extracting(SpecError::message)
                .isEqualTo("give either seeds or replicates, not both");
    }

    @Test
    void baselineMustPickASweptValue() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: x
                kind: optimizer-sweep
                sweep: {grid: {optimizer: [muon, normuon]}}
                compare: {baseline: {optimizer: adamw, steps: 10}, efficiency: fastest}
                """);
        assertThat(errors)
                .extracting(SpecError::field)
                .containsExactlyInAnyOrder(
                        "compare.baseline.optimizer", "compare.baseline.steps", "compare.efficiency");
    }

    @Test
    void acceptsJsonBecauseJsonIsYaml() {
        ExperimentSpec spec = parser.parse("""
                {"apiVersion": "replica/v1", "name": "j", "kind": "command",
                 "command": ["python3", "-c", "print(1)"], "sweep": {"grid": {"x": [1, 2]}}}
                """, "<request>");
        assertThat(spec.command()).containsExactly("python3", "-c", "print(1)");
        assertThat(spec.sweep().grid().get("x")).containsExactly(1L, 2L);
    }

    @Test
    void rejectsOversizedSpecs() {
        String huge = "description: " + "x".repeat(SpecParser.MAX_SPEC_CHARS) + "\n";
        assertThat(errorsOf(huge))
                .singleElement()
                .extracting(SpecError::message)
                .asString()
                .contains("the limit is");
    }

    @Test
    void doubledBracesInCommandsAreLiteralNotPlaceholders() {
        ExperimentSpec spec = parser.parse("""
                apiVersion: replica/v1
                name: braces
                kind: command
                command: [python3, -c, "print(f'{{1 + 1}}')", "{seed}"]
                """, "b.yaml");
        assertThat(spec.command()).containsExactly("python3", "-c", "print(f'{{1 + 1}}')", "{seed}");
    }

    @Test
    void readsTheExecutorAndConcurrency() {
        ExperimentSpec spec = new SpecParser().parse("""
                apiVersion: replica/v1
                name: on-the-cluster
                kind: command
                command: [python3, train.py]
                executor: slurm
                concurrency: 3
                resources: {gpus: 8}
                """, "spec.yaml");
        assertThat(spec.onSlurm()).isTrue();
        assertThat(spec.concurrency()).isEqualTo(3);
        assertThat(new SpecParser().parse("""
                apiVersion: replica/v1
                name: here
                kind: command
                command: [python3, train.py]
                """, "spec.yaml").executor()).isEqualTo(ExperimentSpec.LOCAL);
    }

    @Test
    void readsTheKernelBackendAndRejectsUnknownOnesWithTheirLocation() {
        String base = """
                apiVersion: replica/v1
                name: on-opencl
                kind: optimizer-sweep
                params: {task: teacher-stream, steps: 2}
                """;
        assertThat(new SpecParser()
                        .parse(base + "backend: opencl\n", "spec.yaml")
                        .backend())
                .isEqualTo("opencl");
        assertThat(new SpecParser().parse(base, "spec.yaml").backend()).isNull();
        assertThat(errorsOf(base + "backend: cuda\n"))
                .extracting(SpecError::toString)
                .containsExactly(
                        "spec.yaml:5:10: backend: must be one of auto, jvm, opencl, tornadovm, reference, got \"cuda\"");
        assertThat(errorsOf("""
                        apiVersion: replica/v1
                        name: script
                        kind: command
                        command: [python3, train.py]
                        backend: tornadovm
                        """))
                .extracting(SpecError::toString)
                .containsExactly(
                        "spec.yaml:5:10: backend: applies to built-in kinds only; a command run chooses its own devices");
    }

    @Test
    void rejectsAnUnknownExecutorAndMoreGpusThanTheMachineHas() {
        SpecValidationException e = org.junit.jupiter.api.Assertions.assertThrows(
                SpecValidationException.class, () -> new SpecParser(100, () -> 1).parse("""
                        apiVersion: replica/v1
                        name: greedy
                        kind: command
                        command: [python3, train.py]
                        executor: slurmm
                        concurrency: 0
                        resources: {gpus: 2}
                        """, "spec.yaml"));
        assertThat(e.errors())
                .extracting(SpecError::toString)
                .containsExactlyInAnyOrder(
                        "spec.yaml:5:11: executor: must be one of local, slurm, got \"slurmm\" (did you mean \"slurm\"?)",
                        "spec.yaml:6:14: concurrency: must be in [1, 100000], got 0",
                        "spec.yaml:7:19: resources.gpus: each run needs 2 GPUs but this machine has 1 (see `replica devices`);"
                                + " lower resources.gpus, or run the experiment on a cluster with executor: slurm");
        // On Slurm the cluster's GPUs count, not this machine's.
        assertThat(new SpecParser(100, () -> 0)
                        .parse("""
                apiVersion: replica/v1
                name: greedy
                kind: command
                command: [python3, train.py]
                executor: slurm
                resources: {gpus: 2}
                """, "spec.yaml")
                        .resources()
                        .gpus())
                .isEqualTo(2);
    }

    @Test
    void rejectsAbsurdTimeoutsWithTheirLine() {
        String spec = """
                apiVersion: replica/v1
                name: t
                kind: optimizer-sweep
                timeout: %s
                """;
        assertThat(errorsOf(spec.formatted("100000000000000000000s")))
                .extracting(SpecError::toString)
                .containsExactly("spec.yaml:4:10: timeout: must be a duration such as 90s, 30m, 2h or 1h30m (or seconds"
                        + " as an integer), got 100000000000000000000s");
        assertThat(errorsOf(spec.formatted("9000000000000000d")))
                .extracting(SpecError::toString)
                .containsExactly("spec.yaml:4:10: timeout: must be a duration such as 90s, 30m, 2h or 1h30m (or seconds"
                        + " as an integer), got 9000000000000000d");
        assertThat(errorsOf(spec.formatted("400d")))
                .extracting(SpecError::toString)
                .containsExactly("spec.yaml:4:10: timeout: must be at most 366d, got 400d");
        assertThat(parser.parse(spec.formatted("366d"), "spec.yaml").timeout()).isEqualTo(Duration.ofDays(366));
    }
}

package dev.replica.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.TestSpecs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replica validate} without the application: same answers as the full command line. */
class StandaloneValidateTest {

    @TempDir
    Path dir;

    @Test
    void takesOnlyThePlainValidateForm() {
        assertThat(StandaloneValidate.validateArgs(new String[] {"validate", "a.yaml"}))
                .containsExactly("a.yaml");
        assertThat(StandaloneValidate.validateArgs(new String[] {"--home", "/h", "validate", "--home=/x", "a.yaml"}))
                .containsExactly("a.yaml");
        assertThat(StandaloneValidate.validateArgs(new String[] {"validate", "--help"}))
                .isNull();
        assertThat(StandaloneValidate.validateArgs(new String[] {"ls"})).isNull();
        assertThat(StandaloneValidate.validateArgs(new String[] {"run", "validate"}))
                .isNull();
        assertThat(StandaloneValidate.validateArgs(new String[] {})).isNull();
    }

    @Test
    void reportsAGoodSpecAndEveryErrorOfABadOne() throws Exception {
        Path good = dir.resolve("sweep.yaml");
        Files.writeString(good, TestSpecs.SWEEP);
        Path bad = dir.resolve("broken.yaml");
        Files.writeString(bad, TestSpecs.BROKEN);

        Captured ok = capture(() -> StandaloneValidate.run(new String[] {good.toString()}));
        assertThat(ok.code).isZero();
        assertThat(ok.out)
                .isEqualTo(good + ": OK — normuon-vs-muon (optimizer-sweep), 27 runs (9 configurations × 3 seeds)\n");

        Captured broken = capture(() -> StandaloneValidate.run(new String[] {bad.toString()}));
        assertThat(broken.code).isEqualTo(1);
        assertThat(broken.err)
                .contains(bad + ":4:10: params.stepz: unknown parameter \"stepz\"")
                .contains("2 errors; nothing was stored.");

        Captured missing = capture(() ->
                StandaloneValidate.run(new String[] {dir.resolve("none.yaml").toString()}));
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("cannot read " + dir.resolve("none.yaml") + ": no such file");
    }

    @Test
    void refusesANonNumericRunLimit() throws Exception {
        Path good = dir.resolve("sweep.yaml");
        Files.writeString(good, TestSpecs.SWEEP);
        System.setProperty("replica.spec.max-runs", "many");
        try {
            Captured r = capture(() -> StandaloneValidate.run(new String[] {good.toString()}));
            assertThat(r.code).isEqualTo(2);
            assertThat(r.err).contains("replica.spec.max-runs must be a whole number, got \"many\"");
        } finally {
            System.clearProperty("replica.spec.max-runs");
        }
    }

    @Test
    void appliesTheRunLimit() throws Exception {
        Path good = dir.resolve("sweep.yaml");
        Files.writeString(good, TestSpecs.SWEEP);
        System.setProperty("replica.spec.max-runs", "10");
        try {
            Captured r = capture(() -> StandaloneValidate.run(new String[] {good.toString()}));
            assertThat(r.code).isEqualTo(1);
            assertThat(r.err).contains("10");
        } finally {
            System.clearProperty("replica.spec.max-runs");
        }
    }

    record Captured(int code, String out, String err) {}

    private static Captured capture(java.util.function.IntSupplier command) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = command.getAsInt();
            return new Captured(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}

package dev.replica.experiments.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {

    @Test
    void rngDrawsArePureFunctionsOfSeedStreamAndCounter() {
        Rng a = Rng.of(42, 7);
        long first = a.nextLong();
        long second = a.nextLong();
        assertThat(first).isEqualTo(Rng.at(42, 7, 0));
        assertThat(second).isEqualTo(Rng.at(42, 7, 1));
        assertThat(Rng.of(42, 8).nextLong()).isNotEqualTo(first);
        assertThat(Rng.of(43, 7).nextLong()).isNotEqualTo(first);
        float[] x = new float[1000];
        float[] y = new float[1000];
        Rng.of(1, 2).fillGaussian(x, 1f);
        Rng.of(1, 2).fillGaussian(y, 1f);
        assertThat(x).isEqualTo(y);
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        assertThat(Math.abs(mean / x.length)).isLessThan(0.1);
        int[] p = Rng.of(3, 0).permutation(50);
        assertThat(Arrays.stream(p).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 50).toArray());
    }

    @Test
    void additionVerifierAcceptsExactlyTheAnswerDigitsLeastSignificantFirstThenEnd() {
        Addition add = new Addition(3);
        Addition.Problem p = new Addition.Problem(958, 67); // 1025
        int[] seq = add.sequence(p, Addition.Flaw.NONE);
        assertThat(Addition.render(seq, 0, seq.length)).isEqualTo("958+067=5201$");
        assertThat(add.verify(p, seq, add.promptLength())).isTrue();
        int[] noCarry = add.sequence(p, Addition.Flaw.DROP_CARRY);
        assertThat(Addition.render(noCarry, 0, noCarry.length)).isEqualTo("958+067=5190$");
        assertThat(add.verify(p, noCarry, add.promptLength())).isFalse();
        int[] noEnd = add.sequence(p, Addition.Flaw.NO_END);
        assertThat(Addition.render(noEnd, 0, noEnd.length)).isEqualTo("958+067=52011");
        assertThat(add.verify(p, noEnd, add.promptLength())).isFalse();
        int[] padded = Arrays.copyOf(seq, seq.length + 2);
        padded[seq.length] = Addition.PAD;
        assertThat(add.verify(p, padded, add.promptLength())).isTrue();
    }

    @Test
    void distinctProblemsAvoidTheExcludedSet() {
        Addition add = new Addition(1);
        var first = add.distinct(Rng.of(1, 0), 60, Set.of());
        var rest = add.distinct(Rng.of(2, 0), 40, Set.copyOf(first));
        assertThat(rest).doesNotContainAnyElementsOf(first).doesNotHaveDuplicates();
        assertThatThrownBy(() -> add.distinct(Rng.of(3, 0), 1, Set.copyOf(new java.util.ArrayList<>() {
                    {
                        addAll(first);
                        addAll(rest);
                    }
                })))
                .hasMessageContaining("only 100 distinct 1-digit problems");
    }

    @Test
    void teacherStreamIsReplayableAndUsesSeveralClasses() {
        TeacherStream s = TeacherStream.standard(5);
        float[] x1 = new float[64 * 256];
        float[] x2 = new float[64 * 256];
        int[] y1 = new int[256];
        int[] y2 = new int[256];
        s.batch(0, 3, x1, y1, 256);
        TeacherStream.standard(5).batch(0, 3, x2, y2, 256);
        assertThat(x1).isEqualTo(x2);
        assertThat(y1).isEqualTo(y2);
        assertThat(Arrays.stream(y1).distinct().count()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void charCorpusBuildsAVocabularyAndShiftedTargets() {
        CharCorpus c = CharCorpus.sample();
        int[] in = new int[2 * 8];
        int[] tg = new int[2 * 8];
        c.batch(Rng.of(1, 0), false, in, tg, 2, 8);
        for (int t = 0; t < 7; t++) {
            assertThat(tg[t]).isEqualTo(in[t + 1]);
        }
        assertThat(c.vocabSize()).isBetween(20, 80);
    }

    @Test
    void loadsGeneratedIdxFilesListedInSha256Sums(@TempDir Path dir) throws IOException {
        IdxFiles.write(dir, 40, 6, 1);
        FashionMnist.Splits s = FashionMnist.load(dir);
        assertThat(s.train().n()).isEqualTo(40);
        assertThat(s.test().n()).isEqualTo(20);
        assertThat(s.train().dim()).isEqualTo(36);
        assertThat(s.fileHashes()).hasSize(4);
    }

    @Test
    void missingFilesFailWithTheInstallCommand(@TempDir Path dir) {
        assertThatThrownBy(() -> FashionMnist.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void filesWhoseHashDoesNotMatchAreRejected(@TempDir Path dir) throws IOException {
        IdxFiles.write(dir, 10, 4, 2);
        Files.delete(dir.resolve("SHA256SUMS"));
        assertThatThrownBy(() -> FashionMnist.load(dir))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("has SHA-256")
                .hasMessageContaining("expected c59f468a");
    }

    @Test
    void loadsTheInstalledDebianPackage() {
        Path dir = Path.of(FashionMnist.DEFAULT_DIR);
        String reason = "dataset-fashion-mnist is not installed (.ci/deps/datasets.sh installs it)";
        if ("true".equals(System.getenv("CI"))) {
            assertThat(dir).as(reason).isDirectory();
        }
        assumeTrue(Files.isDirectory(dir), reason);
        FashionMnist.Splits s = FashionMnist.load(dir);
        assertThat(s.train().n()).isEqualTo(60_000);
        assertThat(s.test().n()).isEqualTo(10_000);
        assertThat(s.train().dim()).isEqualTo(784);
        int[] counts = new int[10];
        for (int y : s.test().y()) {
            counts[y]++;
        }
        assertThat(counts).containsOnly(1000);
    }
}

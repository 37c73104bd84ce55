package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitProbeTest {
    @TempDir
    Path dir;

    static boolean gitInstalled() {
        try {
            return new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    void git(String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(
                "git",
                "-C",
                dir.toString(),
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.org",
                "-c",
                "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void recordsCommitAndCleanTree() throws Exception {
        assumeTrue(gitInstalled(), "git is not installed");
        git("init", "-q");
        Files.writeString(dir.resolve("a.txt"), "one\n");
        git("add", "a.txt");
        git("commit", "-q", "-m", "first");

        GitProbe.Snapshot s = new GitProbe().inspect(dir);

        assertThat(s.version().unavailable()).isNull();
        assertThat(s.version().commit()).matches("[0-9a-f]{40}");
        assertThat(s.version().dirty()).isFalse();
        assertThat(s.version().diffSha256()).isEqualTo(Sha256.of(new byte[0]));
        assertThat(s.diff()).contains("");
    }

    @Test
    void dirtyTreeGetsTheHashOfItsDiffAndUntrackedFilesMakeItDirty() throws Exception {
        assumeTrue(gitInstalled(), "git is not installed");
        git("init", "-q");
        Files.writeString(dir.resolve("a.txt"), "one\n");
        git("add", "a.txt");
        git("commit", "-q", "-m", "first");
        Files.writeString(dir.resolve("b.txt"), "untracked\n");

        GitProbe.Snapshot untracked = new GitProbe().inspect(dir);
        assertThat(untracked.version().dirty()).isTrue();
        assertThat(untracked.version().diffSha256()).isEqualTo(Sha256.of(new byte[0]));

        Files.writeString(dir.resolve("a.txt"), "two\n");
        GitProbe.Snapshot modified = new GitProbe().inspect(dir);
        assertThat(modified.version().dirty()).isTrue();
        assertThat(modified.diff().orElseThrow())
                .contains("-one")
                .contains("+two")
                .contains("a/a.txt");
        assertThat(modified.version().diffSha256())
                .isEqualTo(Sha256.of(modified.diff().orElseThrow().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(new GitProbe().inspect(dir).version()).isEqualTo(modified.version());
    }

    @Test
    void notARepositoryIsReportedNotThrown() {
        assumeTrue(gitInstalled(), "git is not installed");
        GitProbe.Snapshot s = new GitProbe().inspect(dir);
        assertThat(s.version().available()).isFalse();
        assertThat(s.version().unavailable()).isEqualTo("not a git repository");
        assertThat(s.diff()).isEmpty();
    }

    @Test
    void repositoryWithoutCommitsIsReportedNotThrown() throws Exception {
        assumeTrue(gitInstalled(), "git is not installed");
        git("init", "-q");
        assertThat(new GitProbe().inspect(dir).version().unavailable()).isEqualTo("git repository has no commits");
    }

    @Test
    void missingGitIsReportedNotThrown() {
        GitProbe.Snapshot s = new GitProbe("replica-no-such-git").inspect(dir);
        assertThat(s.version().available()).isFalse();
        assertThat(s.version().unavailable()).startsWith("replica-no-such-git not found");
        assertThat(s.version().directory()).isEqualTo(dir.toAbsolutePath().toString());
    }
}

package dev.replica.backend.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a job becomes an sbatch argv and a batch script; needs no Slurm. */
class SlurmJobTest {

    private final SlurmClient client = new SlurmClient(Path.of("/scripts"));

    @Test
    void turnsResourcesIntoSbatchOptions() {
        SlurmResources resources = SlurmResources.DEFAULT
                .withGpus(1)
                .withCpusPerTask(4)
                .withMemoryMb(8192)
                .withTimeLimit(Duration.ofMinutes(90))
                .withPartition("gpu");
        SlurmJob job = SlurmJob.array(
                        "sweep-7",
                        List.of(
                                List.of("replica", "worker", "--run", "11"),
                                List.of("replica", "worker", "--run", "12"),
                                List.of("replica", "worker", "--run", "13")),
                        2,
                        resources,
                        Path.of("/data/logs"))
                .withWorkDir(Path.of("/data"));

        assertThat(client.sbatchArguments(job, Path.of("/scripts/sweep-7.sbatch")))
                .containsExactly(
                        "sbatch",
                        "--parsable",
                        "--no-requeue",
                        "--job-name=sweep-7",
                        "--output=/data/logs/sweep-7-%A_%a.out",
                        "--error=/data/logs/sweep-7-%A_%a.err",
                        "--array=0-2%2",
                        "--chdir=/data",
                        "--partition=gpu",
                        "--time=0-01:30:00",
                        "--cpus-per-task=4",
                        "--mem=8192M",
                        "--gres=gpu:1",
                        "/scripts/sweep-7.sbatch");
        assertThat(job.stdoutFile("40", 2)).isEqualTo(Path.of("/data/logs/sweep-7-40_2.out"));
    }

    @Test
    void submitsOneArgvAsAPlainJob() {
        SlurmJob job = SlurmJob.single("one", List.of("true"), null, Path.of("/logs"));

        assertThat(client.sbatchArguments(job, Path.of("/s")))
                .containsExactly(
                        "sbatch",
                        "--parsable",
                        "--no-requeue",
                        "--job-name=one",
                        "--output=/logs/one-%j.out",
                        "--error=/logs/one-%j.err",
                        "/s");
        assertThat(job.stderrFile("41", 0)).isEqualTo(Path.of("/logs/one-41.err"));
    }

    @Test
    void roundsTimeLimitsUpToWholeMinutes() {
        assertThat(SlurmResources.formatTimeLimit(Duration.ofSeconds(1))).isEqualTo("0-00:01:00");
        assertThat(SlurmResources.formatTimeLimit(Duration.ofSeconds(61))).isEqualTo("0-00:02:00");
        assertThat(SlurmResources.formatTimeLimit(Duration.ofHours(50))).isEqualTo("2-02:00:00");
    }

    @Test
    void quotesEveryWordOfTheBatchScript() {
        SlurmJob job = SlurmJob.array(
                        "q",
                        List.of(List.of("echo", "it's", "$HOME", "a b"), List.of("true")),
                        null,
                        null,
                        Path.of("/logs"))
                .withEnvironment(Map.of("REPLICA_URL", "http://h:8080/?a=1&b='2'"));

        assertThat(SlurmClient.batchScript(job)).isEqualTo("""
                #!/bin/sh
                # Written by Replica for Slurm job 'q': 2 task(s); task i runs the i-th command below.
                export REPLICA_URL='http://h:8080/?a=1&b='\\''2'\\'''
                case "${SLURM_ARRAY_TASK_ID:-0}" in
                  0) exec 'echo' 'it'\\''s' '$HOME' 'a b' ;;
                  1) exec 'true' ;;
                  *) echo "replica: job 'q' has no command for array task ${SLURM_ARRAY_TASK_ID:-0}" >&2; exit 127 ;;
                esac
                """);
    }

    @Test
    void rejectsNamesThatCouldEscapeTheLogFolder() {
        assertThatThrownBy(() -> SlurmJob.single("../x", List.of("true"), null, Path.of("/logs")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job name must be 1-100 letters, digits, '_', '.' or '-', got '../x'");
    }

    @Test
    void rejectsATaskWithoutArgv() {
        assertThatThrownBy(() -> SlurmJob.array("a", List.of(List.of("true"), List.of()), null, null, Path.of("/l")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("task 1 has an empty argv");
    }

    @Test
    void saysSlurmIsNotInstalledWhenTheToolsAreMissing(@TempDir Path dir) {
        SlurmAvailability availability = new SlurmClient(dir.resolve("bin"), dir).available();

        assertThat(availability.usable()).isFalse();
        assertThat(availability.reason())
                .startsWith("Slurm is not installed here: 'sbatch' was not found in " + dir.resolve("bin"));
    }

    @Test
    void saysTheControllerIsDownWhenSinfoCannotReachIt(@TempDir Path dir) throws Exception {
        // stand-ins that print what Slurm's tools print when slurmctld is not running (recorded)
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sbatch", "squeue", "scancel", "sinfo")) {
            Path file = bin.resolve(tool);
            Files.writeString(
                    file,
                    "#!/bin/sh\necho 'slurm_load_partitions: Unable to contact slurm controller"
                            + " (connect failure)' >&2\nexit 1\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        SlurmAvailability availability = new SlurmClient(bin, dir).available();

        assertThat(availability.usable()).isFalse();
        assertThat(availability.reason())
                .isEqualTo("the Slurm controller does not answer (is slurmctld running?):"
                        + " " + bin.resolve("sinfo") + " exited with 1: slurm_load_partitions: Unable to contact slurm"
                        + " controller (connect failure)");
    }
}

package dev.replica.backend.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptFilesTest {

    @TempDir
    Path runDir;

    @Test
    void aRetryKeepsTheEarlierAttemptsLogsAndManifestAndLeavesTheRunsOwnFiles() throws Exception {
        Files.writeString(runDir.resolve("manifest.json"), "{\"attempt\":1}\n");
        Files.writeString(runDir.resolve("stdout.log"), "step 1\n");
        Files.writeString(runDir.resolve("stderr.log"), "killed\n");
        Files.writeString(runDir.resolve("checkpoint.bin"), "weights");

        AttemptFiles.keep(runDir, 0); // the first start has nothing to keep
        assertThat(runDir.resolve("stdout.log")).hasContent("step 1");

        AttemptFiles.keep(runDir, 1);
        Path kept = runDir.resolve("attempt-1");
        assertThat(kept.resolve("manifest.json")).hasContent("{\"attempt\":1}");
        assertThat(kept.resolve("stdout.log")).hasContent("step 1");
        assertThat(kept.resolve("stderr.log")).hasContent("killed");
        assertThat(runDir.resolve("stdout.log")).doesNotExist();
        assertThat(runDir.resolve("checkpoint.bin")).hasContent("weights");
        assertThat(kept.resolve("checkpoint.bin")).doesNotExist();

        // attempt 2 wrote no manifest: attempt 2's folder holds only what it wrote
        Files.writeString(runDir.resolve("run.log"), "second\n");
        AttemptFiles.keep(runDir, 2);
        try (var files = Files.list(runDir.resolve("attempt-2"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("run.log");
        }
    }
}

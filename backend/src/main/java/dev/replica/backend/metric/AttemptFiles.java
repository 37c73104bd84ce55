package dev.replica.backend.metric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * An earlier attempt's logs and manifest, kept in {@code artifacts/<run>/attempt-<n>/} when the next attempt
 * starts, so a retry does not overwrite them; the artifact browser and bundles read them there. Only the
 * files Replica itself writes per start move; what the run wrote (checkpoints, outputs) stays where it is.
 */
public final class AttemptFiles {

    /** The files each start of a run writes afresh into its folder. */
    static final List<String> PER_ATTEMPT = List.of(
            "manifest.json",
            "code.diff",
            "command.txt",
            "run.log",
            "stdout.log",
            "stderr.log",
            "worker.log",
            "worker.err");

    private AttemptFiles() {}

    /** The folder attempt {@code n}'s files are kept in. */
    public static Path folder(Path runDir, int attempt) {
        return runDir.resolve("attempt-" + attempt);
    }

    /** Moves attempt {@code previous}'s per-start files aside; nothing to do before the second attempt. */
    public static void keep(Path runDir, int previous) throws IOException {
        if (previous < 1) {
            return;
        }
        Path target = folder(runDir, previous);
        for (String name : PER_ATTEMPT) {
            Path file = runDir.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.createDirectories(target);
                Files.move(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}

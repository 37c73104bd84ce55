package dev.replica.backend.run;

import dev.replica.backend.config.ReplicaHome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A run's logs in its folder: the command, the backend, the run log of built-in kinds, stdout and stderr, each
 * under a {@code ==> name <==} header, as {@code replica logs} prints them.
 */
@ApplicationScoped
public class RunLogs {

    /** The log files of a run's folder, in the order they are shown. */
    public static final List<String> FILES =
            List.of("command.txt", "backend.txt", "run.log", "stdout.log", "stderr.log");

    /** The API shows each file's last 256 KiB. */
    static final int MAX_BYTES_PER_FILE = 256 * 1024;

    @Inject
    ReplicaHome home;

    /** The tail of each log file of the run; empty when it has none (not started, or no such run). */
    public Optional<String> tail(long runId) throws IOException {
        Path dir = home.runFolder(runId);
        StringBuilder out = new StringBuilder();
        for (String name : FILES) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                continue;
            }
            out.append("==> ").append(name).append(" <==\n");
            try (RandomAccessFile file = new RandomAccessFile(f.toFile(), "r")) {
                long length = file.length();
                long start = Math.max(0, length - MAX_BYTES_PER_FILE);
                if (start > 0) {
                    out.append("[… first ").append(start).append(" bytes left out …]\n");
                }
                byte[] bytes = new byte[(int) (length - start)];
                file.seek(start);
                file.readFully(bytes);
                out.append(new String(bytes, StandardCharsets.UTF_8));
            }
            if (out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out.toString());
    }
}

package dev.replica.backend.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a run's stderr, appended to a failure's message so its cause shows in {@code replica show}
 * and on the run page, for local and Slurm runs alike.
 */
public final class StderrTail {

    static final int LINES = 3;

    private StderrTail() {}

    /** {@code ": line1 | line2 | line3"} from the end of {@code file}; empty when it is missing or empty. */
    public static String of(Path file) {
        try {
            List<String> lines =
                    Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                return "";
            }
            return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }
}

package dev.replica.experiments.manifest;

import dev.replica.experiments.manifest.RunManifest.CodeVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The code version of a directory: {@code HEAD}'s commit, whether the tree is dirty, and the SHA-256
 * of {@code git diff HEAD}. Git runs as an argument vector (no shell) with options that make the diff
 * independent of the user's git configuration (no colour, no external diff or textconv, fixed
 * prefixes, context, algorithm and rename handling, binary patches).
 *
 * <p>Never throws for an environment problem: no git, not a repository, a repository without commits,
 * or an untrusted directory ("dubious ownership") give {@link CodeVersion#unavailable} with the reason.
 */
public final class GitProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Reproducible git: no pager, no prompts, C locale messages. */
    private static final Map<String, String> ENV =
            Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_PAGER", "cat", "LC_ALL", "C", "GIT_OPTIONAL_LOCKS", "0");

    /**
     * A code version and the diff behind its hash.
     *
     * @param version what goes in the manifest
     * @param diff the text of {@code git diff HEAD} (empty when clean; absent when unavailable): store it
     *     as a run artifact
     */
    public record Snapshot(CodeVersion version, Optional<String> diff) {}

    private final String git;

    /** A probe that runs {@code git} from the PATH. */
    public GitProbe() {
        this("git");
    }

    /** A probe that runs {@code gitExecutable} (tests use a missing one). */
    public GitProbe(String gitExecutable) {
        this.git = gitExecutable;
    }

    /** Inspects {@code directory} (any folder inside a work tree). */
    public Snapshot inspect(Path directory) {
        String dir = directory.toAbsolutePath().normalize().toString();
        try {
            Processes.Result head = git(directory, "rev-parse", "--verify", "HEAD");
            if (head.exitCode() != 0) {
                return unavailable(dir, reason(head.stderr()));
            }
            String commit = head.stdoutText().trim();
            Processes.Result status =
                    git(directory, "status", "--porcelain", "--untracked-files=normal", "--ignore-submodules=none");
            if (status.exitCode() != 0) {
                return unavailable(dir, "git status failed: " + firstLine(status.stderr()));
            }
            Processes.Result diff = git(
                    directory,
                    "diff",
                    "HEAD",
                    "--binary",
                    "--no-color",
                    "--no-ext-diff",
                    "--no-textconv",
                    "--src-prefix=a/",
                    "--dst-prefix=b/",
                    "--no-renames",
                    "-U3",
                    "--diff-algorithm=myers");
            if (diff.exitCode() != 0) {
                return unavailable(dir, "git diff failed: " + firstLine(diff.stderr()));
            }
            boolean dirty = status.stdout().length > 0;
            return new Snapshot(
                    new CodeVersion(dir, commit, dirty, Sha256.of(diff.stdout()), null),
                    Optional.of(new String(diff.stdout(), StandardCharsets.UTF_8)));
        } catch (Processes.Failure e) {
            return unavailable(dir, e.getMessage());
        }
    }

    private Processes.Result git(Path directory, String... args) throws Processes.Failure {
        List<String> argv = new ArrayList<>();
        argv.add(git);
        argv.add("-C");
        argv.add(directory.toString());
        argv.addAll(List.of(args));
        return Processes.run(argv, null, ENV, TIMEOUT);
    }

    private static Snapshot unavailable(String dir, String reason) {
        return new Snapshot(CodeVersion.unavailable(dir, reason), Optional.empty());
    }

    private static String reason(String stderr) {
        String s = stderr.toLowerCase(java.util.Locale.ROOT);
        if (s.contains("not a git repository")) {
            return "not a git repository";
        }
        if (s.contains("dubious ownership")) {
            return "git refuses the directory (dubious ownership; see git config safe.directory)";
        }
        if (s.contains("needed a single revision")
                || s.contains("unknown revision")
                || s.contains("ambiguous argument 'head'")) {
            return "git repository has no commits";
        }
        return "git rev-parse failed: " + firstLine(stderr);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

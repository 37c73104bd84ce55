package dev.replica.backend.artifact;

import dev.replica.experiments.spec.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of one run's artifact folder, and the rules that keep a requested name inside it: no
 * {@code ..}, no absolute paths, no back-slashes, and no symbolic link whose target lies outside.
 */
final class ArtifactFiles {

    /** Listing stops here; a run that writes more files than this is listed in part. */
    static final int MAX_LISTED = 10_000;

    private static final Set<String> TEXT = Set.of(
            "log", "txt", "out", "err", "diff", "patch", "yaml", "yml", "md", "jsonl", "toml", "ini", "cfg", "py",
            "sh");

    private final Path root;

    ArtifactFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Regular files under the folder, sorted by name; links that lead outside it are left out. */
    List<Path> list() throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Path realRoot = root.toRealPath();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 16)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (out.size() >= MAX_LISTED) {
                    break;
                }
                if (Files.isRegularFile(f) && inside(f, realRoot)) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** The name of a listed file: relative to the folder, {@code /}-separated. */
    String name(Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    /**
     * The file a request names, if it exists inside the folder.
     *
     * @throws InvalidInputException for names that try to leave the folder ({@code ..}, absolute paths)
     */
    Optional<Path> resolve(String name) throws IOException {
        if (name == null || name.isEmpty() || name.length() > 1024) {
            throw new InvalidInputException("name", "artifact name must be 1–1024 characters");
        }
        if (name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0 || isAbsolute(name)) {
            throw new InvalidInputException(
                    "name",
                    "artifact name must be a relative path inside the run's folder, got '" + printable(name) + "'");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new InvalidInputException(
                        "name",
                        "artifact name must not contain empty, '.' or '..' segments, got '" + printable(name) + "'");
            }
        }
        Path file;
        try {
            file = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidInputException("name", "artifact name is not a valid path: '" + printable(name) + "'");
        }
        if (!file.startsWith(root) || !Files.isRegularFile(file) || !inside(file, root.toRealPath())) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    private static boolean isAbsolute(String name) {
        try {
            return Path.of(name).isAbsolute();
        } catch (InvalidPathException e) {
            return true;
        }
    }

    private static boolean inside(Path file, Path realRoot) {
        try {
            return file.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What a file is served as. Never a type a browser would run (HTML, SVG, JavaScript): text files as
     * {@code text/plain}, JSON as JSON, common images as themselves, everything else as bytes.
     */
    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 || dot < name.lastIndexOf('/')
                ? ""
                : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (TEXT.contains(ext)) {
            return "text/plain; charset=UTF-8";
        }
        return switch (ext) {
            case "json" -> "application/json";
            case "csv" -> "text/csv; charset=UTF-8";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            case "arrow", "arrows" -> "application/vnd.apache.arrow.stream";
            default -> "application/octet-stream";
        };
    }

    private static String printable(String name) {
        String cut = name.length() > 200 ? name.substring(0, 200) + "…" : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

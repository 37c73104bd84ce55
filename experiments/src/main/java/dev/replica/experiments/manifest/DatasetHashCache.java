package dev.replica.experiments.manifest;

import dev.replica.experiments.manifest.RunManifest.DatasetIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * SHA-256 of dataset files, remembered by absolute path, size and modification time, so that a
 * multi-gigabyte file is hashed once rather than at every run start.
 *
 * <p>An entry is used only while the file's size and modification time (nanoseconds, as the file
 * system reports it) are unchanged; otherwise the file is hashed again and the entry replaced, so the
 * cache holds at most one entry per path. A file modified less than {@link #SETTLE_MILLIS} ago is
 * hashed but not remembered: it may still change within the same time-stamp tick (git's "racy"
 * problem).
 *
 * <p>{@link #save()} writes the cache as canonical JSON to a temporary file and renames it over the
 * old one, so a reader never sees a torn file; a cache file that cannot be read is ignored (rebuilt).
 * Two processes saving at once lose one's new entries at worst, which costs a rehash, never a wrong
 * hash. Thread-safe.
 */
public final class DatasetHashCache {
    /** Files modified more recently than this are not remembered. */
    public static final long SETTLE_MILLIS = 2_000;

    private record Entry(long size, long mtimeNanos, String sha256) {}

    private final Path file;
    private final Map<String, Entry> entries = new TreeMap<>();
    private boolean changed;
    private long bytesHashed;

    private DatasetHashCache(Path file) {
        this.file = file;
    }

    /** A cache persisted in {@code file} (loaded now if it exists; written by {@link #save()}). */
    public static DatasetHashCache open(Path file) {
        DatasetHashCache cache = new DatasetHashCache(file);
        cache.load();
        return cache;
    }

    /** A cache that lives in memory only. */
    public static DatasetHashCache inMemory() {
        return new DatasetHashCache(null);
    }

    /** The identity of a dataset file or directory (every regular file below it, in path order). */
    public DatasetIdentity identify(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            return new DatasetIdentity(abs.toString(), Files.size(abs), sha256(abs), 1);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(abs)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
        }
        Map<String, String> hashes = new TreeMap<>();
        long size = 0;
        for (Path f : files) {
            hashes.put(abs.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/"), sha256(f));
            size += Files.size(f);
        }
        return new DatasetIdentity(abs.toString(), size, CanonicalJson.sha256(hashes), files.size());
    }

    /** SHA-256 of {@code file}, from the cache when its size and modification time are unchanged. */
    public String sha256(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes before = Files.readAttributes(abs, BasicFileAttributes.class);
        long mtime = before.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        String key = abs.toString();
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null && e.size() == before.size() && e.mtimeNanos() == mtime) {
                return e.sha256();
            }
        }
        String sha = Sha256.ofFile(abs);
        BasicFileAttributes after = Files.readAttributes(abs, BasicFileAttributes.class);
        synchronized (this) {
            bytesHashed += before.size();
            boolean stable =
                    after.size() == before.size() && after.lastModifiedTime().to(TimeUnit.NANOSECONDS) == mtime;
            boolean settled =
                    System.currentTimeMillis() - before.lastModifiedTime().toMillis() >= SETTLE_MILLIS;
            if (stable && settled) {
                entries.put(key, new Entry(before.size(), mtime, sha));
                changed = true;
            }
        }
        return sha;
    }

    /** Bytes read for hashing by this instance so far (cache hits read none). */
    public synchronized long bytesHashed() {
        return bytesHashed;
    }

    /** Writes the cache to its file when it changed (no-op for {@link #inMemory()}). */
    public synchronized void save() throws IOException {
        if (file == null || !changed) {
            return;
        }
        Map<String, Object> tree = new TreeMap<>();
        entries.forEach((path, e) ->
                tree.put(path, Map.of("size", e.size(), "mtimeNanos", e.mtimeNanos(), "sha256", e.sha256())));
        byte[] bytes = CanonicalJson.bytes(Map.of("version", 1, "files", tree));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        changed = false;
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            Object tree = CanonicalJson.parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            Map<String, Object> root = JsonTrees.object(tree, "(root)");
            Map<String, Object> files = JsonTrees.object(root.get("files"), "files");
            if (files == null) {
                return;
            }
            files.forEach((path, v) -> {
                Map<String, Object> e = JsonTrees.object(v, path);
                entries.put(
                        path,
                        new Entry(
                                JsonTrees.longValue(e, "size", ""),
                                JsonTrees.longValue(e, "mtimeNanos", ""),
                                JsonTrees.requireString(e, "sha256", "")));
            });
        } catch (IOException | RuntimeException e) {
            entries.clear(); // unreadable or foreign: start empty, it is only a cache
        }
    }
}

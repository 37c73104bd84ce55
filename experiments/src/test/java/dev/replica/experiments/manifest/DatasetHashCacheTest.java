package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.manifest.RunManifest.DatasetIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetHashCacheTest {
    @TempDir
    Path dir;

    Path file(String name, String content, long ageSeconds) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
        return f;
    }

    @Test
    void hashesOnceAndRemembersAcrossInstancesThroughItsFile() throws IOException {
        Path data = file("data/train.bin", "abc", 60);
        Path cacheFile = dir.resolve("cache/hashes.json");

        DatasetHashCache first = DatasetHashCache.open(cacheFile);
        DatasetIdentity id = first.identify(data);
        first.save();

        assertThat(id.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(id.sizeBytes()).isEqualTo(3);
        assertThat(id.files()).isEqualTo(1);
        assertThat(id.path()).isEqualTo(data.toAbsolutePath().normalize().toString());
        assertThat(first.bytesHashed()).isEqualTo(3);

        DatasetHashCache second = DatasetHashCache.open(cacheFile);
        assertThat(second.identify(data)).isEqualTo(id);
        assertThat(second.bytesHashed()).isZero();
    }

    @Test
    void rehashesWhenSizeOrModificationTimeChanges() throws IOException {
        Path data = file("train.bin", "abc", 60);
        DatasetHashCache cache = DatasetHashCache.inMemory();
        String before = cache.sha256(data);

        file("train.bin", "abd", 30); // same size, new mtime
        String after = cache.sha256(data);

        assertThat(after).isNotEqualTo(before).isEqualTo(Sha256.ofFile(data));
        assertThat(cache.bytesHashed()).isEqualTo(6);
    }

    @Test
    void doesNotRememberFilesModifiedJustNow() throws IOException {
        Path data = file("fresh.bin", "abc", 0);
        DatasetHashCache cache = DatasetHashCache.inMemory();
        cache.sha256(data);
        cache.sha256(data);
        assertThat(cache.bytesHashed()).isEqualTo(6);
    }

    @Test
    void directoryIdentityCoversEveryFileByRelativePath() throws IOException {
        file("mnist/train-images", "images", 60);
        file("mnist/sub/train-labels", "labels", 60);
        DatasetHashCache cache = DatasetHashCache.inMemory();

        DatasetIdentity id = cache.identify(dir.resolve("mnist"));

        assertThat(id.files()).isEqualTo(2);
        assertThat(id.sizeBytes()).isEqualTo(12);
        assertThat(id.sha256())
                .isEqualTo(CanonicalJson.sha256(Map.of(
                        "train-images", Sha256.of("images".getBytes()),
                        "sub/train-labels", Sha256.of("labels".getBytes()))));

        file("mnist/sub/train-labels", "LABELS", 60);
        assertThat(cache.identify(dir.resolve("mnist")).sha256()).isNotEqualTo(id.sha256());
    }

    @Test
    void unreadableCacheFileIsIgnored() throws IOException {
        Path cacheFile = dir.resolve("hashes.json");
        Files.writeString(cacheFile, "{not json");
        Path data = file("x.bin", "abc", 60);

        DatasetHashCache cache = DatasetHashCache.open(cacheFile);
        assertThat(cache.sha256(data)).isEqualTo(Sha256.ofFile(data));
        cache.save();
        assertThat(DatasetHashCache.open(cacheFile).sha256(data)).isEqualTo(Sha256.ofFile(data));
    }
}

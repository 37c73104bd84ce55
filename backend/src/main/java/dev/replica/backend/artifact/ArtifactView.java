package dev.replica.backend.artifact;

import java.time.Instant;

/**
 * A file in a run's folder (logs, manifest, code diff, anything the run wrote).
 *
 * @param name        path relative to the run's folder, {@code /}-separated
 * @param size        bytes
 * @param contentType what a download of it is served as
 * @param modifiedAt  last modification
 */
public record ArtifactView(String name, long size, String contentType, Instant modifiedAt) {}

package dev.replica.backend.export;

import java.util.Locale;

/** The formats metrics export to; every one is full resolution and bit-exact. */
public enum ExportFormat {
    /** One row per (run, step, metric): run, step, time_ms, metric, value. */
    CSV("text/csv", ".csv", "-metrics.csv"),
    /** One row per (run, step), one column per metric. */
    CSV_WIDE("text/csv", ".csv", "-metrics-wide.csv"),
    /** Arrow IPC file: run, step, time_ms, one float64 column per metric. */
    ARROW("application/vnd.apache.arrow.file", ".arrow", "-metrics.arrow"),
    /** The same table as an Arrow IPC stream (readable while it arrives). */
    ARROW_STREAM("application/vnd.apache.arrow.stream", ".arrows", "-metrics-stream.arrows");

    private final String mediaType;
    private final String extension;
    private final String fileSuffix;

    ExportFormat(String mediaType, String extension, String fileSuffix) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.fileSuffix = fileSuffix;
    }

    /** End of a download's file name: distinct per format, so two downloads never overwrite each other. */
    public String fileSuffix() {
        return fileSuffix;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    public static ExportFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be csv, csv-wide, arrow or arrow-stream, got " + text);
        }
    }
}

package dev.replica.backend.export;

import dev.replica.experiments.spec.InvalidInputException;
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
    ARROW_STREAM("application/vnd.apache.arrow.stream", ".arrows", "-metrics-stream.arrows"),
    /** Parquet, one row per (run, step, metric) as the long CSV; typed columns, float64 values bit for bit. */
    PARQUET("application/vnd.apache.parquet", ".parquet", "-metrics.parquet"),
    /** Parquet, one row per (run, step), one optional float64 column per metric: null = not logged. */
    PARQUET_WIDE("application/vnd.apache.parquet", ".parquet", "-metrics-wide.parquet");

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

    /** Whether the parameters table goes with it as Parquet (typed columns) rather than CSV. */
    public boolean isParquet() {
        return this == PARQUET || this == PARQUET_WIDE;
    }

    public static ExportFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "format",
                    "format must be csv, csv-wide, arrow, arrow-stream, parquet or parquet-wide, got " + text);
        }
    }
}

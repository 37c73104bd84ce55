package dev.replica.experiments.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Parses the stdout of an external process: metric lines are JSON objects with a {@code step},
 * e.g. {@code {"step": 10, "train/loss": 0.53}}; every other line is a log line.
 *
 * <p>Rules for a metric line (a line whose first non-blank character is {@code {} and that holds
 * {@code "step"}):
 * <ul>
 *   <li>{@code step}: required 64-bit integer.</li>
 *   <li>{@code time_ms} or its alias {@code time}: optional integer, milliseconds since the epoch;
 *       the parser's clock when absent. Giving both is an error.</li>
 *   <li>every other field is a metric: a JSON number, the bare tokens {@code NaN}, {@code Infinity},
 *       {@code -Infinity} (as Python's {@code json.dumps} writes them), the strings {@code "NaN"},
 *       {@code "Infinity"}, {@code "-Infinity"}, or {@code null} for not logged.</li>
 * </ul>
 * A malformed metric line raises {@link MetricParseException} naming the line number and the field.
 * A JSON object without {@code step} is a (structured) log line.
 */
public final class JsonLinesParser {
    private final LongSupplier clock;

    /** One parsed line. */
    public sealed interface Line permits MetricLine, LogLine {
        /** 1-based line number. */
        long lineNumber();
    }

    /** A metric line. */
    public record MetricLine(long lineNumber, MetricRow row) implements Line {}

    /** Any other line, verbatim. */
    public record LogLine(long lineNumber, String text) implements Line {}

    /** A parser stamping lines without a time with the system clock. */
    public JsonLinesParser() {
        this(System::currentTimeMillis);
    }

    /** A parser stamping lines without a time with {@code clock} (milliseconds since the epoch). */
    public JsonLinesParser(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Parses one line.
     *
     * @param lineNumber 1-based, used in error messages
     * @throws MetricParseException for a malformed metric line
     */
    public Line parse(long lineNumber, String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("{") || !trimmed.contains("\"step\"")) {
            return new LogLine(lineNumber, line);
        }
        String location = "line " + lineNumber;
        JsonNode node;
        try {
            node = MetricValues.MAPPER.readTree(trimmed);
        } catch (JsonProcessingException e) {
            throw new MetricParseException(location, null, MetricValues.problemOf(e));
        }
        if (node == null || !node.isObject()) {
            return new LogLine(lineNumber, line);
        }
        if (!node.has(MetricNames.STEP)) {
            return new LogLine(lineNumber, line);
        }
        try {
            return new MetricLine(lineNumber, row(node, location, clock, false));
        } catch (MetricValues.AmbiguousInfinity e) {
            try { // Infinity, or an overflow such as 1e400: read exactly to tell
                return new MetricLine(lineNumber, row(MetricValues.EXACT.readTree(trimmed), location, clock, true));
            } catch (JsonProcessingException again) {
                throw new MetricParseException(location, null, MetricValues.problemOf(again));
            }
        }
    }

    static MetricRow row(JsonNode node, String location, LongSupplier clock, boolean exact) {
        long step = MetricValues.integer(node.get(MetricNames.STEP), location, MetricNames.STEP);
        JsonNode timeMs = node.get(MetricNames.TIME_MS);
        JsonNode time = node.get("time");
        if (timeMs != null && time != null) {
            throw new MetricParseException(location, "time", "give either time or time_ms, not both");
        }
        long t;
        if (timeMs != null) {
            t = MetricValues.integer(timeMs, location, MetricNames.TIME_MS);
        } else if (time != null) {
            t = MetricValues.integer(time, location, "time");
        } else {
            t = clock.getAsLong();
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.equals(MetricNames.STEP) || name.equals(MetricNames.TIME_MS) || name.equals("time")) {
                continue;
            }
            MetricValues.checkName(name, location);
            Double v = MetricValues.value(e.getValue(), location, name, exact);
            if (v != null) {
                values.put(name, v);
            }
        }
        return new MetricRow(step, t, values);
    }

    /**
     * Reads {@code in} to its end: metric lines go to {@code sink} (which batches and appends them),
     * log lines to {@code logLines}, malformed metric lines to {@code errors}; the sink is flushed at
     * the end.
     *
     * @return number of metric lines ingested
     */
    public long ingest(Reader in, MetricSink sink, Consumer<LogLine> logLines, Consumer<MetricParseException> errors)
            throws IOException {
        BufferedReader reader = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in);
        long lineNumber = 0;
        long metricLines = 0;
        String text;
        while ((text = reader.readLine()) != null) {
            lineNumber++;
            Line line;
            try {
                line = parse(lineNumber, text);
            } catch (MetricParseException e) {
                errors.accept(e);
                continue;
            }
            if (line instanceof MetricLine) {
                sink.log(((MetricLine) line).row());
                metricLines++;
            } else {
                logLines.accept((LogLine) line);
            }
        }
        sink.flush();
        return metricLines;
    }
}

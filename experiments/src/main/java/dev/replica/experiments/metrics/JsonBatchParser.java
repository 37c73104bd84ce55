package dev.replica.experiments.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Parses the JSON body of a batch append: {@code [{"step":1,"time":123,"values":{"loss":0.5}}]}.
 * {@code time} (alias {@code time_ms}) is optional, in milliseconds since the epoch; values follow
 * the same rules as {@link JsonLinesParser}. Errors name the index and field, e.g. {@code [3],
 * field "values.loss": ...}. The body is limited to {@code maxBytes} and {@code maxRows}.
 */
public final class JsonBatchParser {
    private final LongSupplier clock;
    private final long maxBytes;
    private final int maxRows;

    /** 16 MiB, 100,000 rows, system clock. */
    public JsonBatchParser() {
        this(System::currentTimeMillis, 16L << 20, 100_000);
    }

    public JsonBatchParser(LongSupplier clock, long maxBytes, int maxRows) {
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.maxRows = maxRows;
    }

    /** Parses a body given as text. */
    public MetricBatch parse(String body) {
        if (body.length() > maxBytes) {
            throw new MetricParseException("body", null, "larger than " + maxBytes + " bytes");
        }
        return parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Parses a body read from {@code in} (at most {@code maxBytes}). */
    public MetricBatch parse(InputStream in) throws IOException {
        byte[] body;
        try {
            // kept as bytes (the tree is larger anyway) so that a body with an infinite number can be read again
            body = new LimitedInputStream(in, maxBytes).readAllBytes();
        } catch (LimitedInputStream.LimitExceededException e) {
            throw new MetricParseException("body", null, e.getMessage());
        }
        return parse(body);
    }

    private MetricBatch parse(byte[] body) {
        try {
            try {
                return parse(MetricValues.MAPPER.readTree(body), false);
            } catch (MetricValues.AmbiguousInfinity e) {
                return parse(MetricValues.EXACT.readTree(body), true); // Infinity, or an overflow such as 1e400
            }
        } catch (IOException e) {
            throw new MetricParseException(
                    "body", null, e instanceof JsonProcessingException j ? MetricValues.problemOf(j) : e.getMessage());
        }
    }

    private MetricBatch parse(JsonNode root, boolean exact) {
        if (root == null || !root.isArray()) {
            throw new MetricParseException("body", null, "expected a JSON array of rows");
        }
        if (root.size() > maxRows) {
            throw new MetricParseException(
                    "body", null, "has " + root.size() + " rows, more than the limit of " + maxRows);
        }
        MetricBatch.Builder b = MetricBatch.builder();
        for (int i = 0; i < root.size(); i++) {
            JsonNode row = root.get(i);
            String location = "[" + i + "]";
            if (!row.isObject()) {
                throw new MetricParseException(location, null, "expected an object, got " + MetricValues.describe(row));
            }
            for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("step") && !f.equals("time") && !f.equals("time_ms") && !f.equals("values")) {
                    throw new MetricParseException(
                            location, f, "unknown field; a row has step, time (or time_ms) and values");
                }
            }
            JsonNode step = row.get("step");
            if (step == null) {
                throw new MetricParseException(location, "step", "missing");
            }
            JsonNode time = row.has("time_ms") ? row.get("time_ms") : row.get("time");
            if (row.has("time_ms") && row.has("time")) {
                throw new MetricParseException(location, "time", "give either time or time_ms, not both");
            }
            long s = MetricValues.integer(step, location, "step");
            long t = time == null
                    ? clock.getAsLong()
                    : MetricValues.integer(time, location, row.has("time_ms") ? "time_ms" : "time");
            JsonNode values = row.get("values");
            if (values == null || !values.isObject()) {
                throw new MetricParseException(
                        location,
                        "values",
                        values == null
                                ? "missing"
                                : "expected an object of metric values, got " + MetricValues.describe(values));
            }
            b.row(s, t);
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = "values." + e.getKey();
                String problem = MetricNames.problem(e.getKey());
                if (problem != null) {
                    throw new MetricParseException(location, field, problem);
                }
                Double v = MetricValues.value(e.getValue(), location, field, exact);
                if (v != null) {
                    b.set(e.getKey(), v);
                }
            }
        }
        return b.build();
    }
}

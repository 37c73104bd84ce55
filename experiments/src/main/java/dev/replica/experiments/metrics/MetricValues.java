package dev.replica.experiments.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;

/** JSON value rules shared by the JSON-lines and JSON batch parsers. */
final class MetricValues {
    static final ObjectMapper MAPPER = mapper().build();

    /**
     * The same rules, floats read exactly: an overflowing literal ({@code 1e400}) becomes a BigDecimal node while
     * Python's bare {@code Infinity} stays a double. Used only to re-read a document that held an infinite
     * number, so ordinary ingest never pays for BigDecimal parsing.
     */
    static final ObjectMapper EXACT = mapper().enable(
                    com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static JsonMapper.Builder mapper() {
        return JsonMapper.builder(JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python's json.dumps writes NaN
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build());
    }

    static final String OUT_OF_RANGE = "number beyond the 64-bit float range (about ±1.8e308); send Infinity or"
            + " -Infinity (or \"Infinity\") if an infinite value is meant";

    /**
     * Thrown by {@link #value} for an infinite number read by {@link #MAPPER}: either Python's bare {@code
     * Infinity} (kept) or an overflowing literal such as {@code 1e400} (refused); the caller reads the document
     * again with {@link #EXACT} to tell which.
     */
    static final class AmbiguousInfinity extends RuntimeException {
        AmbiguousInfinity() {
            super(null, null, false, false);
        }
    }

    static final String EXPECTED_VALUE =
            "expected a number or \"NaN\", \"Infinity\", \"-Infinity\" (or null for not logged)";

    private MetricValues() {}

    /**
     * The metric value of {@code node}; null for JSON null (not logged).
     *
     * @param exact whether the document was read with {@link #EXACT}
     * @throws AmbiguousInfinity for an infinite number when not {@code exact}
     */
    static Double value(JsonNode node, String location, String field, boolean exact) {
        if (node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            double d = node.doubleValue();
            if (Double.isInfinite(d)) {
                if (node.isBigDecimal()) { // never store an overflow as Infinity without a word
                    throw new MetricParseException(
                            location,
                            field,
                            OUT_OF_RANGE + ", got " + node.decimalValue().toString());
                }
                if (!exact) {
                    throw new AmbiguousInfinity();
                }
            }
            return d;
        }
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                case "+Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new MetricParseException(location, field, EXPECTED_VALUE + ", got " + describe(node));
    }

    /** A required or optional integer field. */
    static long integer(JsonNode node, String location, String field) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber() && Double.isFinite(node.doubleValue())) {
            BigDecimal d = node.decimalValue();
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                // fall through
            }
        }
        throw new MetricParseException(location, field, "expected an integer (64-bit), got " + describe(node));
    }

    static void checkName(String name, String location) {
        String problem = MetricNames.problem(name);
        if (problem != null) {
            throw new MetricParseException(location, name, problem);
        }
    }

    static String describe(JsonNode node) {
        String text = node.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
    }

    static String problemOf(com.fasterxml.jackson.core.JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        return "invalid JSON: " + (msg == null ? e.getClass().getSimpleName() : msg);
    }

    static JsonParser parser(String text) throws java.io.IOException {
        return MAPPER.getFactory().createParser(text);
    }
}

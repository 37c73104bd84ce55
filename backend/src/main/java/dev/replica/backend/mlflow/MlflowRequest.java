package dev.replica.backend.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Fields of an MLflow request body (or query), read the way protobuf's JSON mapping writes them:
 * int64 as numbers or decimal strings, doubles as numbers or "NaN"/"Infinity"/"-Infinity". Every type
 * error is MLflow's INVALID_PARAMETER_VALUE naming the field.
 */
final class MlflowRequest {

    /**
     * Jackson's defaults, whatever the application's mapper is configured with: floats parse to doubles
     * directly (never through BigDecimal, which has no -0.0).
     */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final JsonNode node;

    private MlflowRequest(JsonNode node) {
        this.node = node == null ? NullNode.getInstance() : node;
    }

    static MlflowRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return new MlflowRequest(PLAIN.createObjectNode());
        }
        try {
            JsonNode node = PLAIN.readTree(body);
            if (!node.isObject()) {
                throw new MlflowError(MlflowError.Code.BAD_REQUEST, "the request body must be a JSON object");
            }
            return new MlflowRequest(node);
        } catch (JsonProcessingException e) {
            throw new MlflowError(
                    MlflowError.Code.BAD_REQUEST, "malformed JSON in request body: " + e.getOriginalMessage());
        }
    }

    static MlflowRequest of(JsonNode node) {
        return new MlflowRequest(node);
    }

    /** The text of {@code field}, or null when absent. */
    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw MlflowError.invalid("Invalid value for parameter '" + field + "': expected a string");
        }
        return v.asText();
    }

    /** The text of {@code field}; MLflow's error when it is absent or empty. */
    String required(String field) {
        String v = string(field);
        if (v == null || v.isEmpty()) {
            throw missing(field);
        }
        return v;
    }

    /** The run id: {@code run_id}, or the deprecated {@code run_uuid} older clients send. */
    String runId() {
        String id = string("run_id");
        if (id == null || id.isEmpty()) {
            id = string("run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw missing("run_id");
        }
        return id;
    }

    static MlflowError missing(String field) {
        return MlflowError.invalid("Missing value for required parameter '" + field
                + "'. See the API docs for more information about request parameters.");
    }

    /** An int64 field, or {@code fallback} when absent. */
    Long int64(String field, Long fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw MlflowError.invalid("Invalid value " + v + " for parameter '" + field + "': expected an int64");
    }

    /** A double field; absent is MLflow's missing-parameter error. */
    private static RuntimeException outOfRange(String field) {
        return MlflowError.invalid("Invalid value for parameter '" + field + "': a number beyond the 64-bit float"
                + " range (about ±1.8e308); send \"Infinity\" or \"-Infinity\" if an infinite value is meant");
    }

    double float64(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw missing(field);
        }
        if (v.isNumber()) {
            // this reader allows no bare Infinity token, so an infinite number is an overflowing literal (1e400)
            if (Double.isInfinite(v.asDouble())) {
                throw outOfRange(field);
            }
            return v.asDouble();
        }
        if (v.isTextual()) {
            String s = v.asText().trim();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        double d = Double.parseDouble(s);
                        if (Double.isInfinite(d)) {
                            throw outOfRange(field);
                        }
                        return d;
                    } catch (NumberFormatException e) {
                        // reported below
                    }
            }
        }
        throw MlflowError.invalid("Invalid value " + v + " for parameter '" + field + "': expected a double");
    }

    /** The objects of array {@code field}, each read with {@code read}; empty when absent. */
    <T> List<T> list(String field, Function<MlflowRequest, T> read) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw MlflowError.invalid("Invalid value for parameter '" + field + "': expected an array");
        }
        List<T> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            out.add(read.apply(new MlflowRequest(item)));
        }
        return out;
    }

    /** An array of strings (or one string, as query parameters come); empty when absent. */
    List<String> strings(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isValueNode()) {
            return List.of(v.asText());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode()) {
                throw MlflowError.invalid("Invalid value for parameter '" + field + "': expected strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A nested object, or an empty request when absent. */
    MlflowRequest object(String field) {
        JsonNode v = node.get(field);
        if (v != null && !v.isNull() && !v.isObject()) {
            throw MlflowError.invalid("Invalid value for parameter '" + field + "': expected an object");
        }
        return new MlflowRequest(v);
    }
}

package dev.replica.experiments.metrics;

import dev.replica.experiments.spec.InvalidInputException;

/**
 * Metrics sent by a user or an external process could not be parsed. The message names where (line
 * number or array index) and which field, e.g. {@code line 12, field "train/loss": expected a number
 * or "NaN", "Infinity", "-Infinity", got true}. Invalid input: REST answers 400.
 */
public class MetricParseException extends InvalidInputException {
    private final String location;

    /**
     * @param location "line 12" or "[3]" or "arrow body"
     * @param field the field at fault, or null when the record as a whole is at fault
     * @param problem what is wrong
     */
    public MetricParseException(String location, String field, String problem) {
        super(field, location + (field == null ? "" : ", field \"" + field + "\"") + ": " + problem);
        this.location = location;
    }

    /** Where: "line 12", "[3]", ... */
    public String location() {
        return location;
    }
}

package dev.replica.experiments.kind;

import java.util.List;
import java.util.Optional;

/**
 * One declared parameter of an experiment kind.
 *
 * @param name         the parameter name as written in specs
 * @param type         its type
 * @param defaultValue value used when the spec does not set it; null means the parameter is optional
 *                     and absent unless set
 * @param min          inclusive lower bound for numbers, null for none
 * @param max          inclusive upper bound for numbers, null for none
 * @param choices      allowed values for {@link ParamType#ENUM}
 * @param description  one line for the spec reference
 */
public record ParamSpec(
        String name,
        ParamType type,
        Object defaultValue,
        Double min,
        Double max,
        List<String> choices,
        String description) {

    public static ParamSpec integer(String name, long def, long min, long max, String description) {
        return new ParamSpec(name, ParamType.INT, def, (double) min, (double) max, List.of(), description);
    }

    public static ParamSpec number(String name, Double def, Double min, Double max, String description) {
        return new ParamSpec(name, ParamType.FLOAT, def, min, max, List.of(), description);
    }

    public static ParamSpec oneOf(String name, String def, List<String> choices, String description) {
        return new ParamSpec(name, ParamType.ENUM, def, null, null, List.copyOf(choices), description);
    }

    public static ParamSpec text(String name, String def, String description) {
        return new ParamSpec(name, ParamType.STRING, def, null, null, List.of(), description);
    }

    public static ParamSpec flag(String name, boolean def, String description) {
        return new ParamSpec(name, ParamType.BOOL, def, null, null, List.of(), description);
    }

    /**
     * Converts a normalised YAML scalar (Long, Double, String, Boolean) to this parameter's type.
     *
     * @return the converted value, or empty with {@code error[0]} set to the reason
     */
    public Optional<Object> coerce(Object value, String[] error) {
        switch (type) {
            case INT -> {
                if (value instanceof Long l) {
                    return inRange(l.doubleValue(), error) ? Optional.of(l) : Optional.empty();
                }
                error[0] = "must be an integer, got " + describe(value);
            }
            case FLOAT -> {
                if (value instanceof Long || value instanceof Double) {
                    double d = ((Number) value).doubleValue();
                    if (Double.isNaN(d)) {
                        error[0] = "must be a number, got NaN";
                        return Optional.empty();
                    }
                    return inRange(d, error) ? Optional.of(d) : Optional.empty();
                }
                error[0] = "must be a number, got " + describe(value);
            }
            case STRING -> {
                if (value instanceof String s) {
                    return Optional.of(s);
                }
                error[0] = "must be a string, got " + describe(value);
            }
            case BOOL -> {
                if (value instanceof Boolean b) {
                    return Optional.of(b);
                }
                error[0] = "must be true or false, got " + describe(value);
            }
            case ENUM -> {
                if (value instanceof String s && choices.contains(s)) {
                    return Optional.of(s);
                }
                error[0] = "must be one of " + String.join(", ", choices) + ", got " + describe(value);
            }
        }
        return Optional.empty();
    }

    private boolean inRange(double v, String[] error) {
        if ((min != null && v < min) || (max != null && v > max)) {
            error[0] = "must be in [" + bound(min) + ", " + bound(max) + "], got " + formatNumber(v);
            return false;
        }
        return true;
    }

    private String bound(Double b) {
        return b == null ? "…" : formatNumber(b);
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value.toString();
        }
        return "a "
                + (value instanceof java.util.Map
                        ? "mapping"
                        : value instanceof java.util.List
                                ? "list"
                                : value.getClass().getSimpleName());
    }

    /** Human-readable type for docs and errors, e.g. {@code integer in [1, 100000]}. */
    public String typeDescription() {
        return switch (type) {
            case ENUM -> "one of " + String.join(" | ", choices);
            case INT, FLOAT ->
                type.label() + (min == null && max == null ? "" : " in [" + bound(min) + ", " + bound(max) + "]");
            default -> type.label();
        };
    }
}

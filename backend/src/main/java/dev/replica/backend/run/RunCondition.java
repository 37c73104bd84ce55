package dev.replica.backend.run;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A filter on a run field: {@code summary:last:val/loss<0.5}, {@code param:optimizer=muon}, {@code
 * state!=FAILED}. Numbers compare numerically (a parameter 1 matches 1.0); {@code <}, {@code <=},
 * {@code >}, {@code >=} need a number (or, for {@code created}/{@code started}/{@code finished}, an
 * ISO-8601 instant). A run without the field never matches.
 *
 * @param field what is compared
 * @param op    the comparison
 * @param value the right-hand side as written
 */
public record RunCondition(RunField field, Op op, String value) {

    /** Comparisons. */
    public enum Op {
        EQ("="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException(symbol);
        }

        boolean ordering() {
            return this == LT || this == LE || this == GT || this == GE;
        }
    }

    // The value holds no operator characters, so a metric name containing '<' or '=' still parses.
    private static final Pattern SYNTAX = Pattern.compile("^(.+?)(<=|>=|!=|<|>|=)([^<>=!]*)$");

    /**
     * Parses {@code FIELD OP VALUE}.
     *
     * @throws IllegalArgumentException naming the filter and what is wrong
     */
    public static RunCondition parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("filter '" + text + "' must look like FIELD OP VALUE with OP one of "
                    + "=, !=, <, <=, >, >=, e.g. summary:last:val/loss<0.5 or param:optimizer=muon");
        }
        RunField field;
        try {
            field = RunField.parse(m.group(1).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filter '" + text + "': " + e.getMessage());
        }
        Op op = Op.of(m.group(2));
        String value = m.group(3).trim();
        if (op.ordering() && number(value) == null && !isTime(field)) {
            throw new IllegalArgumentException(
                    "filter '" + text + "': " + op.symbol + " needs a number, got '" + value + "'");
        }
        return new RunCondition(field, op, value);
    }

    private static boolean isTime(RunField field) {
        return field.kind() == RunField.Kind.COLUMN
                && switch (field.column()) {
                    case CREATED, STARTED, FINISHED -> true;
                    default -> false;
                };
    }

    /** The value as a number, or null. */
    static Double number(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return field + op.symbol + value;
    }
}

package dev.replica.backend.run;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A filter on a run field: {@code summary:last:val/loss<0.5}, {@code param:optimizer=muon}, {@code
 * state!=FAILED}. Numbers compare numerically (a parameter 1 matches 1.0); {@code <}, {@code <=},
 * {@code >}, {@code >=} need a number (or, for {@code created}/{@code started}/{@code finished}, an
 * ISO-8601 instant). A run without the field never matches. {@link #parseAll} also reads the ranges
 * {@code FIELD=a..b}, {@code FIELD=..b} and {@code FIELD=a..} (inclusive), the same grammar as the
 * workbench's filters, and {@code tag:NAME} (runs with the tag) or {@code !tag:NAME} (runs without it).
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

    private static final Pattern TAG = Pattern.compile("^(!?)tag:([^<>=!]*)$");

    private static final Pattern RANGE = Pattern.compile("^(.+?)=([^<>=!]*)\\.\\.([^<>=!]*)$");

    /**
     * Parses {@code FIELD OP VALUE} or a range {@code FIELD=a..b} (either end may be left out), which
     * becomes {@code FIELD>=a} and {@code FIELD<=b}.
     *
     * @throws InvalidInputException naming the filter and what is wrong
     */
    public static java.util.List<RunCondition> parseAll(String text) {
        Matcher t = TAG.matcher(text == null ? "" : text.trim());
        if (t.matches()) {
            RunField field;
            try {
                field = RunField.parse("tag:" + t.group(2));
            } catch (InvalidInputException e) {
                throw new InvalidInputException("filter", "filter '" + text + "': " + e.getMessage());
            }
            return java.util.List.of(new RunCondition(field, t.group(1).isEmpty() ? Op.EQ : Op.NE, field.name()));
        }
        Matcher m = RANGE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            return java.util.List.of(parse(text));
        }
        String field = m.group(1).trim();
        String lo = m.group(2).trim();
        String hi = m.group(3).trim();
        if (lo.isEmpty() && hi.isEmpty()) {
            throw new InvalidInputException("filter", "filter '" + text + "': a range needs at least one end");
        }
        for (String end : new String[] {lo, hi}) {
            if (!end.isEmpty() && number(end) == null) {
                throw new InvalidInputException(
                        "filter", "filter '" + text + "': a range needs numbers, got '" + end + "'");
            }
        }
        if (!lo.isEmpty() && !hi.isEmpty() && number(lo) > number(hi)) {
            throw new InvalidInputException(
                    "filter", "filter '" + text + "': the range starts at " + lo + ", above its end " + hi);
        }
        java.util.List<RunCondition> out = new java.util.ArrayList<>();
        if (!lo.isEmpty()) {
            out.add(parse(field + ">=" + lo));
        }
        if (!hi.isEmpty()) {
            out.add(parse(field + "<=" + hi));
        }
        return java.util.List.copyOf(out);
    }

    /**
     * Parses {@code FIELD OP VALUE}.
     *
     * @throws InvalidInputException naming the filter and what is wrong
     */
    public static RunCondition parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new InvalidInputException(
                    "filter",
                    "filter '" + text + "' must look like FIELD OP VALUE with OP one of "
                            + "=, !=, <, <=, >, >=, e.g. summary:last:val/loss<0.5 or param:optimizer=muon");
        }
        RunField field;
        try {
            field = RunField.parse(m.group(1).trim());
        } catch (InvalidInputException e) {
            throw new InvalidInputException("filter", "filter '" + text + "': " + e.getMessage());
        }
        Op op = Op.of(m.group(2));
        String value = m.group(3).trim();
        if (field.kind() == RunField.Kind.TAG) {
            throw new InvalidInputException(
                    "filter",
                    "filter '" + text + "': a tag filter is tag:NAME, or !tag:NAME for runs"
                            + " without the tag; no operator");
        }
        if (op.ordering() && number(value) == null && !isTime(field)) {
            throw new InvalidInputException(
                    "filter", "filter '" + text + "': " + op.symbol + " needs a number, got '" + value + "'");
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
        if (field.kind() == RunField.Kind.TAG) {
            return (op == Op.NE ? "!" : "") + field;
        }
        return field + op.symbol + value;
    }
}

package dev.replica.backend.run;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a run list is sorted or filtered on: a column of the run ({@code id}, {@code index}, {@code
 * seed}, {@code state}, {@code attempt}, {@code executor}, {@code created}, {@code started}, {@code
 * finished}), a parameter ({@code param:lr}) or a field of a metric's summary ({@code
 * summary:last:val/loss}; the metric comes last so that its name may contain any character).
 *
 * @param kind    column, parameter or summary
 * @param name    the column, parameter or metric name
 * @param summary the summary field when {@code kind} is {@link Kind#SUMMARY}, else null
 */
public record RunField(Kind kind, String name, SummaryField summary) {

    /** Kinds of field. */
    public enum Kind {
        COLUMN,
        PARAM,
        SUMMARY,
        /** A tag the run carries ({@code tag:baseline}); filters only, never a sort. */
        TAG
    }

    /** Run columns that can be sorted and filtered on. */
    public enum Column {
        ID,
        INDEX,
        SEED,
        STATE,
        ATTEMPT,
        EXECUTOR,
        CREATED,
        STARTED,
        FINISHED,
        /** Whether the run is archived ({@code archived=true}). */
        ARCHIVED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Fields of a metric summary. */
    public enum SummaryField {
        LAST,
        MIN,
        MAX,
        COUNT,
        NAN_COUNT,
        LAST_STEP,
        MIN_STEP,
        MAX_STEP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses {@code id}, {@code param:NAME} or {@code summary:FIELD:METRIC}.
     *
     * @throws InvalidInputException naming what is wrong and what is accepted
     */
    public static RunField parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(
                    null,
                    "field is empty; expected a run column (" + columns()
                            + "), param:NAME, summary:FIELD:METRIC or tag:NAME");
        }
        if (text.startsWith("param:")) {
            String name = text.substring(6);
            if (name.isEmpty()) {
                throw new InvalidInputException(null, "'" + text + "': param: needs a parameter name");
            }
            return new RunField(Kind.PARAM, name, null);
        }
        if (text.startsWith("tag:")) {
            return new RunField(Kind.TAG, dev.replica.backend.label.Tags.check(text, text.substring(4)), null);
        }
        if (text.startsWith("summary:")) {
            String rest = text.substring(8);
            int colon = rest.indexOf(':');
            if (colon <= 0 || colon == rest.length() - 1) {
                throw new InvalidInputException(
                        null, "'" + text + "': expected summary:FIELD:METRIC, e.g. summary:last:val/loss");
            }
            String field = rest.substring(0, colon);
            SummaryField f = Arrays.stream(SummaryField.values())
                    .filter(v -> v.label().equals(field))
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException(
                            null,
                            "'" + text + "': unknown summary field '" + field
                                    + "'; one of "
                                    + Arrays.stream(SummaryField.values())
                                            .map(SummaryField::label)
                                            .collect(Collectors.joining(", "))));
            return new RunField(Kind.SUMMARY, rest.substring(colon + 1), f);
        }
        Column c = Arrays.stream(Column.values())
                .filter(v -> v.label().equals(text))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        null,
                        "unknown field '" + text + "'; expected a run column (" + columns()
                                + "), param:NAME, summary:FIELD:METRIC or tag:NAME"));
        return new RunField(Kind.COLUMN, c.label(), null);
    }

    private static String columns() {
        return Arrays.stream(Column.values()).map(Column::label).collect(Collectors.joining(", "));
    }

    /** The run column, when {@code kind} is {@link Kind#COLUMN}. */
    public Column column() {
        return Column.valueOf(name.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case COLUMN -> name;
            case PARAM -> "param:" + name;
            case SUMMARY -> "summary:" + summary.label() + ":" + name;
            case TAG -> "tag:" + name;
        };
    }
}

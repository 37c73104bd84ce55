package dev.replica.backend.run;

import dev.replica.experiments.spec.InvalidInputException;

/**
 * The order of a run list: one field, ascending unless written with a leading {@code -}. Runs
 * without a value (no such parameter, metric not logged) come last either way; ties are broken by run
 * id so that pages never overlap.
 *
 * @param field      what to sort on
 * @param descending largest first
 */
public record RunSort(RunField field, boolean descending) {

    /** Parses {@code summary:last:val/loss} or {@code -param:lr}; null (the default order) when blank. */
    public static RunSort parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        boolean desc = text.startsWith("-");
        RunField field;
        try {
            field = RunField.parse(desc ? text.substring(1) : text);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("sort", "sort '" + text + "': " + e.getMessage(), e);
        }
        if (field.kind() == RunField.Kind.TAG
                || field.kind() == RunField.Kind.COLUMN && field.column() == RunField.Column.ARCHIVED) {
            throw new InvalidInputException(
                    "sort", "sort '" + text + "': " + field + " filters runs but cannot sort them");
        }
        return new RunSort(field, desc);
    }

    @Override
    public String toString() {
        return (descending ? "-" : "") + field;
    }
}

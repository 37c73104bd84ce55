package dev.replica.experiments.spec;

/**
 * One problem found in a spec, located precisely enough for an editor to jump to it.
 *
 * @param file   the file name as the user gave it (or {@code <request>} for an API body)
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param field  dotted path of the field at fault, e.g. {@code sweep.grid.lr}
 * @param message what is wrong and, where possible, what would be right
 */
public record SpecError(String file, int line, int column, String field, String message) {

    /** The form printed by the CLI: {@code spec.yaml:12:5: sweep.grid.lr: must be a list}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}

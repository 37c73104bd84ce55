package dev.replica.backend.label;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.Locale;

/** Which rows a list shows: archived ones are hidden unless asked for ({@code archived=false|true|all}). */
public enum ArchivedScope {
    /** Default views: archived rows hidden. */
    HIDE,
    /** Only archived rows. */
    ONLY,
    /** Both. */
    ALL;

    /**
     * Reads the {@code archived} query value: {@code false} (or absent), {@code true} or {@code all}.
     *
     * @throws InvalidInputException naming the value
     */
    public static ArchivedScope parse(String value) {
        if (value == null || value.isBlank()) {
            return HIDE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "false" -> HIDE;
            case "true" -> ONLY;
            case "all" -> ALL;
            default ->
                throw new InvalidInputException(
                        "archived",
                        "archived must be false (hide archived, the default), true (only archived) or all, got "
                                + value);
        };
    }
}

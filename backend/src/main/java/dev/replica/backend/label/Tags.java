package dev.replica.backend.label;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.regex.Pattern;

/** What a tag may be: short, no spaces or filter operators, so {@code tag:NAME} always parses. */
public final class Tags {

    /** Tags per run or experiment. */
    public static final int MAX_TAGS = 100;

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}");

    private Tags() {}

    /**
     * @param field where the tag came from, for the message ({@code tags[2]}, {@code TAG})
     * @throws InvalidInputException naming the field and the value
     */
    public static String check(String field, String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new InvalidInputException(
                    field,
                    field + ": a tag is 1–64 letters, digits, '.', '_', '-', '/' or '+',"
                            + " starting with a letter or digit, got " + (tag == null ? "null" : "\"" + tag + "\""));
        }
        return tag;
    }
}

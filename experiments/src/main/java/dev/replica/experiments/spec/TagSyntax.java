package dev.replica.experiments.spec;

import java.util.regex.Pattern;

/**
 * What a tag may be, wherever it comes from (a spec's {@code tags:}, {@code replica tag}, a PATCH): short, no
 * spaces or filter operators, so {@code tag:NAME} always parses.
 */
public final class TagSyntax {

    /** Tags per run or experiment. */
    public static final int MAX_TAGS = 100;

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}");

    private TagSyntax() {}

    /** Null when {@code tag} is acceptable, else what is wrong with it (ends with the value). */
    public static String problem(String tag) {
        if (tag != null && TAG.matcher(tag).matches()) {
            return null;
        }
        return "a tag is 1–64 letters, digits, '.', '_', '-', '/' or '+', starting with a letter or digit, got "
                + (tag == null ? "null" : "\"" + tag + "\"");
    }
}

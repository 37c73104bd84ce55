package dev.replica.backend.label;

import dev.replica.experiments.spec.InvalidInputException;
import dev.replica.experiments.spec.TagSyntax;

/** Checks tags for the label API and CLI; the rule itself is {@link TagSyntax}, shared with the spec's {@code tags:}. */
public final class Tags {

    /** Tags per run or experiment. */
    public static final int MAX_TAGS = TagSyntax.MAX_TAGS;

    private Tags() {}

    /**
     * @param field where the tag came from, for the message ({@code tags[2]}, {@code TAG})
     * @throws InvalidInputException naming the field and the value
     */
    public static String check(String field, String tag) {
        String problem = TagSyntax.problem(tag);
        if (problem != null) {
            throw new InvalidInputException(field, field + ": " + problem);
        }
        return tag;
    }
}

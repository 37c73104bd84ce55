package dev.replica.backend.label;

import java.util.List;

/**
 * A run's or an experiment's labels as the API shows them.
 *
 * @param displayName the name a user gave it, or null
 * @param note        a Markdown note, or null
 * @param tags        sorted
 * @param archived    hidden from default lists
 */
public record LabelView(String displayName, String note, List<String> tags, boolean archived) {

    public static final LabelView NONE = new LabelView(null, null, List.of(), false);
}

package dev.replica.backend.label;

import dev.replica.experiments.spec.InvalidInputException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A change to a run's or an experiment's labels ({@code PATCH}). A field left out (null) stays as it is; an
 * empty {@code displayName} or {@code note} clears it. {@code tags} replaces every tag, then {@code addTags}
 * and {@code removeTags} apply.
 */
public record LabelPatch(
        String displayName,
        String note,
        List<String> tags,
        List<String> addTags,
        List<String> removeTags,
        Boolean archived) {

    public static final int MAX_NAME = 200;
    public static final int MAX_NOTE = 65_536;

    public static LabelPatch rename(String displayName) {
        return new LabelPatch(displayName, null, null, null, null, null);
    }

    public static LabelPatch note(String note) {
        return new LabelPatch(null, note, null, null, null, null);
    }

    public static LabelPatch tag(List<String> add, List<String> remove) {
        return new LabelPatch(null, null, null, add, remove, null);
    }

    public static LabelPatch archive(boolean archived) {
        return new LabelPatch(null, null, null, null, null, archived);
    }

    /**
     * Checks every field before anything is stored.
     *
     * @throws InvalidInputException naming the field, the value and the rule
     */
    public void validate() {
        if (displayName == null
                && note == null
                && tags == null
                && addTags == null
                && removeTags == null
                && archived == null) {
            throw new InvalidInputException(
                    null, "nothing to change: give displayName, note, tags, addTags, removeTags or archived");
        }
        if (displayName != null) {
            if (displayName.strip().length() > MAX_NAME) {
                throw new InvalidInputException(
                        "displayName",
                        "displayName: is " + displayName.strip().length() + " characters; the limit is " + MAX_NAME);
            }
            if (displayName.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidInputException(
                        "displayName", "displayName: must be one line without control characters");
            }
        }
        if (note != null && note.length() > MAX_NOTE) {
            throw new InvalidInputException(
                    "note", "note: is " + note.length() + " characters; the limit is " + MAX_NOTE);
        }
        checkTags("tags", tags);
        checkTags("addTags", addTags);
        checkTags("removeTags", removeTags);
    }

    private static void checkTags(String field, List<String> list) {
        if (list == null) {
            return;
        }
        if (list.size() > Tags.MAX_TAGS) {
            throw new InvalidInputException(field, field + ": " + list.size() + " tags; the limit is " + Tags.MAX_TAGS);
        }
        for (int i = 0; i < list.size(); i++) {
            Tags.check(field + "[" + i + "]", list.get(i));
        }
    }

    /** Applies the validated patch. */
    void applyTo(LabelRow row, Instant now) {
        if (displayName != null) {
            row.displayName = displayName.isBlank() ? null : displayName.strip();
        }
        if (note != null) {
            row.note = note.isBlank() ? null : note;
        }
        Set<String> current = row.tags();
        if (tags != null) {
            current.clear();
            current.addAll(tags);
        }
        if (addTags != null) {
            current.addAll(addTags);
        }
        if (removeTags != null) {
            removeTags.forEach(current::remove);
        }
        if (current.size() > Tags.MAX_TAGS) {
            throw new InvalidInputException(
                    "tags", "tags: would be " + current.size() + " tags; the limit is " + Tags.MAX_TAGS);
        }
        if (archived != null) {
            row.archived = archived;
        }
        row.updatedAt = now;
    }
}

package dev.replica.backend.run;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A list of run ids as a query parameter gives it: {@code 4,5,6}, duplicates dropped, order kept. */
public final class RunIds {

    /** Most ids one request may name. */
    public static final int MAX = 1000;

    private RunIds() {}

    /**
     * Parses {@code value}, the query parameter {@code name}.
     *
     * @throws InvalidInputException naming the parameter and what is wrong with it
     */
    public static List<Long> parse(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(name, name + " is required: comma-separated run ids");
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            try {
                ids.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidInputException(name, name + " must be comma-separated run ids, got '" + part + "'");
            }
        }
        if (ids.size() > MAX) {
            throw new InvalidInputException(name, name + ": at most " + MAX + " runs, got " + ids.size());
        }
        return List.copyOf(ids);
    }
}

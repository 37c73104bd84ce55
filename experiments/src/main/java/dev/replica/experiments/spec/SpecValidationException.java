package dev.replica.experiments.spec;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown with every error found in a spec, never just the first. */
public class SpecValidationException extends RuntimeException {

    private final transient List<SpecError> errors;

    public SpecValidationException(List<SpecError> errors) {
        super(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in spec:\n"
                + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<SpecError> errors() {
        return errors;
    }
}

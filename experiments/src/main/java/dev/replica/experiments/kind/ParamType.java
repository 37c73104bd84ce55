package dev.replica.experiments.kind;

/** The value types a kind parameter can take. YAML scalars are normalised to the Java type listed. */
public enum ParamType {
    /** {@link Long}. */
    INT("integer"),
    /** {@link Double}; integers are accepted and widened. */
    FLOAT("number"),
    /** {@link String}. */
    STRING("string"),
    /** {@link Boolean}. */
    BOOL("boolean"),
    /** {@link String} from a fixed set of choices. */
    ENUM("one of");

    private final String label;

    ParamType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

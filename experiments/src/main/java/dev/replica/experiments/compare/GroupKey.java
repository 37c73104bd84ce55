package dev.replica.experiments.compare;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The parameter values shared by the runs of a group, sorted by name.
 *
 * @param params parameter name to value
 */
public record GroupKey(Map<String, Object> params) {
    public GroupKey {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /** A key from alternating names and values: {@code GroupKey.of("optimizer", "adamw")}. */
    public static GroupKey of(Object... nameValues) {
        TreeMap<String, Object> m = new TreeMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], nameValues[i + 1]);
        }
        return new GroupKey(m);
    }

    /** {@code optimizer=adamw, lr=0.001}; {@code (all runs)} when empty. */
    public String label() {
        if (params.isEmpty()) {
            return "(all runs)";
        }
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + Objects.toString(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label();
    }
}

package dev.replica.experiments.run;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds the built-in kinds on the class path. */
public final class ExperimentKinds {

    private ExperimentKinds() {}

    public static Map<String, ExperimentKind> all() {
        Map<String, ExperimentKind> kinds = new TreeMap<>();
        for (ExperimentKind k : ServiceLoader.load(ExperimentKind.class, ExperimentKinds.class.getClassLoader())) {
            kinds.put(k.name(), k);
        }
        return kinds;
    }

    public static Optional<ExperimentKind> find(String name) {
        return Optional.ofNullable(all().get(name));
    }
}

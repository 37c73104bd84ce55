package dev.replica.experiments.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Groups runs by a parameter set so that replicates (seeds) of one configuration fall together. */
public final class Grouping {
    /** Parameter name treated as the seed when grouping by default. */
    public static final String SEED = "seed";

    private Grouping() {}

    /**
     * Groups by every parameter except the seed (the {@code seed} parameter and {@link RunInfo#seed()}),
     * in order of first appearance.
     */
    public static Map<GroupKey, List<RunInfo>> bySeedlessParams(List<RunInfo> runs) {
        Map<GroupKey, List<RunInfo>> groups = new LinkedHashMap<>();
        for (RunInfo run : runs) {
            TreeMap<String, Object> key = new TreeMap<>(run.params());
            key.remove(SEED);
            groups.computeIfAbsent(new GroupKey(key), k -> new ArrayList<>()).add(run);
        }
        return groups;
    }

    /**
     * Groups by the named parameters only; a run without one of them groups under a null value for it.
     */
    public static Map<GroupKey, List<RunInfo>> byParams(List<RunInfo> runs, Set<String> names) {
        Map<GroupKey, List<RunInfo>> groups = new LinkedHashMap<>();
        for (RunInfo run : runs) {
            TreeMap<String, Object> key = new TreeMap<>();
            for (String n : names) {
                key.put(n, run.params().get(n));
            }
            groups.computeIfAbsent(new GroupKey(key), k -> new ArrayList<>()).add(run);
        }
        return groups;
    }
}

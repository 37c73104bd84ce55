package dev.replica.experiments.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What differs between two manifests, grouped for reading: only differing fields are listed.
 *
 * <p>Groups, in this order, and the manifest members they cover: {@code experiment} (kind, command),
 * {@code parameters} (params, seed), {@code spec} (resolved and written), {@code code},
 * {@code backend}, {@code data}, {@code runtime}, {@code dependencies} (replicaVersion and
 * dependencies), {@code environment}. {@code createdAt} and {@code manifestVersion} are never compared.
 * Nested objects are compared member by member ({@code params.optimizer.lr} shows as
 * {@code optimizer.lr}); arrays are compared whole, except arrays of objects (GPUs), compared by index.
 */
public final class ManifestDiff {
    /** Group names in display order. */
    public static final List<String> GROUPS = List.of(
            "experiment", "parameters", "spec", "code", "backend", "data", "runtime", "dependencies", "environment");

    /**
     * Fields whose difference cannot change what a run computes (places, names, machine size and
     * thread counts: the kernels are deterministic across thread counts), as {@code group/field}.
     */
    private static final Set<String> HARMLESS = Set.of(
            "experiment/command.workingDirectory",
            "spec/written",
            "code/directory",
            "runtime/hostname",
            "runtime/availableProcessors",
            "runtime/memoryBytes",
            "environment/OMP_NUM_THREADS",
            "environment/MKL_NUM_THREADS",
            "environment/OPENBLAS_NUM_THREADS",
            "environment/SLURM_JOB_ID",
            "environment/SLURM_ARRAY_TASK_ID",
            "environment/SLURM_JOB_PARTITION");

    private static final int MAX_VALUE_WIDTH = 72;

    /**
     * One differing field.
     *
     * @param group the group ({@link #GROUPS})
     * @param field the field within its group, members joined with {@code .}
     * @param left the left value as canonical JSON, or null when the left manifest lacks the field
     * @param right the right value as canonical JSON, or null when the right manifest lacks it
     */
    public record Difference(String group, String field, String left, String right) {
        /**
         * Whether this difference can change what the run computes (anything but paths, host names,
         * memory, processor and thread counts, the spec's formatting and scheduler ids).
         */
        public boolean mayAffectResults() {
            if (HARMLESS.contains(group + "/" + field)) {
                return false;
            }
            return !(group.equals("data") && field.endsWith(".path"));
        }
    }

    private final Map<String, List<Difference>> groups;
    private final boolean recipeDiffers;

    private ManifestDiff(Map<String, List<Difference>> groups, boolean recipeDiffers) {
        this.groups = groups;
        this.recipeDiffers = recipeDiffers;
    }

    /** The differences from {@code left} to {@code right}. */
    public static ManifestDiff between(RunManifest left, RunManifest right) {
        Map<String, Object> l = left.toJsonTree();
        Map<String, Object> r = right.toJsonTree();
        Map<String, List<Difference>> out = new LinkedHashMap<>();
        for (String group : GROUPS) {
            List<Difference> diffs = new ArrayList<>();
            for (Map.Entry<String, String> member : members(group).entrySet()) {
                compare(
                        group,
                        member.getValue(),
                        l.get(member.getKey()),
                        r.get(member.getKey()),
                        l.containsKey(member.getKey()),
                        r.containsKey(member.getKey()),
                        diffs);
            }
            if (!diffs.isEmpty()) {
                out.put(group, Collections.unmodifiableList(diffs));
            }
        }
        return new ManifestDiff(
                Collections.unmodifiableMap(out), !left.recipeHash().equals(right.recipeHash()));
    }

    /**
     * Manifest members of a group, mapped to the prefix their fields get ("" to list members bare), in
     * display order (Map.of's iteration order varies between JVM runs, so multi-member groups are ordered).
     */
    private static Map<String, String> members(String group) {
        return switch (group) {
            case "experiment" -> ordered("kind", "kind", "command", "command");
            case "parameters" -> ordered("params", "", "seed", "seed");
            case "spec" -> Map.of("spec", "");
            case "code" -> Map.of("code", "");
            case "backend" -> Map.of("backend", "");
            case "data" -> Map.of("data", "");
            case "runtime" -> Map.of("runtime", "");
            case "dependencies" -> ordered("dependencies", "", "replicaVersion", "replicaVersion");
            case "environment" -> Map.of("environment", "");
            default -> throw new IllegalArgumentException(group);
        };
    }

    private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static void compare(
            String group, String field, Object l, Object r, boolean lIn, boolean rIn, List<Difference> out) {
        if (lIn && rIn && Objects.equals(l, r)) {
            return;
        }
        if (!lIn && !rIn) {
            return;
        }
        if (lIn && rIn && l instanceof Map<?, ?> lm && r instanceof Map<?, ?> rm) {
            Set<String> keys = new TreeSet<>();
            lm.keySet().forEach(k -> keys.add((String) k));
            rm.keySet().forEach(k -> keys.add((String) k));
            for (String k : keys) {
                compare(group, join(field, k), lm.get(k), rm.get(k), lm.containsKey(k), rm.containsKey(k), out);
            }
            return;
        }
        if (lIn
                && rIn
                && l instanceof List<?> ll
                && r instanceof List<?> rl
                && (containsObject(ll) || containsObject(rl))) {
            for (int i = 0; i < Math.max(ll.size(), rl.size()); i++) {
                compare(
                        group,
                        field + "[" + i + "]",
                        i < ll.size() ? ll.get(i) : null,
                        i < rl.size() ? rl.get(i) : null,
                        i < ll.size(),
                        i < rl.size(),
                        out);
            }
            return;
        }
        if (Objects.equals(CanonicalJson.write(l), CanonicalJson.write(r)) && lIn == rIn) {
            return; // 1 vs 1L and the like
        }
        out.add(new Difference(
                group,
                field.isEmpty() ? group : field,
                lIn ? CanonicalJson.write(l) : null,
                rIn ? CanonicalJson.write(r) : null));
    }

    private static boolean containsObject(List<?> list) {
        return list.stream().anyMatch(o -> o instanceof Map<?, ?>);
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** Differing fields by group, in {@link #GROUPS} order; groups without differences left out. */
    public Map<String, List<Difference>> groups() {
        return groups;
    }

    /** Every difference, in group order. */
    public List<Difference> differences() {
        List<Difference> all = new ArrayList<>();
        groups.values().forEach(all::addAll);
        return all;
    }

    /** The differences that can change what a run computes ({@link Difference#mayAffectResults()}). */
    public List<Difference> suspects() {
        return differences().stream().filter(Difference::mayAffectResults).toList();
    }

    /** Whether nothing but the creation time differs. */
    public boolean isEmpty() {
        return groups.isEmpty();
    }

    /** Whether the two recipe hashes differ. */
    public boolean recipeDiffers() {
        return recipeDiffers;
    }

    /** {@link #render(String, String)} with labels "A" and "B". */
    public String render() {
        return render("A", "B");
    }

    /**
     * A plain-text rendering for a terminal: one heading per group, one line per field,
     * {@code field: left -> right}, long values shortened; arrays of strings that share most elements
     * (CPU flags) shown as the elements only one side has.
     */
    public String render(String leftLabel, String rightLabel) {
        StringBuilder out = new StringBuilder();
        out.append(leftLabel).append(" -> ").append(rightLabel).append(": ");
        if (isEmpty()) {
            return out.append("identical manifests (apart from creation time)\n")
                    .toString();
        }
        out.append(recipeDiffers ? "different recipes" : "same recipe").append('\n');
        groups.forEach((group, diffs) -> {
            out.append(group).append('\n');
            for (Difference d : diffs) {
                out.append("  ").append(d.field()).append(": ");
                String setDiff = setDifference(d);
                if (setDiff != null) {
                    out.append(setDiff);
                } else {
                    out.append(shown(d.left())).append(" -> ").append(shown(d.right()));
                }
                out.append('\n');
            }
        });
        return out.toString();
    }

    private static String setDifference(Difference d) {
        if (d.left() == null || d.right() == null) {
            return null;
        }
        Object l = CanonicalJson.parse(d.left());
        Object r = CanonicalJson.parse(d.right());
        if (!(l instanceof List<?> ll) || !(r instanceof List<?> rl) || ll.size() + rl.size() < 8) {
            return null;
        }
        Set<String> only = new LinkedHashSet<>();
        for (Object o : ll) {
            if (!rl.contains(o)) {
                only.add("-" + plain(o));
            }
        }
        for (Object o : rl) {
            if (!ll.contains(o)) {
                only.add("+" + plain(o));
            }
        }
        return only.isEmpty() ? "same elements, different order" : shorten(String.join(" ", only));
    }

    private static String plain(Object o) {
        return o instanceof String s ? s : CanonicalJson.write(o);
    }

    private static String shown(String json) {
        if (json == null) {
            return "(absent)";
        }
        String s = json.startsWith("\"") ? plain(CanonicalJson.parse(json)) : json;
        s = s.replace("\n", "\\n");
        return shorten(s);
    }

    private static String shorten(String s) {
        return s.length() <= MAX_VALUE_WIDTH ? s : s.substring(0, MAX_VALUE_WIDTH - 3) + "...";
    }
}

package dev.replica.experiments.manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Typed reads from parsed JSON trees, with messages that name the field at fault. */
final class JsonTrees {
    private JsonTrees() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object tree, String field) {
        if (tree == null) {
            return null;
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("manifest field '" + field + "' must be an object");
        }
        return (Map<String, Object>) tree;
    }

    static String string(Map<String, Object> parent, String key, String path) {
        Object v = parent.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("manifest field '" + path + key + "' must be a string");
        }
        return s;
    }

    static String requireString(Map<String, Object> parent, String key, String path) {
        String s = string(parent, key, path);
        if (s == null) {
            throw new IllegalArgumentException("manifest field '" + path + key + "' is missing");
        }
        return s;
    }

    static Long longValue(Map<String, Object> parent, String key, String path) {
        Object v = parent.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException("manifest field '" + path + key + "' must be an integer");
        }
        return l;
    }

    /** A deep, normalized, unmodifiable copy (keys sorted, numbers as Long/Double). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> normalizedObject(Map<String, ?> m, String field) {
        if (m == null) {
            return Map.of();
        }
        Object tree = CanonicalJson.toTree(m);
        return (Map<String, Object>) freeze(object(tree, field));
    }

    static Map<String, String> sortedCopy(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }

    @SuppressWarnings("unchecked")
    private static Object freeze(Object tree) {
        if (tree instanceof Map<?, ?> m) {
            TreeMap<String, Object> copy = new TreeMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> copy.put(k, freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (tree instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return tree;
    }
}

package dev.replica.backend.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Where two JSON documents differ, one line per difference, by JSON pointer; key order does not matter. */
final class JsonDifferences {

    /** Lines reported at most; the rest are counted. */
    static final int MAX_LINES = 60;

    private JsonDifferences() {}

    static List<String> of(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        walk("", expected, actual, out);
        if (out.size() > MAX_LINES) {
            int more = out.size() - MAX_LINES;
            out = new ArrayList<>(out.subList(0, MAX_LINES));
            out.add("… and " + more + " more");
        }
        return out;
    }

    private static void walk(String at, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String path = at + "/" + key.replace("~", "~0").replace("/", "~1");
                JsonNode e = expected.get(key);
                JsonNode a = actual.get(key);
                if (e == null) {
                    out.add("+ " + path + ": " + shorten(a));
                } else if (a == null) {
                    out.add("- " + path + ": " + shorten(e));
                } else {
                    walk(path, e, a, out);
                }
            }
        } else if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            while (e.hasNext() || a.hasNext()) {
                String path = at + "/" + i++;
                if (!a.hasNext()) {
                    out.add("- " + path + ": " + shorten(e.next()));
                } else if (!e.hasNext()) {
                    out.add("+ " + path + ": " + shorten(a.next()));
                } else {
                    walk(path, e.next(), a.next(), out);
                }
            }
        } else if (!expected.equals(actual)) {
            out.add("~ " + (at.isEmpty() ? "/" : at) + ": " + shorten(expected) + " → " + shorten(actual));
        }
    }

    private static String shorten(JsonNode node) {
        String text = node.toString();
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }
}

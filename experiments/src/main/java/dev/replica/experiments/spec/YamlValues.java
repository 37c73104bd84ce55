package dev.replica.experiments.spec;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Converts YAML 1.1 scalars (as tagged by SnakeYAML's implicit resolver) to the four value types
 * Replica stores: {@link Long}, {@link Double}, {@link String} and {@link Boolean}.
 */
final class YamlValues {

    private YamlValues() {}

    /** The scalar's value, or empty for an explicit null ({@code ~}, {@code null}, empty). */
    static Optional<Object> scalar(ScalarNode node) {
        String text = node.getValue();
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return Optional.empty();
        }
        if (Tag.BOOL.equals(tag)) {
            String t = text.toLowerCase(Locale.ROOT);
            return Optional.of(t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y"));
        }
        if (Tag.INT.equals(tag)) {
            return Optional.of(parseInt(text));
        }
        if (Tag.FLOAT.equals(tag)) {
            return Optional.of(parseFloat(text));
        }
        return Optional.of(text);
    }

    private static Object parseInt(String text) {
        String t = text.replace("_", "");
        int sign = 1;
        if (t.startsWith("-")) {
            sign = -1;
            t = t.substring(1);
        } else if (t.startsWith("+")) {
            t = t.substring(1);
        }
        BigInteger value;
        if (t.startsWith("0x")) {
            value = new BigInteger(t.substring(2), 16);
        } else if (t.startsWith("0o")) {
            value = new BigInteger(t.substring(2), 8);
        } else if (t.startsWith("0b")) {
            value = new BigInteger(t.substring(2), 2);
        } else if (t.contains(":")) {
            return text; // sexagesimal: keep as text rather than guess
        } else {
            value = new BigInteger(t);
        }
        value = sign < 0 ? value.negate() : value;
        if (value.bitLength() > 63) {
            return value.doubleValue();
        }
        return value.longValue();
    }

    private static Double parseFloat(String text) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        return switch (t) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(t);
        };
    }
}

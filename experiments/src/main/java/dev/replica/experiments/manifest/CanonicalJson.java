package dev.replica.experiments.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Canonical JSON: one byte sequence per value, so that its SHA-256 identifies the content.
 *
 * <h2>The form</h2>
 * <ul>
 *   <li><b>Encoding</b>: UTF-8, no byte-order mark, no white space outside strings, no trailing
 *       newline.
 *   <li><b>Objects</b>: keys sorted by {@link String#compareTo} (UTF-16 code units, as RFC 8785),
 *       duplicate keys impossible (parsing rejects them). Members whose value is {@code null} are
 *       written as {@code null}; callers that mean "absent" leave the key out.
 *   <li><b>Strings</b>: {@code "} and {@code \} escaped with a backslash; U+0008, U+0009, U+000A,
 *       U+000C, U+000D as {@code \b \t \n \f \r}; every other code point below U+0020 as
 *       {@code \}{@code u00xx} (lowercase hex); unpaired surrogates as {@code \}{@code udxxx}; every
 *       other character literally, UTF-8 encoded.
 *   <li><b>Integers</b> ({@code Byte, Short, Integer, Long, BigInteger}): decimal digits with a
 *       leading {@code -} when negative, nothing else ({@code 0}, {@code -12}, {@code 1000000}).
 *   <li><b>Finite doubles</b> ({@code Double}; {@code Float} and {@code BigDecimal} are converted to
 *       the nearest double first): the shortest decimal that reads back as the same double, found by
 *       rounding the exact binary value half-even to 1, 2, ... 17 significant digits and taking the
 *       first that parses back to the same bits. With that digit string {@code d1 d2 ... dn} (trailing
 *       zeros removed) and decimal exponent {@code x} (value = {@code d1.d2...dn × 10^x}):
 *       if {@code -7 < x < 21} it is written in plain notation with at least one fractional digit
 *       ({@code 1.0}, {@code 0.001}, {@code 123.5}, {@code 100000000000000000000.0}); otherwise as
 *       {@code d1.d2...dnEx} with at least one fractional digit and the exponent's {@code -} only when
 *       negative ({@code 1.0E21}, {@code 1.5E-7}). {@code -0.0} is {@code -0.0}. A double is therefore
 *       never written like an integer, so the type survives a round trip. This is independent of the
 *       JDK's {@code Double.toString}, which differs between JDK 17 and 19+.
 *   <li><b>NaN and infinities</b>: the strings {@code "NaN"}, {@code "Infinity"},
 *       {@code "-Infinity"} (JSON has no literal for them; they read back as strings).
 *   <li><b>Booleans and null</b>: {@code true}, {@code false}, {@code null}.
 * </ul>
 *
 * <h2>Accepted Java values</h2>
 * {@code null}, {@code Boolean}, {@code String}, {@code Character}, the numbers above, enums (their
 * {@code name()}), {@code Map} with {@code String} keys, {@code List}, {@code SortedSet}, arrays,
 * Jackson {@code JsonNode}s and {@link Convertible}s. Unordered collections (a {@code HashSet}) are
 * rejected: their order is not content.
 *
 * <p>{@link #parse} reads any JSON text into the same kind of tree: {@code TreeMap}, {@code ArrayList},
 * {@code String}, {@code Long} (or {@code BigInteger} when it does not fit), {@code Double},
 * {@code Boolean}, {@code null}; so {@code write(parse(write(x)))} equals {@code write(x)}.
 */
public final class CanonicalJson {
    /** A value with a JSON tree form (maps, lists and scalars accepted by {@link CanonicalJson}). */
    public interface Convertible {
        Object toJsonTree();
    }

    private static final int MAX_DEPTH = 200;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CanonicalJson() {}

    /** The canonical text of {@code value}. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        append(out, value, 0);
        return out.toString();
    }

    /** The canonical UTF-8 bytes of {@code value}. */
    public static byte[] bytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Hex SHA-256 of the canonical bytes of {@code value}. */
    public static String sha256(Object value) {
        return Sha256.of(bytes(value));
    }

    /**
     * Reads JSON text (canonical or not) into a tree of {@code TreeMap}, {@code ArrayList},
     * {@code String}, {@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean} and {@code null}.
     *
     * @throws IllegalArgumentException when the text is not one JSON value, or repeats a key
     */
    public static Object parse(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@link #parse(String)} of UTF-8 bytes. */
    public static Object parse(byte[] utf8) {
        try {
            return fromNode(MAPPER.readTree(utf8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Normalizes {@code value} into the tree {@link #parse} would return for its canonical text. */
    public static Object toTree(Object value) {
        return parse(write(value));
    }

    /** The canonical text of one finite or non-finite double (see the class comment). */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "\"NaN\"";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        }
        boolean negative = (Double.doubleToRawLongBits(d) & Long.MIN_VALUE) != 0;
        if (d == 0) {
            return negative ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d).abs();
        double magnitude = Math.abs(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == magnitude) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (negative) {
            out.append('-');
        }
        if (exponent > -7 && exponent < 21) {
            if (exponent >= 0) {
                if (digits.length() <= exponent + 1) {
                    out.append(digits)
                            .append("0".repeat(exponent + 1 - digits.length()))
                            .append(".0");
                } else {
                    out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
                }
            } else {
                out.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            }
        } else {
            out.append(digits.charAt(0)).append('.');
            out.append(digits.length() > 1 ? digits.substring(1) : "0");
            out.append('E').append(exponent);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON tree deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof String s) {
            appendString(out, s);
        } else if (value instanceof Character c) {
            appendString(out, c.toString());
        } else if (value instanceof Integer
                || value instanceof Long
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double d) {
            out.append(formatDouble(d));
        } else if (value instanceof Float f) {
            out.append(formatDouble(f.doubleValue()));
        } else if (value instanceof BigDecimal bd) {
            out.append(formatDouble(bd.doubleValue()));
        } else if (value instanceof Enum<?> e) {
            appendString(out, e.name());
        } else if (value instanceof Convertible c) {
            append(out, c.toJsonTree(), depth + 1);
        } else if (value instanceof JsonNode node) {
            append(out, fromNode(node), depth + 1);
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(
                            "JSON object keys must be strings, got " + typeName(e.getKey()) + " " + e.getKey());
                }
                sorted.put(key, e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendString(out, e.getKey());
                out.append(':');
                append(out, e.getValue(), depth + 1);
            }
            out.append('}');
        } else if (value instanceof List<?> || value instanceof SortedSet<?>) {
            appendArray(out, ((Iterable<?>) value).iterator(), depth);
        } else if (value instanceof Object[] array) {
            appendArray(out, List.of(array).iterator(), depth);
        } else if (value instanceof long[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (long x : a) {
                l.add(x);
            }
            appendArray(out, l.iterator(), depth);
        } else if (value instanceof int[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (int x : a) {
                l.add(x);
            }
            appendArray(out, l.iterator(), depth);
        } else if (value instanceof double[] a) {
            List<Object> l = new ArrayList<>(a.length);
            for (double x : a) {
                l.add(x);
            }
            appendArray(out, l.iterator(), depth);
        } else {
            throw new IllegalArgumentException("no canonical JSON form for " + typeName(value)
                    + " (use maps, lists, strings, numbers, booleans or null)");
        }
    }

    private static void appendArray(StringBuilder out, Iterator<?> it, int depth) {
        out.append('[');
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            append(out, it.next(), depth + 1);
        }
        out.append(']');
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        appendUnicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 15])
                .append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private static Object fromNode(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            TreeMap<String, Object> map = new TreeMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), fromNode(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(fromNode(n)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        throw new IllegalArgumentException("unsupported JSON node " + node.getNodeType());
    }
}

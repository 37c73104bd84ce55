package dev.replica.backend.mlflow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * MLflow's search syntax: filters ({@code metrics.loss < 0.5 and params.optimizer = 'muon' and
 * tags.`team` LIKE 'ml%' and attributes.status = 'FINISHED'}, clauses joined by AND only) and order_by
 * terms ({@code metrics.loss DESC}). Keys with spaces or dots are quoted with backticks or double quotes.
 * Every syntax error is MLflow's INVALID_PARAMETER_VALUE quoting the filter.
 */
final class SearchFilter {

    enum Entity {
        METRIC,
        PARAM,
        TAG,
        ATTRIBUTE
    }

    /** One comparison; {@code value} is a Double (metrics, numeric attributes), a String, or a List of Strings. */
    record Clause(Entity entity, String key, String op, Object value) {}

    /** One order_by term. */
    record Order(Entity entity, String key, boolean ascending) {}

    /** What a search may filter and order on: its string and numeric attributes, and whether metrics/params exist. */
    record Grammar(Set<String> stringAttributes, Set<String> numericAttributes, boolean runs) {
        String attribute(String key, String filter) {
            String k = key.equals("created") ? "start_time" : key;
            if (stringAttributes.contains(k) || numericAttributes.contains(k)) {
                return k;
            }
            List<String> valid = new ArrayList<>(stringAttributes);
            valid.addAll(numericAttributes);
            valid.sort(null);
            throw MlflowError.invalid(
                    "Invalid attribute key '" + key + "' specified in '" + filter + "'. Valid keys are " + valid);
        }
    }

    static final Grammar RUNS = new Grammar(
            Set.of("run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage"),
            Set.of("start_time", "end_time"),
            true);

    static final Grammar EXPERIMENTS =
            new Grammar(Set.of("name", "experiment_id"), Set.of("creation_time", "last_update_time"), false);

    private static final Set<String> NUMERIC_OPS = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> STRING_OPS = Set.of("=", "!=", "LIKE", "ILIKE");

    private final String text;
    private final Grammar grammar;
    private int pos;

    private SearchFilter(String text, Grammar grammar) {
        this.text = text;
        this.grammar = grammar;
    }

    /** The clauses of {@code filter} (empty for a blank filter). */
    static List<Clause> parse(String filter, Grammar grammar) {
        List<Clause> clauses = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return clauses;
        }
        SearchFilter p = new SearchFilter(filter, grammar);
        while (true) {
            clauses.add(p.clause());
            p.skipSpace();
            if (p.pos >= filter.length()) {
                return clauses;
            }
            String word = p.word();
            if (!word.equalsIgnoreCase("AND")) {
                throw p.error("expected AND between clauses, found '" + word + "'"
                        + (word.equalsIgnoreCase("OR") ? " (MLflow's search syntax has no OR)" : ""));
            }
        }
    }

    /** An order_by term such as {@code metrics.`val loss` DESC} or {@code start_time}. */
    static Order parseOrder(String term, Grammar grammar) {
        SearchFilter p = new SearchFilter(term, grammar);
        Key key = p.key();
        p.skipSpace();
        boolean ascending = true;
        if (p.pos < term.length()) {
            String dir = p.word().toUpperCase(Locale.ROOT);
            if (!dir.equals("ASC") && !dir.equals("DESC")) {
                throw MlflowError.invalid("Invalid order_by clause '" + term + "': expected ASC or DESC after the key");
            }
            ascending = dir.equals("ASC");
            p.skipSpace();
            if (p.pos < term.length()) {
                throw MlflowError.invalid("Invalid order_by clause '" + term + "': unexpected text after " + dir);
            }
        }
        return new Order(key.entity, key.name, ascending);
    }

    private record Key(Entity entity, String name) {}

    private Clause clause() {
        Key key = key();
        String op = operator();
        skipSpace();
        Object value;
        if (op.equals("IN") || op.equals("NOT IN")) {
            if (!(key.entity == Entity.ATTRIBUTE && key.name.equals("run_id"))) {
                throw error("IN and NOT IN are supported for attributes.run_id only");
            }
            value = list();
        } else {
            value = value();
        }
        boolean numeric = key.entity == Entity.METRIC
                || (key.entity == Entity.ATTRIBUTE && grammar.numericAttributes.contains(key.name));
        if (numeric) {
            if (!NUMERIC_OPS.contains(op)) {
                throw error("invalid comparator '" + op + "' for " + describe(key) + "; use one of " + NUMERIC_OPS);
            }
            if (!(value instanceof Double)) {
                throw error("expected a numeric value for " + describe(key) + ", found '" + value + "'");
            }
        } else if (!(value instanceof List)) {
            if (!STRING_OPS.contains(op)) {
                throw error("invalid comparator '" + op + "' for " + describe(key) + "; use one of " + STRING_OPS);
            }
            if (!(value instanceof String)) {
                throw error("expected a quoted string value for " + describe(key) + ", found " + value);
            }
        }
        return new Clause(key.entity, key.name, op, value);
    }

    private static String describe(Key key) {
        return key.entity.name().toLowerCase(Locale.ROOT) + " '" + key.name + "'";
    }

    private Key key() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && isWordChar(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        if (word.isEmpty()) {
            throw error("expected a key such as metrics.loss, params.lr, tags.name or attributes.status");
        }
        int dot = word.indexOf('.');
        String prefix = dot < 0 ? null : word.substring(0, dot).toLowerCase(Locale.ROOT);
        String name = dot < 0 ? word : word.substring(dot + 1);
        Entity entity = prefix == null ? Entity.ATTRIBUTE : entity(prefix);
        if (entity == null) {
            // a bare key with dots is not an entity prefix: MLflow rejects it too
            throw error("invalid entity type '" + prefix + "'; use metrics, params, tags or attributes");
        }
        if (name.isEmpty() && pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            name = quoted(text.charAt(pos));
        }
        if (name.isEmpty()) {
            throw error("missing key after '" + word + "'");
        }
        if (entity == Entity.ATTRIBUTE) {
            name = grammar.attribute(name, text);
        } else if (!grammar.runs && entity != Entity.TAG) {
            throw error("experiments can be filtered on attributes and tags only");
        }
        return new Key(entity, name);
    }

    private static Entity entity(String prefix) {
        return switch (prefix) {
            case "metric", "metrics" -> Entity.METRIC;
            case "param", "params", "parameter", "parameters" -> Entity.PARAM;
            case "tag", "tags" -> Entity.TAG;
            case "attribute", "attributes", "attr", "run" -> Entity.ATTRIBUTE;
            default -> null;
        };
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '/' || c == ':';
    }

    private String operator() {
        skipSpace();
        for (String op : List.of("!=", "<>", "<=", ">=", "=", "<", ">")) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op.equals("<>") ? "!=" : op;
            }
        }
        int save = pos;
        String word = word().toUpperCase(Locale.ROOT);
        switch (word) {
            case "LIKE", "ILIKE", "IN":
                return word;
            case "NOT":
                skipSpace();
                if (word().equalsIgnoreCase("IN")) {
                    return "NOT IN";
                }
                break;
            default:
                break;
        }
        pos = save;
        throw error("expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN)");
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("missing value at the end");
        }
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return quoted(c);
        }
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        String token = text.substring(start, pos);
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw error("expected a number or a quoted string, found '" + token + "'");
        }
    }

    private List<String> list() {
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw error("expected a parenthesised list of quoted strings after IN");
        }
        pos++;
        List<String> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
                out.add(quoted(text.charAt(pos)));
            } else {
                throw error("expected a quoted string in the IN list");
            }
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos < text.length() && text.charAt(pos) == ')') {
                pos++;
                return out;
            } else {
                throw error("expected ',' or ')' in the IN list");
            }
        }
    }

    private String quoted(char quote) {
        int end = text.indexOf(quote, pos + 1);
        if (end < 0) {
            throw error("unterminated quote " + quote);
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return s;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private MlflowError error(String why) {
        return MlflowError.invalid("Invalid filter '" + text + "' at character " + pos + ": " + why);
    }

    // ---------------------------------------------------------------------------------------------
    // evaluation

    /** What a clause reads from a candidate. */
    interface Subject {
        Double metric(String key);

        String param(String key);

        String tag(String key);

        /** A String, a Long (times), or null. */
        Object attribute(String key);
    }

    /** Whether {@code s} satisfies every clause. A missing metric, param or tag never matches. */
    static boolean matches(List<Clause> clauses, Subject s) {
        for (Clause c : clauses) {
            if (!matches(c, s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Clause c, Subject s) {
        Object actual = switch (c.entity) {
            case METRIC -> s.metric(c.key);
            case PARAM -> s.param(c.key);
            case TAG -> s.tag(c.key);
            case ATTRIBUTE -> s.attribute(c.key);
        };
        if (actual == null) {
            return false;
        }
        if (c.value instanceof List<?> list) {
            boolean in = list.contains(actual.toString());
            return c.op.equals("IN") == in;
        }
        if (c.value instanceof Double expected) {
            double a = ((Number) actual).doubleValue();
            return switch (c.op) {
                case "=" -> a == expected;
                case "!=" -> a != expected;
                case "<" -> a < expected;
                case "<=" -> a <= expected;
                case ">" -> a > expected;
                default -> a >= expected;
            };
        }
        String a = actual.toString();
        String expected = (String) c.value;
        return switch (c.op) {
            case "=" -> a.equals(expected);
            case "!=" -> !a.equals(expected);
            case "LIKE" -> like(expected, false).matcher(a).matches();
            default -> like(expected, true).matcher(a).matches();
        };
    }

    /** SQL LIKE: % any run of characters, _ one character, everything else literal. */
    static Pattern like(String pattern, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '%' || ch == '_') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(ch == '%' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(
                re.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    /**
     * Orders subjects by the terms, then by {@code tieBreak}; a subject without the ordered value sorts
     * after those with one, in either direction (as MLflow's SQL store does).
     */
    static <T extends Subject> Comparator<T> comparator(List<Order> orders, Comparator<T> tieBreak) {
        Comparator<T> c = (a, b) -> 0;
        for (Order o : orders) {
            Function<T, Object> read = s -> switch (o.entity) {
                case METRIC -> s.metric(o.key);
                case PARAM -> s.param(o.key);
                case TAG -> s.tag(o.key);
                case ATTRIBUTE -> s.attribute(o.key);
            };
            c = c.thenComparing((a, b) -> {
                Object x = read.apply(a);
                Object y = read.apply(b);
                if (x == null || y == null) {
                    return x == null ? (y == null ? 0 : 1) : -1;
                }
                int r = x instanceof Number nx && y instanceof Number ny
                        ? Double.compare(nx.doubleValue(), ny.doubleValue())
                        : x.toString().compareTo(y.toString());
                return o.ascending ? r : -r;
            });
        }
        return c.thenComparing(tieBreak);
    }
}

package dev.replica.backend.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a {@code command:} argv template: {@code "--lr={lr}"} becomes {@code "--lr=0.02"}. Each
 * element stays one argument — nothing is split or interpreted by a shell, so a value containing spaces
 * or {@code ;} is passed as data. {@code {{} and {@code }}} are literal braces.
 */
public final class CommandTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_./-]*)}");

    private CommandTemplate() {}

    public static List<String> expand(List<String> template, Map<String, Object> values) {
        List<String> argv = new ArrayList<>(template.size());
        for (String arg : template) {
            Matcher m = PLACEHOLDER.matcher(arg);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String replacement;
                if (m.group().equals("{{")) {
                    replacement = "{";
                } else if (m.group().equals("}}")) {
                    replacement = "}";
                } else {
                    Object v = values.get(m.group(1));
                    if (v == null) {
                        throw new IllegalArgumentException("command placeholder {" + m.group(1) + "} has no value");
                    }
                    replacement = format(v);
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(sb);
            argv.add(sb.toString());
        }
        return argv;
    }

    /** Numbers print as Java does (shortest repr that round-trips), so {@code 0.1} stays {@code 0.1}. */
    static String format(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Double.toString(d);
        }
        return String.valueOf(v);
    }
}

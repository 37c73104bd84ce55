package dev.replica.experiments.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations the way people write them in specs: {@code 90s}, {@code 1h30m}, {@code 2d}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");

    /** The longest duration a spec may give: a year and a day. Anything longer is a typo, and would overflow timers. */
    public static final Duration MAX = Duration.ofDays(366);

    private Durations() {}

    /** Accepts an integer (seconds) or a string of number+unit parts; empty when malformed, zero or too large to hold. */
    public static Optional<Duration> parse(Object value) {
        try {
            return parseExact(value);
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty(); // digits beyond a long, or a sum beyond Duration's range
        }
    }

    private static Optional<Duration> parseExact(Object value) {
        if (value instanceof Long l) {
            return l > 0 ? Optional.of(Duration.ofSeconds(l)) : Optional.empty();
        }
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        String text = s.replace(" ", "");
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "d" -> Duration.ofDays(n);
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
            end = m.end();
        }
        return end == text.length() && !total.isZero() ? Optional.of(total) : Optional.empty();
    }

    /** Compact form such as {@code 1h30m}, {@code 45s}. */
    public static String format(Duration d) {
        if (d == null) {
            return "";
        }
        long s = d.getSeconds();
        StringBuilder sb = new StringBuilder();
        if (s >= 3600) {
            sb.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            sb.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || sb.isEmpty()) {
            sb.append(s).append('s');
        }
        return sb.toString();
    }
}

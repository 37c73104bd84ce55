package dev.replica.experiments.optim;

import java.util.Locale;

/**
 * Learning-rate multipliers in [0, 1] per 0-based step. Every schedule starts with an optional linear
 * warmup of {@code warmupSteps} ({@code (step+1)/warmupSteps}); after it:
 * <ul>
 *   <li>{@code constant} and {@code warmup}: 1;</li>
 *   <li>{@code warmdown}: 1, then a linear decay to 0 over the last {@code warmdownFraction} of the steps
 *       (the modded-nanogpt "trapezoid");</li>
 *   <li>{@code cosine}: half a cosine from 1 to 0 over the remaining steps.</li>
 * </ul>
 */
public record LrSchedule(Kind kind, long totalSteps, long warmupSteps, double warmdownFraction) {

    public enum Kind {
        CONSTANT,
        WARMUP,
        WARMDOWN,
        COSINE
    }

    public LrSchedule {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be positive: " + totalSteps);
        }
        if (warmupSteps < 0 || warmdownFraction < 0 || warmdownFraction > 1) {
            throw new IllegalArgumentException(
                    "bad schedule: warmup " + warmupSteps + ", warmdown " + warmdownFraction);
        }
    }

    /** {@code constant | warmup | warmdown | cosine}. */
    public static LrSchedule of(String name, long totalSteps, long warmupSteps, double warmdownFraction) {
        return new LrSchedule(Kind.valueOf(name.toUpperCase(Locale.ROOT)), totalSteps, warmupSteps, warmdownFraction);
    }

    public static LrSchedule constant(long totalSteps) {
        return new LrSchedule(Kind.CONSTANT, totalSteps, 0, 0);
    }

    /** The multiplier at 0-based {@code step}. */
    public double at(long step) {
        if (step < warmupSteps) {
            return (double) (step + 1) / warmupSteps;
        }
        return switch (kind) {
            case CONSTANT, WARMUP -> 1.0;
            case WARMDOWN -> {
                double decay = totalSteps * warmdownFraction;
                double start = totalSteps - decay;
                yield step < start || decay <= 0 ? 1.0 : Math.max(0.0, (totalSteps - step) / decay);
            }
            case COSINE -> {
                long span = Math.max(1, totalSteps - warmupSteps);
                double p = Math.min(1.0, (double) (step - warmupSteps) / span);
                yield 0.5 * (1 + Math.cos(Math.PI * p));
            }
        };
    }
}

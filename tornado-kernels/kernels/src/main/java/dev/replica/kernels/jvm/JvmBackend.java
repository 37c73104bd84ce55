package dev.replica.kernels.jvm;

import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.ops.ReferenceKernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default backend: the kernels parallelized over row blocks on a bounded ForkJoin pool, hot loops
 * written with the Vector API. Deterministic whatever the thread count: work is split into fixed blocks
 * that do not depend on the number of threads, each output element is computed by exactly one task, and
 * every reduction runs in a fixed order.
 */
public class JvmBackend extends ReferenceKernels {

    /** System property overriding the number of worker threads. */
    public static final String THREADS_PROPERTY = "replica.kernels.threads";

    private final int threads;

    /** A backend with {@link #defaultThreads()} threads. */
    public JvmBackend() {
        this(defaultThreads());
    }

    /** A backend with the given number of worker threads (≥ 1). */
    public JvmBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
    }

    /** {@value #THREADS_PROPERTY} if set, else the number of available processors. */
    public static int defaultThreads() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Math.max(1, Integer.parseInt(p.trim()));
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The CPU model from /proc/cpuinfo where available, else os.arch. */
    public static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public DeviceDescription deviceDescription() {
        return new DeviceDescription("jvm", cpuName() + " (" + threads + " threads)",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), false);
    }
}

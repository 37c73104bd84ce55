package dev.replica.experiments.manifest;

import dev.replica.experiments.manifest.RunManifest.Gpu;
import dev.replica.experiments.manifest.RunManifest.RuntimeInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Describes the machine and JVM a run executes on: JDK, OS, CPU model and flags (from
 * {@code /proc/cpuinfo} where it exists), physical memory, processors, GPUs and driver (from
 * {@code nvidia-smi} when it is installed) and the host name.
 *
 * <p>{@link #current()} probes once per JVM (it runs {@code nvidia-smi}, which takes a moment) and
 * returns the same description afterwards; none of it changes while the JVM lives, apart from the
 * processors available to it, which {@link #current()} reads afresh.
 */
public final class RuntimeProbe {
    private static final Duration NVIDIA_SMI_TIMEOUT = Duration.ofSeconds(20);
    private static volatile RuntimeInfo cached;

    private RuntimeProbe() {}

    /** The runtime of this JVM (probed on first use). */
    public static RuntimeInfo current() {
        RuntimeInfo r = cached;
        if (r == null) {
            r = probe(Path.of("/proc/cpuinfo"), "nvidia-smi");
            cached = r;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (r.availableProcessors() != cpus) {
            r = new RuntimeInfo(
                    r.javaVendor(),
                    r.javaVersion(),
                    r.javaVm(),
                    r.osName(),
                    r.osVersion(),
                    r.osArch(),
                    r.cpuModel(),
                    r.cpuFlags(),
                    r.memoryBytes(),
                    cpus,
                    r.gpus(),
                    r.hostname());
        }
        return r;
    }

    /** Probes now, reading CPU details from {@code cpuinfo} and GPUs through {@code nvidiaSmi}. */
    static RuntimeInfo probe(Path cpuinfo, String nvidiaSmi) {
        String[] cpu = cpuModelAndFlags(cpuinfo);
        return new RuntimeInfo(
                System.getProperty("java.vendor"),
                System.getProperty("java.runtime.version", System.getProperty("java.version")),
                System.getProperty("java.vm.name"),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                cpu[0],
                cpu[1].isEmpty() ? List.of() : Arrays.asList(cpu[1].trim().split("\\s+")),
                physicalMemory(),
                Runtime.getRuntime().availableProcessors(),
                gpus(nvidiaSmi),
                hostname());
    }

    /** {model, flags} from a {@code /proc/cpuinfo}-style file; model "unknown" and no flags if absent. */
    static String[] cpuModelAndFlags(Path cpuinfo) {
        String model = null;
        String flags = "";
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | RuntimeException e) {
            return new String[] {System.getProperty("os.arch") + " (model unknown)", ""};
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && model != null && !flags.isEmpty()) {
                    break; // first processor described fully
                }
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (model == null
                    && (key.equals("model name")
                            || key.equals("Hardware")
                            || key.equals("cpu model")
                            || key.equals("Processor"))) {
                model = value;
            } else if (flags.isEmpty() && (key.equals("flags") || key.equals("Features"))) {
                flags = value;
            }
        }
        return new String[] {model == null ? System.getProperty("os.arch") + " (model unknown)" : model, flags};
    }

    /** GPUs that {@code nvidia-smi} lists; none when it is missing or fails. */
    static List<Gpu> gpus(String nvidiaSmi) {
        try {
            Processes.Result r = Processes.run(
                    List.of(nvidiaSmi, "--query-gpu=name,driver_version", "--format=csv,noheader"),
                    null,
                    Map.of(),
                    NVIDIA_SMI_TIMEOUT);
            if (r.exitCode() != 0) {
                return List.of();
            }
            return parseNvidiaSmi(r.stdoutText());
        } catch (Processes.Failure e) {
            return List.of();
        }
    }

    /** Rows {@code name, driver} of {@code nvidia-smi --format=csv,noheader}. */
    static List<Gpu> parseNvidiaSmi(String csv) {
        List<Gpu> out = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            out.add(
                    comma < 0
                            ? new Gpu(line.trim(), null)
                            : new Gpu(
                                    line.substring(0, comma).trim(),
                                    line.substring(comma + 1).trim()));
        }
        return out;
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }
}

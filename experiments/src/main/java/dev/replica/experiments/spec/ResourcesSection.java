package dev.replica.experiments.spec;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Validates where and with what runs execute: {@code executor:} ({@link SpecParser#EXECUTORS}) and
 * {@code resources:} (CPUs, GPUs, memory, time limit, Slurm partition). A local experiment may not ask each run for
 * more GPUs than this machine has.
 */
final class ResourcesSection {

    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*([KMGT])i?B?", Pattern.CASE_INSENSITIVE);

    private final SpecReader reader;
    private final IntSupplier localGpus;

    /** @param localGpus this machine's GPUs, null to skip the GPU check */
    ResourcesSection(SpecReader reader, IntSupplier localGpus) {
        this.reader = reader;
        this.localGpus = localGpus;
    }

    /** The executor's name, {@code local} when absent or unknown (the latter reported). */
    String executor(Map<String, NodeTuple> top) {
        String executor = reader.optionalString(top, "executor").orElse(ExperimentSpec.LOCAL);
        if (!SpecParser.EXECUTORS.contains(executor)) {
            reader.fail(
                    reader.valueNode(top, "executor"),
                    "executor",
                    "must be one of " + String.join(", ", SpecParser.EXECUTORS) + ", got \"" + executor + "\""
                            + SpecParser.suggestion(executor, SpecParser.EXECUTORS));
            return ExperimentSpec.LOCAL;
        }
        return executor;
    }

    /** What each run needs, {@link Resources#DEFAULT} without {@code resources:}. */
    Resources resources(Map<String, NodeTuple> top, String executor) {
        MappingNode node = reader.mapping(top, "resources", "resources");
        if (node == null) {
            return Resources.DEFAULT;
        }
        Map<String, NodeTuple> r = reader.entries(node, "resources");
        reader.checkKeys(r, "resources", Set.of("cpus", "gpus", "memory", "time", "partition"));
        int cpus = reader.optionalInt(r, "cpus", "resources.cpus", 1, 1024)
                .orElse(1L)
                .intValue();
        int gpus = reader.optionalInt(r, "gpus", "resources.gpus", 0, 64)
                .orElse(0L)
                .intValue();
        if (gpus > 0 && ExperimentSpec.LOCAL.equals(executor) && localGpus != null) {
            int available = localGpus.getAsInt();
            if (gpus > available) {
                reader.fail(
                        reader.valueNode(r, "gpus"),
                        "resources.gpus",
                        "each run needs " + gpus + " GPU" + (gpus == 1 ? "" : "s")
                                + " but this machine has " + available
                                + " (see `replica devices`); lower resources.gpus,"
                                + " or run the experiment on a cluster with executor: slurm");
            }
        }
        long memoryMb = 0;
        Node mem = reader.valueNode(r, "memory");
        if (mem != null) {
            memoryMb = memoryMb(mem, "resources.memory");
        }
        Duration time = reader.optionalDuration(r, "time", "resources.time");
        String partition = reader.optionalString(r, "partition").orElse(null);
        return new Resources(cpus, gpus, memoryMb, time, partition);
    }

    /** A size in MiB: a positive integer, or a number with a K, M, G or T unit. */
    private long memoryMb(Node n, String path) {
        Optional<Object> v = reader.scalarValue(n, path);
        if (v.isEmpty()) {
            return 0;
        }
        if (v.get() instanceof Long l && l > 0) {
            return l;
        }
        Matcher m = MEMORY.matcher(String.valueOf(v.get()));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (Character.toUpperCase(m.group(2).charAt(0))) {
                case 'K' -> Math.max(1, amount / 1024);
                case 'M' -> amount;
                case 'G' -> amount * 1024;
                default -> amount * 1024 * 1024;
            };
        }
        reader.fail(n, path, "must be a size such as 512M or 4G (or MiB as an integer), got " + v.get());
        return 0;
    }
}
